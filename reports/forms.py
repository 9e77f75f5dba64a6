from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.maps import Figure
from reports.models import SECTIONS, AnnualReport
from reports.risk import RiskStatus

FIRST_YEAR = 2020  # the office began in 2020


def report_years() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


class ReportPickForm(forms.Form):
    """Which year (and region, for an adviser of several) the page shows."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    region = forms.ChoiceField(label=_("Region"))

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in report_years()]
        self.fields["region"].choices = [(r.code, r.name) for r in regions]
        if len(regions) < 2:
            self.fields["region"].widget = forms.HiddenInput()


class AnnualReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = SECTIONS
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in SECTIONS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


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
