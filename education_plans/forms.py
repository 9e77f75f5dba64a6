from collections import defaultdict

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alisvest.documents import SCANS, validate_upload
from education_plans import services
from education_plans.models import (
    Catalogue,
    GroupSupervisionPeriod,
    LearningActivity,
    Objective,
    ServicePeriod,
)
from education_plans.rules import RuleSet, ServiceType
from municipalities.forms import date_field
from municipalities.models import Municipality, Practice


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    if layout:
        helper.layout = Layout(*layout)
    return helper


class CatalogueImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Catalogue"), choices=Catalogue.Kind.choices)
    version = forms.CharField(
        label=_("Version"),
        max_length=40,
        required=False,
        help_text=_("E.g. 2019 or 2026. Leave empty if the file has a version column."),
    )
    valid_from = date_field(
        label=_("Valid from"),
        required=False,
        help_text=_("Leave empty if the file has a valid_from column."),
    )
    valid_to = date_field(label=_("Valid to"), required=False)
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "Columns: code, title, theme; optionally version, valid_from, valid_to, "
            "recommended_activities, arenas. Norwegian column names (kode, tittel, tema, "
            "læringsaktiviteter, læringsarenaer) work too."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Row(Column("kind", css_class="col-sm-6"), Column("version", css_class="col-sm-6")),
            Row(
                Column("valid_from", css_class="col-sm-6"),
                Column("valid_to", css_class="col-sm-6"),
            ),
            "file",
        )

    def clean_file(self):
        file = self.cleaned_data["file"]
        validate_upload(file, allowed=(".csv", ".xlsx"))
        return file


