"""Supervisors, the supervision log and supervision groups.

- `Supervisor`: the region's register of supervisors (veiledere): qualification, workplace,
  capacity, and whether they will take ALIS from other municipalities (the pool). Who
  supervises whom is `education_plans.models.SupervisionRelationship` (it lives with the plan,
  whose access rule needs it); this app's services create, change and end those.
- `SupervisionSession`: one session of individual supervision in an ALIS's log. The
  supervisor signs it; a signed session is locked, and a correction is a new version that
  replaces it (`replaces`), so the chain stays. A signed current version counts in the plan
  through the ledger (`services.session_sign`).
- `SupervisionGroup`, `GroupMembership`, `GroupMeeting`, `GroupAttendance`: supervision
  groups across municipalities. Memberships count as group-supervision periods and attended
  meetings as group-supervision hours in the plan, both through the ledger.

Private text: a session's `private_notes` are for the ALIS and the supervisor of that session
only (`SupervisionSession.notes_readable_by`); a group meeting's `notes` for the group's
leader and the members of the group on the meeting's day (`GroupMeeting.notes_readable_by`).
Everyone else who may see the log sees dates, durations and who took part.
"""

import datetime
import math
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import scope_for
from education_plans.models import Objective, SupervisionRelationship, alis_visibility
from municipalities.models import Municipality, Practice, Region

MIN_MINUTES, MAX_MINUTES = 5, 480
SUPERVISOR_COURSE = "Emnekurs i individuell veiledning og supervisjon for allmennleger (18 timer)"


def hours_from_minutes(minutes: int) -> Decimal:
    """Hours for the ledger (two decimals), rounded up to the next hundredth.

    Rounding to the nearest would lose time: three sessions of 80 minutes are 4 hours, but
    3 × 1.33 = 3.99 would make the month short. Rounding up credits at most 0.6 minutes a
    session too much and never marks a month short that was met.
    """
    return Decimal(math.ceil(Decimal(minutes) * 100 / 60)) / 100


class SupervisorQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The region's advisers see its register; managers their municipalities' supervisors
        and the pool of their region (who may take their ALIS); everyone their own profile."""
        scope = scope_for(user)
        if not scope.is_authenticated:
            return self.none()
        managed = scope.managed_municipality_ids
        pool_regions = Municipality.objects.filter(pk__in=managed).values("region_id")
        return self.filter(
            Q(municipality__region_id__in=scope.region_ids)
            | Q(municipality_id__in=managed)
            | Q(person_id=scope.user_id)
            | Q(in_pool=True, is_active=True, municipality__region_id__in=pool_regions)
        )

    def editable_by(self, user):
        """The region's advisers, the municipality's managers and the supervisor themselves."""
        scope = scope_for(user)
        if not scope.is_authenticated:
            return self.none()
        return self.filter(
            Q(municipality__region_id__in=scope.region_ids)
            | Q(municipality_id__in=scope.managed_municipality_ids)
            | Q(person_id=scope.user_id)
        )

    def active(self):
        return self.filter(is_active=True)

    def with_load(self, on: datetime.date | None = None):
        """Annotate `load`: the ALIS each supervises individually on the day (default today),
        and `free`: places left of their capacity (never below zero)."""
        on = on or timezone.localdate()
        load = (
            SupervisionRelationship.objects.active(on)
            .filter(
                supervisor_id=OuterRef("person_id"),
                kind=SupervisionRelationship.Kind.INDIVIDUAL,
            )
            .order_by()
            .values("supervisor_id")
            .annotate(n=Count("alis_id", distinct=True))
            .values("n")
        )
        return self.annotate(load=Coalesce(Subquery(load), 0)).annotate(
            free=models.Case(
                models.When(load__gte=F("capacity"), then=0),
                default=F("capacity") - F("load"),
                output_field=models.IntegerField(),
            )
        )


class Supervisor(models.Model):
    """A doctor in the region's supervisor register."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervisor_profile",
        verbose_name=_("person"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="supervisors",
        verbose_name=_("municipality"),
        help_text=_("Where the supervisor works."),
    )
    practice = models.ForeignKey(
        Practice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervisors",
        verbose_name=_("workplace"),
    )
    is_specialist = models.BooleanField(_("specialist in general practice"), default=True)
    specialist_year = models.PositiveSmallIntegerField(
        _("specialist since"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1970), MaxValueValidator(2100)],
    )
    course_name = models.CharField(
        _("supervisor course"), max_length=200, blank=True, default=SUPERVISOR_COURSE
    )
    course_completed_on = models.DateField(
        _("course completed"),
        null=True,
        blank=True,
        help_text=_("Empty: the course is not completed yet."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        default=1,
        validators=[MaxValueValidator(20)],
        help_text=_("How many ALIS the supervisor can take at a time."),
    )
    in_pool = models.BooleanField(
        _("in the supervisor pool"),
        default=False,
        help_text=_("Willing to supervise ALIS in other municipalities."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Untick when the person no longer takes ALIS; the history is kept."),
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = SupervisorQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervisor")
        verbose_name_plural = _("supervisors")
        ordering = ["person__last_name", "person__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__lte=20), name="supervisor_capacity_at_most_20"
            ),
            models.CheckConstraint(
                condition=Q(specialist_year__isnull=True) | Q(is_specialist=True),
                name="supervisor_year_only_for_specialists",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "is_active"])]

    def __str__(self):
        return str(self.person)

    @property
    def has_course(self) -> bool:
        return self.course_completed_on is not None


# The supervision log


class SupervisionSessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Those who see the ALIS's education records, and the supervisor of the session
        (also after the relationship ended). Never the private notes: see
        `SupervisionSession.notes_readable_by`."""
        scope = scope_for(user)
        if not scope.is_authenticated:
            return self.none()
        return self.filter(alis_visibility(user) | Q(supervisor_id=scope.user_id))

    def current(self):
        """The versions in force (a corrected session's older versions are left out)."""
        return self.filter(is_current=True)

    def signed(self):
        return self.filter(signed_at__isnull=False)

    def pending(self):
        return self.current().filter(signed_at__isnull=True)

    def waiting_for(self, supervisor):
        """The sessions the person has to sign, oldest first."""
        return self.pending().filter(supervisor_id=supervisor.pk).order_by("date", "pk")

    def in_month(self, month: datetime.date):
        start = month.replace(day=1)
        end = (start + datetime.timedelta(days=32)).replace(day=1)
        return self.filter(date__gte=start, date__lt=end)

    def minutes(self) -> int:
        return self.aggregate(m=Coalesce(Sum("minutes"), 0))["m"]


class SupervisionSession(models.Model):
    """One session of individual supervision (veiledning) in an ALIS's log."""

    alis = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervision_sessions",
        verbose_name=_("ALIS"),
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervised_sessions",
        verbose_name=_("supervisor"),
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[MinValueValidator(MIN_MINUTES), MaxValueValidator(MAX_MINUTES)],
    )
    topics = models.TextField(_("topics"))
    objectives = models.ManyToManyField(
        Objective,
        blank=True,
        related_name="supervision_sessions",
        verbose_name=_("learning objectives discussed"),
    )
    private_notes = models.TextField(
        _("private notes"),
        blank=True,
        help_text=_("Only the ALIS and the supervisor of this session can read these."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("corrects"),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    correction_reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = SupervisionSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision session")
        verbose_name_plural = _("supervision sessions")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=MIN_MINUTES) & Q(minutes__lte=MAX_MINUTES),
                name="session_minutes_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(alis=F("supervisor")), name="session_not_self_supervised"
            ),
            models.CheckConstraint(
                condition=Q(replaces__isnull=True, version=1)
                | Q(replaces__isnull=False, version__gt=1),
                name="session_version_follows_chain",
            ),
        ]
        indexes = [
            models.Index(fields=["alis", "is_current", "date"]),
            models.Index(
                fields=["supervisor", "date"],
                condition=Q(is_current=True, signed_at__isnull=True),
                name="session_waiting_for_signature",
            ),
        ]

    def __str__(self):
        return str(_("Supervision %(date)s") % {"date": self.date.strftime("%d.%m.%Y")})

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def hours(self) -> Decimal:
        return Decimal(self.minutes) / 60

    @property
    def ledger_key(self) -> str:
        return f"supervision.session:{self.pk}"

    def notes_readable_by(self, user) -> bool:
        """Private notes: the ALIS and the supervisor of this session, nobody else (not the
        office, the municipality, the education leader or a later supervisor)."""
        return (
            user is not None
            and user.is_authenticated
            and user.pk
            in {
                self.alis_id,
                self.supervisor_id,
            }
        )

    def is_party(self, user) -> bool:
        return self.notes_readable_by(user)


