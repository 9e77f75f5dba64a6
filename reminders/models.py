"""Reminders: how each kind is configured, what was recorded for whom, the digests that carried
them, each person's digest preference, and the office's annual wheel.

A reminder is one row of `Notification`, unique on (kind, object, recipient, due date, stage):
the engine records it before anything is sent, so a rerun, a retried task or a worker killed
mid-run can neither send it twice nor lose it (see `services.py`).
"""

import calendar
import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import scope_for


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ReminderKind(models.Model):
    """The advisers' settings of one kind of reminder registered in `reminders/kinds.py`.

    A row is made with the kind's defaults the first time the engine or the settings page
    needs it, so adding a kind needs no migration.
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    enabled = models.BooleanField(
        _("in use"), default=True, help_text=_("Off: nobody gets reminders of this kind.")
    )
    offsets = models.JSONField(
        _("days before"),
        default=list,
        help_text=_("Remind this many days before the due date, e.g. 30, 7, 0."),
    )
    repeat_days = models.PositiveSmallIntegerField(
        _("repeat while overdue, every … days"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Empty: no more reminders after the due date."),
    )
    period_days = models.PositiveSmallIntegerField(
        _("period in days"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    counted_from = models.DateField(
        _("counted from"),
        default=timezone.localdate,
        help_text=_(
            "Where nothing has happened yet (a municipality never met), the period counts "
            "from this day."
        ),
    )
    optional = models.BooleanField(
        _("optional"),
        default=False,
        help_text=_("Optional reminders can be turned off by each person."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reminder kind")
        verbose_name_plural = _("reminder kinds")
        ordering = ["code"]

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        from reminders.kinds import KINDS

        kind = KINDS.get(self.code)
        return kind.label if kind else self.code

    @property
    def lead_days(self) -> int:
        """How far ahead the kind must look: its longest offset."""
        return max(self.offsets, default=0)


class DigestQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(recipient_id=scope_for(user).user_id)


class Digest(models.Model):
    """One e-mail that carried a person's reminders: the sent log."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_digests",
        verbose_name=_("recipient"),
    )
    on = models.DateField(_("date"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    size = models.PositiveIntegerField(_("reminders"))

    objects = DigestQuerySet.as_manager()

    class Meta:
        verbose_name = _("digest e-mail")
        verbose_name_plural = _("digest e-mails")
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.recipient} {self.on:%d.%m.%Y}"


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person's own reminders, and nobody else's."""
        return self.filter(recipient_id=scope_for(user).user_id)

    def current(self):
        """What the person is shown: everything not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)

    def pending(self):
        """Recorded but not yet e-mailed (and not withdrawn): what the next digest carries."""
        return self.filter(emailed_at__isnull=True, withdrawn_at__isnull=True)

    def unread(self):
        return self.current().filter(read_at__isnull=True)

    def kind_counts(self) -> list[dict]:
        """Per kind, in the registry's order: its code, label, how many and how many unread."""
        from reminders.kinds import KINDS

        rows = {
            row["kind"]: row
            for row in self.values("kind")
            .annotate(total=Count("pk"), unread=Count("pk", filter=Q(read_at__isnull=True)))
            .order_by()
        }
        return [
            {
                "code": code,
                "label": kind.label,
                "total": rows[code]["total"],
                "unread": rows[code]["unread"],
            }
            for code, kind in KINDS.items()
            if code in rows
        ]


class Notification(models.Model):
    """One reminder for one person: shown in their "Varsler" and carried by one digest."""

    kind = models.CharField(_("kind"), max_length=50)
    object_key = models.CharField(
        _("object"),
        max_length=100,
        help_text=_("What it is about, e.g. “municipalities.nextaction:42”."),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    due_date = models.DateField(_("due date"))
    remind_on = models.DateField(
        _("reminder date"), help_text=_("The day of this reminder: the due date minus an offset.")
    )
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("link"), max_length=300)
    recorded_on = models.DateField(_("recorded on"))
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    digest = models.ForeignKey(
        Digest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("digest e-mail"),
    )
    withdrawn_at = models.DateTimeField(
        _("withdrawn"),
        null=True,
        blank=True,
        help_text=_("No longer due before it was e-mailed (done, turned off or superseded)."),
    )
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-recorded_on", "due_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "recipient", "due_date", "remind_on"],
                name="notification_once_per_stage",
            ),
            models.CheckConstraint(
                condition=Q(emailed_at__isnull=True) | Q(withdrawn_at__isnull=True),
                name="notification_emailed_or_withdrawn",
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "recorded_on"],
                condition=Q(emailed_at__isnull=True, withdrawn_at__isnull=True),
                name="notification_pending",
            ),
            models.Index(fields=["recipient", "-recorded_on"], name="notification_by_recipient"),
        ]

    def __str__(self):
        return self.title

    @property
    def kind_label(self):
        from reminders.kinds import KINDS

        kind = KINDS.get(self.kind)
        return kind.label if kind else self.kind

    @property
    def date_text(self) -> str:
        """The due date in the kind's own words ("ends 07.01.2027"); empty: the usual
        "due …" / "overdue since …"."""
        from reminders.kinds import KINDS

        kind = KINDS.get(self.kind)
        if not kind or not kind.date_text:
            return ""
        return kind.date_text % {"date": formats.date_format(self.due_date, "SHORT_DATE_FORMAT")}

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        return self.due_date < (on or timezone.localdate())


