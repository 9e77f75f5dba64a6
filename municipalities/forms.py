from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alisvest.forms import DATE_INPUT_FORMATS, DateInput, date_field  # noqa: F401
from municipalities.models import (
    Contact,
    FollowUpEntry,
    NextAction,
    Partner,
    Practice,
    RegistrationStatusChange,
    YearlyMapping,
)


class FollowUpEntryForm(forms.ModelForm):
    """An entry of the log. Logged from a municipality's page it may also concern a partner;
    from a partner's page, also a municipality (`also` names which, `also_choices` the
    region's)."""

    date = date_field(label=_("Date"), initial=timezone.localdate)

    class Meta:
        model = FollowUpEntry
        fields = ["date", "kind", "participants", "summary", "municipality", "partner"]
        widgets = {
            "participants": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {
            "municipality": _("Also about a municipality"),
            "partner": _("Also with a partner"),
        }

    def __init__(self, *args, also: str, also_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.also = also
        del self.fields["partner" if also == "municipality" else "municipality"]
        self.fields[also].queryset = also_choices
        self.fields[also].required = False
        self.fields[also].help_text = (
            _("A meeting with a partner about this municipality shows on both timelines.")
            if also == "partner"
            else _("A meeting about one municipality shows on its timeline too.")
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(
                Column("date", css_class="col-sm-6 col-md-4"),
                Column("kind", css_class="col-sm-6 col-md-4"),
                Column(also, css_class="col-md-4"),
            ),
            "participants",
            "summary",
        )


class NextActionForm(forms.ModelForm):
    due_date = date_field(label=_("Due date"))

    class Meta:
        model = NextAction
        fields = ["description", "owner", "due_date"]

    def __init__(self, *args, owners=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        if self.instance.pk is None and user is not None:
            # The person logging is the usual owner; an untouched blank row is still skipped.
            self.fields["owner"].initial = user.pk
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("description", css_class="col-md-6"),
                Column("owner", css_class="col-sm-7 col-md-3"),
                Column("due_date", css_class="col-sm-5 col-md-3"),
            ),
        )


class BaseNextActionFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, owners, user, **kwargs):
        kwargs["form_kwargs"] = {"owners": owners, "user": user}
        super().__init__(*args, prefix="actions", **kwargs)
        self.queryset = self.queryset.select_related("owner")

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this action")


NextActionFormSet = inlineformset_factory(
    FollowUpEntry,
    NextAction,
    form=NextActionForm,
    formset=BaseNextActionFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
)


def action_data(formset) -> tuple[list[dict], list[NextAction]]:
    """What a valid formset asks for: the actions to save (an existing one as `action`) and the
    ones to remove. Blank rows nobody touched are skipped."""
    actions, removed = [], []
    for form in formset.forms:
        if not form.has_changed() and form.instance.pk is None:
            continue
        if form in formset.deleted_forms:
            if form.instance.pk:
                removed.append(form.instance)
            continue
        data = {k: form.cleaned_data[k] for k in ("description", "owner", "due_date")}
        if form.instance.pk:
            data["action"] = form.instance
        actions.append(data)
    return actions, removed


class RegistrationStatusForm(forms.ModelForm):
    date = date_field(label=_("Date"), initial=timezone.localdate)

    class Meta:
        model = RegistrationStatusChange
        fields = ["status", "date", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "note": _("For example the reference of Helsedirektoratet's decision."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].help_text = _(
            "The day the status applies from. Since 1 September 2022 a registration counts "
            "from the application date."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("status", css_class="col-sm-6"), Column("date", css_class="col-sm-6")),
            "note",
        )


class RegistrationImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "Columns: number, status, date, note. Status as registered, applied, not applied or "
            "lost by merger (or registrert, søkt, ikke søkt); date as 01.03.2024 or 2024-03-01."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if file.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return file


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "function", "title", "email", "phone", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["is_active"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-6"), Column("function", css_class="col-md-6")),
            "title",
            Row(Column("email", css_class="col-md-7"), Column("phone", css_class="col-md-5")),
            *(["is_active"] if "is_active" in self.fields else []),
        )


class PartnerForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = ["name", "kind", "county", "website", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["is_active"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-7"), Column("kind", css_class="col-md-5")),
            Row(Column("county", css_class="col-md-5"), Column("website", css_class="col-md-7")),
            "description",
            *(["is_active"] if "is_active" in self.fields else []),
        )


class PracticeForm(forms.ModelForm):
    class Meta:
        model = Practice
        fields = ["name", "ownership", "address", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["is_active"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-8"), Column("ownership", css_class="col-md-4")),
            "address",
            *(["is_active"] if "is_active" in self.fields else []),
        )


class YearlyMappingForm(forms.ModelForm):
    year = forms.IntegerField(label=_("Year"), min_value=2017, max_value=2100)

    class Meta:
        model = YearlyMapping
        fields = [
            "year",
            "gp_organisation",
            "gp_organisation_note",
            "number_of_gps",
            "number_of_alis",
            "supervisor_capacity",
            "notes",
        ]
        widgets = {
            "gp_organisation_note": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        if self.instance.pk:
            # The year is what the mapping is of; a wrong year is a new mapping.
            del self.fields["year"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *([Field("year", css_class="w-auto")] if "year" in self.fields else []),
            Row(
                Column("gp_organisation", css_class="col-md-6"),
                Column("gp_organisation_note", css_class="col-md-6"),
            ),
            Row(
                Column("number_of_gps", css_class="col-sm-4"),
                Column("number_of_alis", css_class="col-sm-4"),
                Column("supervisor_capacity", css_class="col-sm-4"),
            ),
            "notes",
        )

    def clean_year(self):
        # Checked here too (the service is the rule) so that all errors show at once.
        year = self.cleaned_data["year"]
        if YearlyMapping.objects.filter(municipality=self.municipality, year=year).exists():
            raise forms.ValidationError(
                _("%(year)s is already mapped; edit that mapping instead.") % {"year": year}
            )
        return year

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "year"}
