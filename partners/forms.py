from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scope import scope_for
from alis_agreements.models import Position
from alisvest.forms import date_field
from education_plans.models import Objective
from municipalities.models import County, Municipality, Partner
from partners.models import Arrangement, PartyStatus, Posting, PostingKind
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
                Column("municipality", css_class="col-md-6"),
                Column("status", css_class="col-md-6"),
            ),
            Row(
                Column("joined_on", css_class="col-6 col-md-4"),
                Column("left_on", css_class="col-6 col-md-4"),
            ),
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


class PostingForm(forms.ModelForm):
    """A posting: an ALIS position of the person's municipalities (its record gives the title
    and municipality), or, for advisers, an institution's temporary place."""

    period_start = date_field(label=_("From"))
    period_end = date_field(label=_("To"), required=False)
    deadline = date_field(label=_("Application deadline"))

    class Meta:
        model = Posting
        fields = [
            "position",
            "institution",
            "title",
            "place",
            "period_start",
            "period_end",
            "percentage",
            "description",
            "contact_name",
            "contact_email",
            "contact_phone",
            "deadline",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        if self.instance.pk:
            # What the posting is for does not change; withdraw it and post anew instead.
            del self.fields["position"]
            del self.fields["institution"]
            if self.instance.position_id:
                del self.fields["title"]
        else:
            self.fields["position"].queryset = (
                Position.objects.editable_by(user)
                .exclude(status=Position.Status.ENDED)
                .select_related("municipality")
            )
            self.fields["position"].label_from_instance = lambda p: f"{p.municipality} – {p.title}"
            if scope.region_ids:
                self.fields["institution"].queryset = Partner.objects.filter(
                    region_id__in=scope.region_ids, is_active=True
                ).institutions()
                self.fields["institution"].help_text = _(
                    "For a temporary institution-service place: leave the position empty."
                )
            else:
                del self.fields["institution"]
        if "title" in self.fields:
            self.fields["title"].help_text = _("For an institution-service place only.")
        fields = [f for f in ("position", "institution", "title") if f in self.fields]
        self.helper = _helper(
            *fields,
            Row(Column("place", css_class="col-md-8"), Column("percentage", css_class="col-md-4")),
            Row(
                Column("period_start", css_class="col-sm-4"),
                Column("period_end", css_class="col-sm-4"),
                Column("deadline", css_class="col-sm-4"),
            ),
            "description",
            Row(
                Column("contact_name", css_class="col-md-4"),
                Column("contact_email", css_class="col-md-5"),
                Column("contact_phone", css_class="col-md-3"),
            ),
        )

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("position", "institution")}


class BoardFilterForm(forms.Form):
    """The public board's filters (no login)."""

    county = forms.ModelChoiceField(
        label=_("County"), queryset=County.objects.all(), required=False, empty_label=_("All")
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *PostingKind.choices], required=False
    )
    start = date_field(label=_("Period from"), required=False)
    end = date_field(label=_("Period to"), required=False)