class DigestPreference(models.Model):
    """How often a person wants their digest, and which optional kinds they turned off.
    Without a row a person gets a daily digest of every kind."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_preference",
        verbose_name=_("person"),
    )
    frequency = models.CharField(
        _("digest e-mail"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, null=True, blank=True
    )
    muted_kinds = models.ManyToManyField(
        ReminderKind, blank=True, related_name="+", verbose_name=_("turned off")
    )

    class Meta:
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")
        constraints = [
            models.CheckConstraint(
                condition=~Q(frequency="weekly") | Q(weekday__isnull=False),
                name="digestpreference_weekly_has_weekday",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_frequency_display()}"


def digest_due(*, frequency: str, weekday: int | None, oldest: datetime.date, on: datetime.date):
    """Whether a person's digest goes out on `on`, given the day their oldest pending reminder
    was recorded. Daily: every day. Weekly: on the chosen weekday, or later if that day's
    digest did not go out (a missed run loses nothing)."""
    if frequency != Frequency.WEEKLY or weekday is None:
        return True
    last_digest_day = on - datetime.timedelta(days=(on.weekday() - weekday) % 7)
    return oldest <= last_digest_day


# The annual wheel


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("first")
    SECOND = 2, _("second")
    THIRD = 3, _("third")
    FOURTH = 4, _("fourth")
    LAST = -1, _("last")


class WheelTaskQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The office's own planning: the advisers of the task's region."""
        return self.filter(region_id__in=scope_for(user).region_ids)

    def active(self):
        return self.filter(is_active=True)


class WheelTask(models.Model):
    """A recurring office task in the annual wheel (årshjul), on a date every year: a fixed day
    ("31 August") or a weekday rule ("the last Monday of October")."""

    region = models.ForeignKey(
        "municipalities.Region",
        on_delete=models.PROTECT,
        related_name="wheel_tasks",
        verbose_name=_("region"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    month = models.PositiveSmallIntegerField(
        _("month"),
        choices=list(MONTHS.items()),
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    day = models.PositiveSmallIntegerField(
        _("day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_(
            "A day past the month's end means its last day (29 February in other years: 28)."
        ),
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, null=True, blank=True
    )
    week = models.SmallIntegerField(_("which"), choices=WeekOfMonth.choices, null=True, blank=True)
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="wheel_tasks",
        verbose_name=_("owners"),
        help_text=_("Who is reminded. Nobody chosen: every adviser of the region."),
    )
    lead_days = models.JSONField(
        _("remind days before"),
        default=list,
        blank=True,
        help_text=_("E.g. 30, 7, 0. Empty: the settings of the annual-wheel reminders."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[owners])

    objects = WheelTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual wheel task")
        verbose_name_plural = _("annual wheel tasks")
        ordering = ["month", "day", "week", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(day__isnull=False, weekday__isnull=True, week__isnull=True)
                    | Q(day__isnull=True, weekday__isnull=False, week__isnull=False)
                ),
                name="wheeltask_date_or_weekday_rule",
            ),
        ]

    def __str__(self):
        return self.title

    def date_in(self, year: int) -> datetime.date:
        """The task's date in a year."""
        days_in_month = calendar.monthrange(year, self.month)[1]
        if self.day is not None:
            return datetime.date(year, self.month, min(self.day, days_in_month))
        if self.week == WeekOfMonth.LAST:
            last = datetime.date(year, self.month, days_in_month)
            return last - datetime.timedelta(days=(last.weekday() - self.weekday) % 7)
        first = datetime.date(year, self.month, 1)
        first_match = first + datetime.timedelta(days=(self.weekday - first.weekday()) % 7)
        return first_match + datetime.timedelta(weeks=self.week - 1)

    @property
    def rule_text(self) -> str:
        """The rule as people say it: "31 August", "the last Monday of October"."""
        month = MONTHS[self.month]
        if self.day is not None:
            return _("%(day)s %(month)s") % {"day": self.day, "month": month}
        return _("the %(week)s %(weekday)s of %(month)s") % {
            "week": WeekOfMonth(self.week).label,
            "weekday": WEEKDAYS[self.weekday],
            "month": month,
        }


class WheelCompletion(models.Model):
    """A wheel task done for a year: no more reminders for that year's date."""

    task = models.ForeignKey(
        WheelTask, on_delete=models.CASCADE, related_name="completions", verbose_name=_("task")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    done_at = models.DateTimeField(_("done"), default=timezone.now)

    class Meta:
        verbose_name = _("annual wheel task done")
        verbose_name_plural = _("annual wheel tasks done")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["task", "year"], name="wheelcompletion_once_a_year"),
        ]

    def __str__(self):
        return f"{self.task} {self.year}"
