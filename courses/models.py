"""Courses and events: the office's courses (the supervisor course module, train-the-trainers,
regional gatherings, the ALIS conference), their events with sessions, registrations with a
waiting list per format, attendance per session and certificates of attendance.

Attendance by an ALIS reaches the education plan only through the ledger
(`education_plans.services.activity_record_external`), under the source key
`courses.attendance:<registration id>`.
"""

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, F, IntegerField, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.scope import scope_for
from municipalities.models import Region

hours_validators = [MinValueValidator(0), MaxValueValidator(1000)]


def _local(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


class CourseKind(models.TextChoices):
    SUPERVISOR_COURSE = "supervisor_course", _("Supervisor course module")
    TRAIN_THE_TRAINERS = "train_the_trainers", _("Train the trainers")
    REGIONAL_GATHERING = "regional_gathering", _("Regional gathering")
    CONFERENCE = "conference", _("Conference")
    OTHER = "other", _("Other course")


class EventFormat(models.TextChoices):
    PHYSICAL = "physical", _("On site")
    DIGITAL = "digital", _("Digital")
    HYBRID = "hybrid", _("Hybrid (on site and digital)")


class Participation(models.TextChoices):
    """How one person takes part: the formats a registration and a waiting list have."""

    PHYSICAL = "physical", _("On site")
    DIGITAL = "digital", _("Digital")


def _count(queryset, group_by: str):
    """A correlated COUNT(*) of `queryset` (0 when nothing matches)."""
    return Coalesce(
        Subquery(queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")[:1]),
        0,
        output_field=IntegerField(),
    )


class CourseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The course catalogue is the advisers' working list: their region's courses."""
        return self.filter(region_id__in=scope_for(user).region_ids)

    def with_figures(self, year: int, *, now: datetime.datetime | None = None):
        """Per course, for the annual report of `year`: events held, registrations with a
        place, and people who attended (at least one session) on site and digitally."""
        held = CourseEvent.objects.held_in(year, now=now).values("pk")
        registrations = Registration.objects.filter(
            event__in=held, event__course=OuterRef("pk"), status=Registration.Status.CONFIRMED
        )
        attended = registrations.filter(
            Exists(Attendance.objects.filter(registration=OuterRef("pk"), present=True))
        )
        return self.annotate(
            events_held=_count(
                CourseEvent.objects.filter(pk__in=held, course=OuterRef("pk")), "course"
            ),
            registration_count=_count(registrations, "event__course"),
            attended_physical=_count(
                attended.filter(format=Participation.PHYSICAL), "event__course"
            ),
            attended_digital=_count(attended.filter(format=Participation.DIGITAL), "event__course"),
        )


class Course(models.Model):
    """A course the office offers, held as one or more events (e.g. the 18-hour supervisor
    course module, held in Bergen in the spring and in Stavanger in the autumn)."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="courses", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=CourseKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    target_group = models.CharField(
        _("target group"),
        max_length=300,
        blank=True,
        help_text=_("For example: supervisors of ALIS, or ALIS and municipal health managers."),
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=hours_validators,
        help_text=_("The course's nominal length, e.g. 18 for the supervisor course module."),
    )
    is_active = models.BooleanField(
        _("offered"), default=True, help_text=_("Untick when the course is no longer held.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-is_active", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0), name="course_hours_not_negative"
            ),
        ]

    def __str__(self):
        return self.title


def _event_subquery(model_qs, field, function):
    return Subquery(
        model_qs.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(value=function(field))
        .values("value")[:1]
    )


class CourseEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Everyone logged in sees the published events; the region's advisers also their
        drafts."""
        scope = scope_for(user)
        if not scope.is_authenticated:
            return self.none()
        return self.filter(Q(is_published=True) | Q(course__region_id__in=scope.region_ids))

    def administered_by(self, user):
        return self.filter(course__region_id__in=scope_for(user).region_ids)

    def published(self):
        return self.filter(is_published=True)

    def with_dates(self):
        """`starts_at`, `ends_at` (first and last session) and `total_hours`."""
        sessions = EventSession.objects.all()
        return self.annotate(
            starts_at=_event_subquery(sessions, "starts_at", Min),
            ends_at=_event_subquery(sessions, "ends_at", Max),
            total_hours=_event_subquery(sessions, "hours", Sum),
        )

    def upcoming(self, now: datetime.datetime | None = None):
        """Events not yet over (needs `with_dates()`)."""
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now: datetime.datetime | None = None):
        return self.filter(ends_at__lt=now or timezone.now())

    def with_counts(self):
        """Places taken per format and the length of each waiting list."""
        regs = Registration.objects.filter(event=OuterRef("pk")).order_by().values("event")

        def count(**filters):
            return Coalesce(
                Subquery(regs.filter(**filters).annotate(n=Count("pk")).values("n")[:1]),
                0,
                output_field=IntegerField(),
            )

        return self.annotate(
            confirmed_physical=count(
                status=Registration.Status.CONFIRMED, format=Participation.PHYSICAL
            ),
            confirmed_digital=count(
                status=Registration.Status.CONFIRMED, format=Participation.DIGITAL
            ),
            waiting_physical=count(
                status=Registration.Status.WAITING, format=Participation.PHYSICAL
            ),
            waiting_digital=count(status=Registration.Status.WAITING, format=Participation.DIGITAL),
        )

    def held_in(self, year: int, *, now: datetime.datetime | None = None):
        """Published events whose first session fell in `year` (Europe/Oslo) and has begun:
        what the annual report counts as held."""
        now = now or timezone.now()
        tz = timezone.get_default_timezone()
        start = datetime.datetime(year, 1, 1, tzinfo=tz)
        end = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
        return (
            self.published()
            .with_dates()
            .filter(starts_at__gte=start, starts_at__lt=end, starts_at__lte=now)
        )

    def needing_follow_up(self, now: datetime.datetime | None = None):
        """Events that have begun and wait for the adviser: a session that has started with
        no attendance recorded, or (once the event is over) attendees without a certificate.
        Annotates `needs_attendance` and `needs_certificates`."""
        now = now or timezone.now()
        unrecorded = EventSession.objects.filter(event=OuterRef("pk"), starts_at__lte=now).exclude(
            Exists(Attendance.objects.filter(session=OuterRef("pk")))
        )
        uncertified = Registration.objects.awaiting_certificate().filter(event=OuterRef("pk"))
        return (
            self.with_dates()
            .filter(starts_at__lte=now)
            .annotate(
                needs_attendance=Exists(unrecorded),
                needs_certificates=Exists(uncertified) & Q(ends_at__lt=now),
            )
            .filter(Q(needs_attendance=True) | Q(needs_certificates=True))
        )

    def with_figures(self):
        """For the annual report: registrations with a place, how many attended (at least one
        session) on site and digitally, and cancellations."""
        attended = Attendance.objects.filter(registration=OuterRef("pk"), present=True)
        regs = (
            Registration.objects.filter(event=OuterRef("pk"))
            .order_by()
            .values("event")
            .annotate(
                n_confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
                n_cancelled=Count("pk", filter=Q(status=Registration.Status.CANCELLED)),
            )
        )
        present = (
            Registration.objects.filter(event=OuterRef("pk"), status=Registration.Status.CONFIRMED)
            .filter(Exists(attended))
            .order_by()
            .values("event")
        )

        def attended_in(fmt):
            return Coalesce(
                Subquery(present.filter(format=fmt).annotate(n=Count("pk")).values("n")[:1]),
                0,
                output_field=IntegerField(),
            )

        return self.annotate(
            registration_count=Coalesce(
                Subquery(regs.values("n_confirmed")[:1]), 0, output_field=IntegerField()
            ),
            cancellation_count=Coalesce(
                Subquery(regs.values("n_cancelled")[:1]), 0, output_field=IntegerField()
            ),
            attended_physical=attended_in(Participation.PHYSICAL),
            attended_digital=attended_in(Participation.DIGITAL),
        )


class CourseEvent(models.Model):
    """One holding of a course: its sessions, where, in which format, how many places, the
    deadlines and the price. People see it once an adviser publishes it."""

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="events", verbose_name=_("course")
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to use the course's title, or add e.g. “spring 2027, Bergen”."),
    )
    format = models.CharField(
        _("format"), max_length=10, choices=EventFormat.choices, default=EventFormat.PHYSICAL
    )
    place = models.CharField(
        _("place"), max_length=300, blank=True, help_text=_("Venue and address.")
    )
    online_link = models.URLField(
        _("link for digital participation"),
        max_length=500,
        blank=True,
        help_text=_("Shown to the registered digital participants only."),
    )
    capacity_physical = models.PositiveIntegerField(
        _("places on site"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    capacity_digital = models.PositiveIntegerField(
        _("digital places"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("Empty: open until the first session starts."),
    )
    cancellation_deadline = models.DateTimeField(
        _("cancellation deadline"),
        null=True,
        blank=True,
        help_text=_(
            "Until when participants can cancel themselves. Empty: until the first session."
        ),
    )
    price = models.DecimalField(
        _("price (kroner)"), max_digits=8, decimal_places=0, default=Decimal(0)
    )
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = CourseEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("course event")
        verbose_name_plural = _("course events")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(format="physical") | Q(capacity_digital__isnull=True),
                name="event_on_site_has_no_digital_places",
            ),
            models.CheckConstraint(
                condition=~Q(format="digital") | Q(capacity_physical__isnull=True),
                name="event_digital_has_no_places_on_site",
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="event_price_not_negative"),
        ]
        indexes = [models.Index(fields=["is_published"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("courses:event_detail", args=[self.pk])

    @property
    def name(self) -> str:
        if self.title:
            return f"{self.course.title}: {self.title}"
        return self.course.title

    @property
    def formats(self) -> list[str]:
        """The participation formats the event offers."""
        if self.format == EventFormat.HYBRID:
            return [Participation.PHYSICAL, Participation.DIGITAL]
        return [self.format]

    def capacity(self, participation: str) -> int | None:
        """Places in a format (None: no limit)."""
        if participation == Participation.PHYSICAL:
            return self.capacity_physical
        return self.capacity_digital

    @cached_property
    def first_start(self) -> datetime.datetime | None:
        """When the first session starts (from `with_dates()` when annotated)."""
        if "starts_at" in self.__dict__:
            return self.__dict__["starts_at"]
        return self.sessions.order_by("starts_at").values_list("starts_at", flat=True).first()

    def registration_closed_reason(self, now: datetime.datetime | None = None) -> str | None:
        """Why people can no longer register themselves, or None while registration is open."""
        now = now or timezone.now()
        start = self.first_start
        if start is None:
            return _("The event has no sessions yet.")
        if now >= start:
            return _("The event has started: registration is closed.")
        if self.registration_deadline and now > self.registration_deadline:
            return _("Registration closed %(when)s.") % {"when": _local(self.registration_deadline)}
        return None

    def cancellation_closed_reason(self, now: datetime.datetime | None = None) -> str | None:
        """Why a participant can no longer cancel their place themselves, or None."""
        now = now or timezone.now()
        start = self.first_start
        if start is not None and now >= start:
            return _("The event has started: the registration can no longer be cancelled.")
        if self.cancellation_deadline and now > self.cancellation_deadline:
            return _(
                "The cancellation deadline was %(when)s. Contact ALIS Vest if you cannot come."
            ) % {"when": _local(self.cancellation_deadline)}
        return None

    def places(self) -> list[dict]:
        """Per format offered: its places, how many are left and how many wait (needs
        `with_counts()`)."""
        rows = []
        for participation in self.formats:
            capacity = self.capacity(participation)
            taken = getattr(self, f"confirmed_{participation}")
            rows.append(
                {
                    "format": participation,
                    "label": Participation(participation).label,
                    "capacity": capacity,
                    "taken": taken,
                    "left": None if capacity is None else max(capacity - taken, 0),
                    "waiting": getattr(self, f"waiting_{participation}"),
                }
            )
        return rows


class EventSessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(event__in=CourseEvent.objects.visible_to(user))


class EventSession(models.Model):
    """One day or part of a day of an event. Attendance is taken per session; the hours of the
    sessions a person attended are the hours on their certificate."""

    event = models.ForeignKey(
        CourseEvent, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event")
    )
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("e.g. Day 1"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        validators=hours_validators,
        help_text=_("Course hours the session counts for. Empty: its length."),
    )
    history = HistoricalRecords()

    objects = EventSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="session_hours_not_negative"),
        ]
        indexes = [models.Index(fields=["event", "starts_at"])]

    def __str__(self):
        start = timezone.localtime(self.starts_at)
        label = formats.date_format(start, "SHORT_DATETIME_FORMAT")
        return f"{self.title} {label}".strip()

    @property
    def local_date(self) -> datetime.date:
        return timezone.localtime(self.starts_at).date()


ACTIVE = ["confirmed", "waiting"]


class RegistrationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person's own registrations; the region's advisers see all of their events'."""
        scope = scope_for(user)
        if not scope.is_authenticated:
            return self.none()
        return self.filter(
            Q(user_id=scope.user_id) | Q(event__course__region_id__in=scope.region_ids)
        )

    def active(self):
        return self.filter(status__in=ACTIVE)

    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waiting(self):
        return self.filter(status=Registration.Status.WAITING)

    def awaiting_certificate(self):
        """People with a place who attended at least one session and have no certificate."""
        return self.filter(
            Exists(Attendance.objects.filter(registration=OuterRef("pk"), present=True)),
            ~Exists(Certificate.objects.current().filter(registration=OuterRef("pk"))),
            status=Registration.Status.CONFIRMED,
        )

    def with_event_dates(self):
        """`event_starts_at` and `event_ends_at`: the event's first and last session."""
        sessions = EventSession.objects.filter(event=OuterRef("event")).order_by()
        return self.annotate(
            event_starts_at=Subquery(sessions.order_by("starts_at").values("starts_at")[:1]),
            event_ends_at=Subquery(sessions.order_by("-ends_at").values("ends_at")[:1]),
        )

    def with_attendance(self):
        """`attended_sessions` and `attended_hours` (sessions marked present)."""
        present = Attendance.objects.filter(registration=OuterRef("pk"), present=True).values(
            "registration"
        )
        return self.annotate(
            attended_sessions=Coalesce(
                Subquery(present.annotate(n=Count("pk")).values("n")[:1]),
                0,
                output_field=IntegerField(),
            ),
            attended_hours=Subquery(
                present.annotate(h=Sum("session__hours")).values("h")[:1],
                output_field=models.DecimalField(max_digits=7, decimal_places=1),
            ),
        )


