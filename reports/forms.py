from django import forms
from django.utils.translation import gettext_lazy as _

from reports.maps import Figure
from reports.risk import RiskStatus

# The dashboard and the map


class RiskFilter(forms.Form):
    """Which municipalities the risk table shows. Bad values are ignored (the whole table)."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *RiskStatus.choices],
        required=False,
    )
    county = forms.ModelChoiceField(
        label=_("County"), queryset=None, required=False, empty_label=_("All counties")
    )

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties


class MapFigureForm(forms.Form):
    figure = forms.ChoiceField(
        label=_("Colour by"), choices=Figure.choices, required=False, initial=Figure.RISK
    )
