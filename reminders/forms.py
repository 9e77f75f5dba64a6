import calendar
import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Field, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reminders.kinds import KINDS
from reminders.models import Frequency, ReminderKind, Weekday, WheelTask

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"]
MAX_OFFSET = 365


class DaysField(forms.CharField):
    """Whole days typed as a list, "30, 7, 0", stored as [30, 7, 0] (longest first)."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(day) for day in value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return []
        parts = [part for part in re.split(r"[\s,;]+", value) if part]
        if not all(part.isdigit() for part in parts):
            raise ValidationError(_("Write whole days separated by commas, e.g. 30, 7, 0."))
        days = sorted({int(part) for part in parts}, reverse=True)
        if days[0] > MAX_OFFSET:
            raise ValidationError(_("At most %(max)s days before the date.") % {"max": MAX_OFFSET})
        return days


class ReminderKindForm(forms.ModelForm):
    offsets = DaysField(label=_("Remind days before the due date"))
    counted_from = forms.DateField(
        label=_("Counted from"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=ReminderKind._meta.get_field("counted_from").help_text,
    )

    class Meta:
        model = ReminderKind
        fields = ["enabled", "offsets", "repeat_days", "period_days", "counted_from", "optional"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offsets"].help_text = _(
            "Whole days, e.g. 30, 7, 0: a reminder 30 and 7 days before, and on the day."
        )
        uses_period = KINDS[self.instance.code].uses_period
        if not uses_period:
            del self.fields["period_days"]
            del self.fields["counted_from"]
        else:
            self.fields["period_days"].required = True
            self.fields["period_days"].help_text = KINDS[self.instance.code].period_help
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "enabled",
            Row(
                Column("offsets", css_class="col-md-6"),
                Column("repeat_days", css_class="col-md-6"),
            ),
            *(
                [
                    Row(
                        Column("period_days", css_class="col-md-6"),
                        Column("counted_from", css_class="col-md-6"),
                    )
                ]
                if uses_period
                else []
            ),
            "optional",
        )

    def clean_offsets(self):
        offsets = self.cleaned_data["offsets"]
        if not offsets:
            raise ValidationError(_("Give at least one day, e.g. 0 for the due date."))
        return offsets


class DigestPreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often do you want the e-mail?"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
    )
    weekday = forms.TypedChoiceField(
        label=_("Weekday of the weekly e-mail"),
        choices=[("", "—"), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    receive = forms.ModelMultipleChoiceField(
        label=_("Optional reminders I want"),
        queryset=ReminderKind.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Untick a kind to stop getting it, by e-mail and in your notifications."),
    )

    def __init__(self, *args, optional_kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.optional_kinds = optional_kinds
        self.fields["receive"].queryset = ReminderKind.objects.filter(
            pk__in=[kind.pk for kind in optional_kinds]
        )
        self.fields["receive"].label_from_instance = lambda kind: kind.label
        if not optional_kinds:
            del self.fields["receive"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "frequency",
            Div(Field("weekday"), css_class="col-sm-8 col-md-6"),
            *(["receive"] if optional_kinds else []),
        )

    def clean(self):
        data = super().clean()
        if data.get("frequency") == Frequency.WEEKLY and data.get("weekday") is None:
            self.add_error("weekday", _("Choose the weekday of your weekly digest."))
        return data

    def muted(self) -> list[ReminderKind]:
        receive = set(self.cleaned_data.get("receive") or [])
        return [kind for kind in self.optional_kinds if kind not in receive]


class WheelTaskForm(forms.ModelForm):
    RULE_DATE, RULE_WEEKDAY = "date", "weekday"
    rule = forms.ChoiceField(
        label=_("Every year on"),
        choices=[(RULE_DATE, _("a date")), (RULE_WEEKDAY, _("a weekday of the month"))],
        widget=forms.RadioSelect,
        initial=RULE_DATE,
    )
    lead_days = DaysField(
        label=_("Remind days before"),
        required=False,
        help_text=_("E.g. 30, 7, 0. Empty: the settings of the annual-wheel reminders."),
    )

    class Meta:
        model = WheelTask
        fields = [
            "title",
            "description",
            "month",
            "day",
            "weekday",
            "week",
            "owners",
            "lead_days",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "owners": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owners"].queryset = owners
        if self.instance.pk and self.instance.weekday is not None:
            self.initial["rule"] = self.RULE_WEEKDAY
        self.fields["day"].help_text = _("For a date rule.")
        self.fields["weekday"].help_text = _("For a weekday rule, with “which”.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "title",
            "description",
            "rule",
            Row(
                Column("month", css_class="col-sm-6 col-md-3"),
                Column("day", css_class="col-sm-6 col-md-3"),
                Column("week", css_class="col-sm-6 col-md-3"),
                Column("weekday", css_class="col-sm-6 col-md-3"),
            ),
            "owners",
            Div(Field("lead_days"), css_class="col-md-6"),
            "is_active",
        )

    def clean(self):
        data = super().clean()
        rule, month = data.get("rule"), data.get("month")
        if rule == self.RULE_DATE:
            data["weekday"] = data["week"] = None
            day = data.get("day")
            if day is None:
                self.add_error("day", _("Give the day of the month."))
            elif month and day > calendar.monthrange(2024, month)[1]:
                self.add_error("day", _("That month has fewer days."))
        elif rule == self.RULE_WEEKDAY:
            data["day"] = None
            if data.get("weekday") is None:
                self.add_error("weekday", _("Choose the weekday."))
            if data.get("week") is None:
                self.add_error("week", _("Choose which of the month's weekdays."))
        return data

    def values(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ["title", "description", "month", "day", "weekday", "week", "is_active"]
        } | {"lead_days": self.cleaned_data["lead_days"]}