class Registration(models.Model):
    """A person's place (or place in the queue) at an event, in one format.

    A person with an account is linked to it; someone without one (a GP from a municipality
    outside the portal) is registered by an adviser with name, e-mail and organisation. Name
    and e-mail are kept as registered, for lists and e-mails.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("course registration", "Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        CourseEvent,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("event"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="course_registrations",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("Municipality, practice or employer."),
    )
    format = models.CharField(_("takes part"), max_length=10, choices=Participation.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    confirmed_at = models.DateTimeField(_("place given"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("moved up from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    # The waiting list (per event and format): its order is kept in `waitlist_rank` (1 is next
    # in line). The rule places people by training stage; an adviser may pin someone to the
    # top or move them, which `waitlist_pinned` / `waitlist_moved_by` record.
    waitlist_rank = models.PositiveIntegerField(_("place on the waiting list"), null=True)
    waitlist_pinned = models.BooleanField(_("pinned first on the waiting list"), default=False)
    waitlist_moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("placed on the waiting list by"),
    )
    waitlist_moved_at = models.DateTimeField(null=True, blank=True)
    waitlist_months = models.DecimalField(
        _("months of service credited"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("When the waiting list was last ordered; empty: no education plan."),
    )
    history = HistoricalRecords(excluded_fields=["waitlist_months"])

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(status__in=ACTIVE) & Q(user__isnull=False),
                name="registration_one_active_per_person",
                violation_error_message=_("This person is already registered for the event."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                "event",
                condition=Q(status__in=ACTIVE),
                name="registration_one_active_per_email",
                violation_error_message=_("This e-mail address is already registered."),
            ),
            models.CheckConstraint(
                condition=(Q(status="waiting") & Q(waitlist_rank__isnull=False))
                | (~Q(status="waiting") & Q(waitlist_rank__isnull=True)),
                name="registration_rank_only_when_waiting",
            ),
            models.CheckConstraint(
                condition=~Q(name="") & ~Q(email=""), name="registration_has_name_and_email"
            ),
        ]
        indexes = [
            models.Index(fields=["event", "format", "status"]),
            models.Index(fields=["user", "status"]),
        ]

    def __str__(self):
        return f"{self.name} – {self.event}"

    def get_absolute_url(self):
        return reverse("courses:registration_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def waitlist_reason(self) -> str:
        """Why the person stands where they stand on the waiting list, in words."""
        if self.waitlist_pinned and self.waitlist_moved_at:
            return _("Pinned first by %(who)s on %(date)s") % {
                "who": self.waitlist_moved_by or _("an adviser"),
                "date": formats.date_format(
                    timezone.localtime(self.waitlist_moved_at), "SHORT_DATE_FORMAT"
                ),
            }
        if self.waitlist_moved_at:
            return _("Moved by %(who)s on %(date)s") % {
                "who": self.waitlist_moved_by or _("an adviser"),
                "date": formats.date_format(
                    timezone.localtime(self.waitlist_moved_at), "SHORT_DATE_FORMAT"
                ),
            }
        if self.waitlist_months is not None:
            return _("Training stage: %(months)s months of service credited") % {
                "months": formats.number_format(self.waitlist_months, 1)
            }
        return _("No education plan: first come, first served")


class Attendance(models.Model):
    """Whether a registered person was present at one session."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("registration"),
    )
    session = models.ForeignKey(
        EventSession,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("session"),
    )
    present = models.BooleanField(_("present"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["session", "registration"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="attendance_once_per_session"
            ),
        ]

    def __str__(self):
        return f"{self.registration.name}: {self.session}"


class CertificateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Its owner and the advisers of the event's region."""
        scope = scope_for(user)
        if not scope.is_authenticated:
            return self.none()
        return self.filter(
            Q(registration__user_id=scope.user_id)
            | Q(registration__event__course__region_id__in=scope.region_ids)
        )

    def current(self):
        return self.filter(revoked_at__isnull=True)


def certificate_path(instance, filename):
    return f"certificates/{timezone.localdate():%Y}/{secrets.token_hex(12)}.pdf"


class Certificate(models.Model):
    """A certificate of attendance (kursbevis): rendered once when issued and kept as it was,
    with its SHA-256 checksum. A wrong one is revoked (kept, marked) and a new one issued."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("registration"),
    )
    number = models.CharField(_("certificate number"), max_length=30, unique=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    file = models.FileField(_("file"), upload_to=certificate_path, max_length=200)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    history = HistoricalRecords()

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate of attendance")
        verbose_name_plural = _("certificates of attendance")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(revoked_at__isnull=True),
                name="certificate_one_current_per_registration",
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="certificate_has_hours"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("courses:certificate_download", args=[self.pk])


class CalendarFeed(models.Model):
    """The secret address of a person's calendar feed (their registrations), for Outlook and
    other calendars that subscribe without logging in. A new address revokes the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="course_calendar_feed",
        verbose_name=_("person"),
    )
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)


class SentNotice(models.Model):
    """An e-mail the courses app has sent, so a retried task never sends it twice."""

    key = models.CharField(max_length=100, unique=True)
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="notices")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")

    def __str__(self):
        return self.key