# Supervision groups


class SupervisionGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The region's advisers, the leader, the members (also former), and those who see a
        member's education records (the member's managers and supervisor)."""
        scope = scope_for(user)
        if not scope.is_authenticated:
            return self.none()
        members = GroupMembership.objects.filter(
            Q(alis_id=scope.user_id) | alis_visibility(user)
        ).values("group_id")
        return self.filter(
            Q(region_id__in=scope.region_ids) | Q(leader_id=scope.user_id) | Q(pk__in=members)
        )

    def active(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


class SupervisionGroup(models.Model):
    """A supervision group (veiledningsgruppe), often across municipalities."""

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="supervision_groups",
        verbose_name=_("region"),
    )
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="supervision_groups",
        verbose_name=_("municipalities"),
        help_text=_("The municipalities whose ALIS the group is for."),
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_supervision_groups",
        verbose_name=_("group leader"),
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)
    meeting_place = models.CharField(_("meeting place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = SupervisionGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision group")
        verbose_name_plural = _("supervision groups")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="group_dates_in_order",
            ),
        ]

    def __str__(self):
        return self.name


class GroupMembershipQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


class GroupMembership(models.Model):
    """An ALIS in a group for a while: counts as group supervision in the plan."""

    group = models.ForeignKey(
        SupervisionGroup,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("group"),
    )
    alis = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="group_memberships",
        verbose_name=_("ALIS"),
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)
    history = HistoricalRecords()

    objects = GroupMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["alis__last_name", "alis__first_name", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membership_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["alis", "start_date"])]

    def __str__(self):
        return f"{self.alis} – {self.group}"

    @property
    def ledger_key(self) -> str:
        return f"supervision.membership:{self.pk}"

    def covers(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class GroupMeeting(models.Model):
    group = models.ForeignKey(
        SupervisionGroup, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("group")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[MinValueValidator(MIN_MINUTES), MaxValueValidator(MAX_MINUTES)],
    )
    topics = models.CharField(_("theme"), max_length=300, blank=True)
    notes = models.TextField(
        _("group notes"),
        blank=True,
        help_text=_("Only the group's leader and members can read these."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("group meeting")
        verbose_name_plural = _("group meetings")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=MIN_MINUTES) & Q(minutes__lte=MAX_MINUTES),
                name="meeting_minutes_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.group} {self.date:%d.%m.%Y}"

    def notes_readable_by(self, user, memberships=None) -> bool:
        """The group's leader and the ALIS who were members on the meeting's day."""
        if user is None or not user.is_authenticated:
            return False
        if user.pk == self.group.leader_id:
            return True
        if memberships is None:
            memberships = self.group.memberships.filter(alis_id=user.pk)
        return any(m.alis_id == user.pk and m.covers(self.date) for m in memberships)


class GroupAttendance(models.Model):
    """Whether a member attended a meeting. Attended meetings count as group-supervision
    hours, confirmed by the group's leader."""

    meeting = models.ForeignKey(
        GroupMeeting,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("meeting"),
    )
    alis = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="group_attendances",
        verbose_name=_("ALIS"),
    )
    present = models.BooleanField(_("present"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["alis__last_name", "alis__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "alis"], name="attendance_once_per_meeting"),
        ]

    def __str__(self):
        return f"{self.alis} {self.meeting}"

    @property
    def ledger_key(self) -> str:
        return f"supervision.attendance:{self.pk}"
