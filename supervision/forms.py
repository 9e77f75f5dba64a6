from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from education_plans.models import SupervisionRelationship
from municipalities.forms import date_field
from municipalities.models import Municipality, Practice
from supervision.models import (
    MAX_MINUTES,
    MIN_MINUTES,
    SupervisionGroup,
    Supervisor,
)


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*layout)
    return helper


class PracticeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.municipality.name})"


class SupervisorForm(forms.ModelForm):
    """A register entry; `municipalities` are those the person may register supervisors in."""

    course_completed_on = date_field(
        label=_("Course completed"),
        required=False,
        help_text=_("Empty: the course is not completed yet."),
    )
    practice = PracticeChoiceField(
        queryset=Practice.objects.none(), required=False, label=_("Workplace")
    )

    class Meta:
        model = Supervisor
        fields = [
            "municipality",
            "practice",
            "is_specialist",
            "specialist_year",
            "course_name",
            "course_completed_on",
            "capacity",
            "in_pool",
            "is_active",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["practice"].queryset = (
            Practice.objects.filter(municipality__in=municipalities, is_active=True)
            .select_related("municipality")
            .order_by("municipality__name", "name")
        )
        self.fields["specialist_year"].help_text = _("The year of approval as a specialist.")
        if self.instance.pk is None:
            del self.fields["is_active"]
        self.helper = _helper(
            Row(
                Column("municipality", css_class="col-md-5"),
                Column("practice", css_class="col-md-7"),
            ),
            Row(
                Column("is_specialist", css_class="col-md-6 pt-md-4"),
                Column("specialist_year", css_class="col-md-6"),
            ),
            Row(
                Column("course_name", css_class="col-md-8"),
                Column("course_completed_on", css_class="col-md-4"),
            ),
            Row(
                Column(Field("capacity", css_class="w-auto"), css_class="col-md-4"),
                Column("in_pool", css_class="col-md-8 pt-md-4"),
            ),
            *(["is_active"] if "is_active" in self.fields else []),
            "note",
        )

    def clean(self):
        data = super().clean()
        practice, municipality = data.get("practice"), data.get("municipality")
        if practice and municipality and practice.municipality_id != municipality.pk:
            self.add_error("practice", _("The workplace must be in %(m)s.") % {"m": municipality})
        return data

    def values(self) -> dict:
        return dict(self.cleaned_data)


class SupervisorRegisterForm(SupervisorForm):
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("If the person already has a login, the entry is added to it."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    hpr_number = forms.RegexField(
        label=_("HPR number"), regex=r"^\d{4,9}$", required=False, max_length=9
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout.insert(
            0,
            Row(
                Column("first_name", css_class="col-md-4"),
                Column("last_name", css_class="col-md-4"),
                Column("hpr_number", css_class="col-md-4"),
            ),
        )
        self.helper.layout.insert(1, "email")

    PERSON = ("email", "first_name", "last_name", "hpr_number")

    def person(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.PERSON}

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in self.PERSON}


class SupervisorChoiceField(forms.ModelChoiceField):
    """Register entries, labelled with where they work and how full they are."""

    def label_from_instance(self, obj):
        label = _("%(name)s, %(municipality)s – %(load)s of %(capacity)s taken") % {
            "name": obj.person,
            "municipality": obj.municipality.name,
            "load": obj.load,
            "capacity": obj.capacity,
        }
        if not obj.has_course:
            label = f"{label} · {_('no supervisor course')}"
        if obj.in_pool:
            label = f"{label} · {_('pool')}"
        return label


def supervisor_queryset(user):
    return (
        Supervisor.objects.visible_to(user)
        .active()
        .with_load()
        .select_related("person", "municipality")
        .order_by("municipality__name", "person__last_name", "person__first_name")
    )


class RelationshipStartForm(forms.Form):
    supervisor = SupervisorChoiceField(queryset=Supervisor.objects.none(), label=_("Supervisor"))
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=SupervisionRelationship.Kind.choices,
        initial=SupervisionRelationship.Kind.INDIVIDUAL,
        help_text=_(
            "Supervisor: individual supervision (veiledning). Clinical supervisor: daily "
            "clinical supervision (supervisjon)."
        ),
    )
    start_date = date_field(label=_("From"), initial=timezone.localdate)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisor_queryset(user)
        self.helper = _helper(
            "supervisor",
            Row(Column("kind", css_class="col-md-6"), Column("start_date", css_class="col-md-6")),
        )


class RelationshipChangeForm(forms.Form):
    supervisor = SupervisorChoiceField(
        queryset=Supervisor.objects.none(), label=_("New supervisor")
    )
    start_date = date_field(
        label=_("New supervisor from"),
        initial=timezone.localdate,
        help_text=_("The current relationship ends the day before."),
    )

    def __init__(self, *args, user, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisor_queryset(user).exclude(
            person_id=current.supervisor_id
        )
        self.helper = _helper("supervisor", Field("start_date", css_class="w-auto"))


class RelationshipEndForm(forms.Form):
    end_date = date_field(label=_("Last day"), initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("end_date", css_class="w-auto"))


class ObjectiveField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.title}"


class SessionForm(forms.Form):
    """A session in the log. The supervisor is chosen only when the ALIS logs it."""

    date = date_field(label=_("Date"), initial=timezone.localdate)
    supervisor = forms.ModelChoiceField(queryset=None, label=_("Supervisor"))
    minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=MIN_MINUTES,
        max_value=MAX_MINUTES,
        initial=60,
        help_text=_("4 hours a month is the requirement (3 hours before 2021)."),
    )
    topics = forms.CharField(
        label=_("Topics"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you talked about. Those who follow the plan can read this."),
    )
    objectives = ObjectiveField(
        queryset=None,
        required=False,
        label=_("Learning objectives discussed"),
        widget=forms.CheckboxSelectMultiple,
    )
    private_notes = forms.CharField(
        label=_("Private notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Only the ALIS and the supervisor of this session can read these – not the "
            "municipality, the ALIS Vest office or a later supervisor."
        ),
    )

    def __init__(self, *args, supervisors=None, objectives, correction=False, **kwargs):
        super().__init__(*args, **kwargs)
        if supervisors is None:
            del self.fields["supervisor"]
        else:
            self.fields["supervisor"].queryset = supervisors
        self.fields["objectives"].queryset = objectives
        if not objectives.exists():
            del self.fields["objectives"]
        layout = [
            Row(
                Column("date", css_class="col-sm-6 col-md-4"),
                Column("minutes", css_class="col-sm-6 col-md-4"),
                *(
                    [Column("supervisor", css_class="col-md-4")]
                    if "supervisor" in self.fields
                    else []
                ),
            ),
            "topics",
            *(
                [Field("objectives", wrapper_class="objective-choices")]
                if "objectives" in self.fields
                else []
            ),
            "private_notes",
        ]
        if correction:
            self.fields["reason"] = forms.CharField(
                label=_("Reason for the correction"),
                max_length=300,
                help_text=_("The signed version is kept; the correction needs a new signature."),
            )
            layout.insert(0, "reason")
        self.helper = _helper(*layout)

    def values(self) -> dict:
        return dict(self.cleaned_data)


# Groups


class GroupForm(forms.ModelForm):
    start_date = date_field(label=_("From"))
    end_date = date_field(label=_("To"), required=False)

    class Meta:
        model = SupervisionGroup
        fields = [
            "name",
            "leader",
            "start_date",
            "end_date",
            "municipalities",
            "meeting_place",
            "description",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "municipalities": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, leaders, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders
        self.fields["municipalities"].queryset = Municipality.objects.filter(region=region)
        self.helper = _helper(
            Row(Column("name", css_class="col-md-7"), Column("leader", css_class="col-md-5")),
            Row(
                Column("start_date", css_class="col-sm-6 col-md-4"),
                Column("end_date", css_class="col-sm-6 col-md-4"),
            ),
            "municipalities",
            "meeting_place",
            "description",
        )


class MembershipForm(forms.Form):
    alis = forms.ModelChoiceField(queryset=None, label=_("ALIS"))
    start_date = date_field(label=_("From"), initial=timezone.localdate)
    end_date = date_field(
        label=_("To"), required=False, help_text=_("Empty: until the group ends.")
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is None:
            del self.fields["alis"]
        else:
            self.fields["alis"].queryset = members
        self.helper = _helper(
            *(["alis"] if "alis" in self.fields else []),
            Row(
                Column("start_date", css_class="col-sm-6"),
                Column("end_date", css_class="col-sm-6"),
            ),
        )


class MeetingForm(forms.Form):
    date = date_field(label=_("Date"), initial=timezone.localdate)
    minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=MIN_MINUTES, max_value=MAX_MINUTES, initial=180
    )
    topics = forms.CharField(label=_("Theme"), max_length=300, required=False)
    present = forms.MultipleChoiceField(
        label=_("Present"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the members who attended. Attendance counts in their education plans."),
    )
    notes = forms.CharField(
        label=_("Group notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the group's leader and members can read these."),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(m.pk), str(m)) for m in members]
        self.helper = _helper(
            Row(
                Column("date", css_class="col-sm-6 col-md-4"),
                Column("minutes", css_class="col-sm-6 col-md-4"),
            ),
            "topics",
            "present",
            "notes",
        )

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["present"] = {int(pk) for pk in data["present"]}
        return data
