from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alisvest.forms import date_field
from education_plans.models import Objective
from municipalities.models import Municipality, Partner
from partners.models import Arrangement, PartyStatus
from partners.services import institution_service_templates


def _helper(*layout):
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*layout)
    return helper


class ArrangementForm(forms.ModelForm):
    valid_from = date_field(label=_("Valid from"))
    valid_to = date_field(label=_("Valid to"), required=False)

    class Meta:
        model = Arrangement
        fields = [
            "name",
            "institution",
            "other_institutions",
            "template_version",
            "objectives",
            "valid_from",
            "valid_to",
        ]
        widgets = {
            "other_institutions": forms.SelectMultiple(attrs={"size": 4}),
            "objectives": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        institutions = Partner.objects.filter(region=region).institutions()
        self.fields["institution"].queryset = institutions
        self.fields["other_institutions"].queryset = institutions
        self.fields["template_version"].queryset = institution_service_templates()
        self.fields["objectives"].queryset = Objective.objects.select_related("catalogue")
        self.helper = _helper(
            "name",
            Row(
                Column("institution", css_class="col-md-6"),
                Column("template_version", css_class="col-md-6"),
            ),
            "other_institutions",
            "objectives",
            Row(
                Column("valid_from", css_class="col-sm-6"), Column("valid_to", css_class="col-sm-6")
            ),
        )

    def values(self) -> dict:
        return dict(self.cleaned_data)


class PartyForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )
    status = forms.ChoiceField(label=_("Status"), choices=PartyStatus.choices)
    joined_on = date_field(label=_("Joined on"), required=False)
    left_on = date_field(label=_("Left on"), required=False)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(region=region)
        self.helper = _helper(
            Row(
                Column("municipality", css_class="col-md-4"),
                Column("status", css_class="col-md-3"),
                Column("joined_on", css_class="col-md-2 col-6"),
                Column("left_on", css_class="col-md-2 col-6"),
            )
        )


class PlacesForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=2017, max_value=2100, initial=lambda: timezone.localdate().year
    )
    places = forms.IntegerField(
        label=_("Places"), min_value=0, max_value=1000, help_text=_("0 removes the year.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Row(Column("year", css_class="col-6"), Column("places", css_class="col-6"))
        )


class SignForm(forms.Form):
    signed_on = date_field(label=_("Signed on"), initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("signed_on")
