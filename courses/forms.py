import datetime
from decimal import ROUND_HALF_UP, Decimal

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from courses.models import (
    Course,
    CourseEvent,
    CourseKind,
    EventFormat,
    EventSession,
    Participation,
)

# Times typed the Norwegian way (22.11.2026 09:00) or picked in the browser (ISO).
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y kl. %H:%M"]
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def datetime_field(**kwargs):
    return forms.DateTimeField(
        widget=DateTimeInput(), input_formats=DATETIME_INPUT_FORMATS, **kwargs
    )


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["region", "kind", "title", "description", "target_group", "hours", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        if self.instance.pk or len(regions) == 1:
            # One region (the usual case) or an existing course: nothing to choose.
            del self.fields["region"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *(["region"] if "region" in self.fields else []),
            Row(Column("kind", css_class="col-md-5"), Column("title", css_class="col-md-7")),
            "description",
            Row(
                Column("target_group", css_class="col-md-8"),
                Column("hours", css_class="col-md-4"),
            ),
            "is_active",
        )


class CourseEventForm(forms.ModelForm):
    online_link = forms.URLField(
        label=_("Link for digital participation"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=CourseEvent._meta.get_field("online_link").help_text,
    )
    registration_deadline = datetime_field(
        label=_("Registration deadline"),
        required=False,
        help_text=CourseEvent._meta.get_field("registration_deadline").help_text,
    )
    cancellation_deadline = datetime_field(
        label=_("Cancellation deadline"),
        required=False,
        help_text=CourseEvent._meta.get_field("cancellation_deadline").help_text,
    )

    class Meta:
        model = CourseEvent
        fields = [
            "title",
            "format",
            "place",
            "online_link",
            "capacity_physical",
            "capacity_digital",
            "registration_deadline",
            "cancellation_deadline",
            "price",
            "target_group",
            "description",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "format": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["price"].help_text = _("Whole kroner; 0 for a free event.")
        self.fields["price"].widget.attrs.update(min=0, step=1)
        for name in ("capacity_physical", "capacity_digital"):
            self.fields[name].widget.attrs.update(min=0)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "title",
            "format",
            Row(
                Column("place", css_class="col-md-7"),
                Column("online_link", css_class="col-md-5"),
            ),
            Row(
                Column("capacity_physical", css_class="col-sm-6 col-md-3"),
                Column("capacity_digital", css_class="col-sm-6 col-md-3"),
                Column("price", css_class="col-sm-6 col-md-3"),
            ),
            Row(
                Column("registration_deadline", css_class="col-sm-6"),
                Column("cancellation_deadline", css_class="col-sm-6"),
            ),
            "target_group",
            "description",
        )

    def clean(self):
        data = super().clean()
        fmt = data.get("format")
        # A format's places that the event does not offer are cleared rather than refused:
        # switching an event from hybrid to on site should not need two edits.
        if fmt == EventFormat.PHYSICAL:
            data["capacity_digital"] = None
        if fmt == EventFormat.DIGITAL:
            data["capacity_physical"] = None
        return data


class SessionForm(forms.ModelForm):
    starts_at = datetime_field(label=_("Starts"))
    ends_at = datetime_field(label=_("Ends"))

    class Meta:
        model = EventSession
        fields = ["title", "starts_at", "ends_at", "hours"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hours"].required = False
        self.fields["hours"].widget.attrs.update(min=0, step="0.5")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("title", css_class="col-md-3"),
                Column("starts_at", css_class="col-sm-6 col-md-3"),
                Column("ends_at", css_class="col-sm-6 col-md-3"),
                Column("hours", css_class="col-md-3"),
            ),
        )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends:
            if ends <= starts:
                self.add_error("ends_at", _("The session must end after it starts."))
            elif data.get("hours") is None:
                length = Decimal((ends - starts).total_seconds()) / 3600
                data["hours"] = (length * 2).quantize(Decimal(1), ROUND_HALF_UP) / 2
        return data


class BaseSessionFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="sessions", **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this session")


SessionFormSet = inlineformset_factory(
    CourseEvent,
    EventSession,
    form=SessionForm,
    formset=BaseSessionFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
)


def session_data(formset) -> tuple[list[dict], list[EventSession]]:
    """What a valid formset asks for: the sessions to keep or add (an existing one as
    `session`) and the ones to remove. Blank rows nobody touched are skipped."""
    sessions, removed = [], []
    for form in formset.forms:
        if not form.has_changed() and form.instance.pk is None:
            continue
        if form in formset.deleted_forms:
            if form.instance.pk:
                removed.append(form.instance)
            continue
        data = {k: form.cleaned_data[k] for k in ("title", "starts_at", "ends_at", "hours")}
        if form.instance.pk:
            data["session"] = form.instance
        sessions.append(data)
    return sessions, removed


def _format_choices(event: CourseEvent) -> list[tuple[str, str]]:
    choices = []
    for row in event.places():
        if row["left"] is None:
            note = _("open")
        elif row["left"]:
            note = ngettext("%(n)s place left", "%(n)s places left", row["left"]) % {
                "n": row["left"]
            }
        else:
            note = _("full: waiting list")
        choices.append((row["format"], f"{row['label']} ({note})"))
    return choices


class SelfRegistrationForm(forms.Form):
    format = forms.ChoiceField(label=_("How will you take part?"), widget=forms.RadioSelect)
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("Your municipality, practice or employer, for the participant list."),
    )

    def __init__(self, *args, event: CourseEvent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = _format_choices(event)
        if len(event.formats) == 1:
            self.fields["format"].initial = event.formats[0]
            self.fields["format"].widget = forms.HiddenInput()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("format", "organisation")


class AdviserRegistrationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("If the person has an account in the portal, the registration is theirs."),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        help_text=_("Needed for a person without an account."),
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    format = forms.ChoiceField(label=_("Takes part"), widget=forms.RadioSelect)

    def __init__(self, *args, event: CourseEvent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = _format_choices(event)
        if len(event.formats) == 1:
            self.fields["format"].initial = event.formats[0]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("email", css_class="col-md-6"), Column("name", css_class="col-md-6")),
            "organisation",
            "format",
        )

    def clean(self):
        data = super().clean()
        email = data.get("email")
        if email and not data.get("name"):
            if not get_user_model().objects.filter(email__iexact=email).exists():
                self.add_error("name", _("Give the name of a person without an account."))
        return data


class EventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(
        field_name="course__kind",
        choices=CourseKind.choices,
        label=_("Kind"),
        empty_label=_("All kinds"),
    )
    format = django_filters.ChoiceFilter(
        method="takes_part",
        choices=Participation.choices,
        label=_("Format"),
        empty_label=_("All formats"),
    )
    date_from = django_filters.DateFilter(
        method="from_date",
        label=_("From"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    open = django_filters.BooleanFilter(
        method="open_for_registration",
        label=_("Open for registration"),
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = CourseEvent
        fields = ["q", "kind", "format", "date_from", "open"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(title__icontains=value)
            | Q(course__title__icontains=value)
            | Q(place__icontains=value)
            | Q(target_group__icontains=value)
        )

    def takes_part(self, queryset, name, value):
        return queryset.filter(format__in=[value, EventFormat.HYBRID])

    def from_date(self, queryset, name, value):
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(value, datetime.time.min, tzinfo=tz)
        return queryset.filter(ends_at__gte=start)

    def open_for_registration(self, queryset, name, value):
        if not value:
            return queryset
        now = timezone.now()
        return queryset.filter(starts_at__gt=now).filter(
            Q(registration_deadline__isnull=True) | Q(registration_deadline__gte=now)
        )