class PlanForm(forms.Form):
    """Make a plan (with `alis`) or change one (without)."""

    alis = forms.ModelChoiceField(label=_("ALIS"), queryset=None, empty_label=None)
    municipality = forms.ModelChoiceField(
        label=_("Education institution"),
        queryset=None,
        help_text=_("The municipality responsible for the education now."),
    )
    start_date = date_field(
        label=_("Start of the specialist education"),
        help_text=_("The rule set follows from it: before 1 March 2019 the old rules."),
    )
    rule_set = forms.ChoiceField(label=_("Rule set"), required=False)
    education_leader = forms.ModelChoiceField(
        label=_("Education leader"),
        queryset=None,
        required=False,
        help_text=_(
            "The leader of the education institution (or whom they delegate to), who attests "
            "learning objectives: a manager or supervisor of the municipality."
        ),
    )

    def __init__(self, *args, user, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = Municipality.objects.editable_by(user).order_by("name")
        self.fields["municipality"].queryset = municipalities
        self.fields["education_leader"].queryset = services.leader_candidates(municipalities)
        self.fields["education_leader"].label_from_instance = _person_with_email
        if len(municipalities) == 1 and plan is None:
            self.fields["municipality"].initial = municipalities[0].pk
        if plan is None:
            self.fields["alis"].queryset = services.alis_candidates(user)
            self.fields["alis"].label_from_instance = _person_with_email
            if not self.fields["alis"].queryset.exists():
                self.fields["alis"].help_text = _(
                    "Every ALIS of your municipalities has a plan already. An ALIS appears "
                    "here once they hold the ALIS role or are employed in a position there."
                )
            self.fields["rule_set"].choices = [
                ("", _("From the start date")),
                *RuleSet.choices,
            ]
            if user.pk in self.fields["education_leader"].queryset.values_list("pk", flat=True):
                self.fields["education_leader"].initial = user.pk
        else:
            del self.fields["alis"]
            self.fields["rule_set"].choices = RuleSet.choices
            self.fields["rule_set"].required = True
        self.helper = _helper(
            *(["alis"] if plan is None else []),
            "municipality",
            Row(
                Column("start_date", css_class="col-sm-6"),
                Column("rule_set", css_class="col-sm-6"),
            ),
            "education_leader",
        )


def _person_with_email(user) -> str:
    return f"{user} ({user.email})"


class CatalogueMoveForm(forms.Form):
    catalogue = forms.ModelChoiceField(label=_("New catalogue version"), queryset=None)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        current = [c.pk for c in plan.catalogues]
        self.fields["catalogue"].queryset = Catalogue.objects.exclude(pk__in=current).order_by(
            "kind", "-valid_from"
        )
        self.helper = _helper("catalogue")


class ServicePeriodForm(forms.ModelForm):
    start_date = date_field(label=_("From"))
    end_date = date_field(label=_("To"), required=False, help_text=_("Empty: ongoing."))

    class Meta:
        model = ServicePeriod
        fields = [
            "service_type",
            "arena",
            "place",
            "practice",
            "start_date",
            "end_date",
            "percentage",
            "note",
        ]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        if plan.rule_set != RuleSet.OLD:
            self.fields["service_type"].choices = [
                c for c in self.fields["service_type"].choices if c[0] != ServiceType.OLD_HOSPITAL
            ]
        self.fields["practice"].queryset = Practice.objects.filter(
            municipality_id=plan.municipality_id, is_active=True
        )
        self.fields["practice"].required = False
        self.fields["percentage"].widget.attrs.update(min=1, max=100, step="any")
        self.helper = _helper(
            Row(
                Column("service_type", css_class="col-md-6"),
                Column("arena", css_class="col-md-6"),
            ),
            Row(Column("place", css_class="col-md-6"), Column("practice", css_class="col-md-6")),
            Row(
                Column("start_date", css_class="col-sm-4"),
                Column("end_date", css_class="col-sm-4"),
                Column("percentage", css_class="col-sm-4"),
            ),
            "note",
        )


class GroupPeriodForm(forms.ModelForm):
    start_date = date_field(label=_("From"))
    end_date = date_field(label=_("To"), required=False, help_text=_("Empty: ongoing."))

    class Meta:
        model = GroupSupervisionPeriod
        fields = ["title", "start_date", "end_date"]
        help_texts = {"title": _("The supervision group, e.g. “Veiledningsgruppe Sogn 2024”.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "title",
            Row(
                Column("start_date", css_class="col-sm-6"),
                Column("end_date", css_class="col-sm-6"),
            ),
        )


class ActivityForm(forms.ModelForm):
    date = date_field(label=_("Date"), initial=timezone.localdate)
    objectives = forms.TypedMultipleChoiceField(
        label=_("Learning objectives"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The objectives the activity worked toward."),
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("PDF, PNG or JPG, e.g. a course certificate."),
        widget=forms.FileInput(attrs={"accept": ",".join(SCANS)}),
    )
    remove_attachment = forms.BooleanField(label=_("Remove the attachment"), required=False)

    class Meta:
        model = LearningActivity
        fields = ["status", "kind", "date", "hours", "title", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        objectives = Objective.objects.filter(catalogue__in=plan.catalogues).select_related(
            "catalogue"
        )
        self.objective_by_pk = {o.pk: o for o in objectives}
        groups = defaultdict(list)
        for o in sorted(objectives, key=lambda o: (o.catalogue.kind, o.theme, o.code)):
            label = f"{o.catalogue.get_kind_display()} · {o.theme}" if o.theme else str(o.catalogue)
            groups[label].append((o.pk, f"{o.code} {o.title}"))
        self.fields["objectives"].choices = list(groups.items())
        if self.instance.pk:
            self.initial["objectives"] = list(self.instance.objectives.values_list("pk", flat=True))
        if not self.instance.attachment:
            del self.fields["remove_attachment"]
        self.fields["hours"].widget.attrs.update(min=0, max=1000, step="0.25")
        self.helper = _helper(
            Row(
                Column("status", css_class="col-sm-4"),
                Column("kind", css_class="col-sm-8"),
            ),
            Row(Column("date", css_class="col-sm-6"), Column("hours", css_class="col-sm-6")),
            "title",
            Field("objectives", wrapper_class="objective-picker"),
            "note",
            "attachment",
            *(["remove_attachment"] if "remove_attachment" in self.fields else []),
        )

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["objectives"] = [self.objective_by_pk[pk] for pk in data.get("objectives", [])]
        data.setdefault("remove_attachment", False)
        return data


class AttestationRequestForm(forms.Form):
    note = forms.CharField(
        label=_("How the objective was achieved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Activities, feedback or assessments that show the competence."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("note")


class AttestationDecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment to the ALIS"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return the request: say what is missing."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("comment")


class PlanListFilter(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=None,
        required=False,
        empty_label=_("All municipalities"),
    )
    q = forms.CharField(label=_("Name"), required=False)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
