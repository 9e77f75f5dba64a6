"""The kinds of reminder, and when a thing that is due becomes a reminder.

A kind is one function `(on, setting) -> iterable of Due`, registered with `@register(...)`
and its default settings. It answers: on day `on`, which things fall due within the kind's
lead time (`setting.lead_days`), when, and for whom. It reads with set-based queries (a fixed
number, whatever the number of things), and leaves everything else to the engine
(`services.py`): which stage of the offsets a thing has reached (`stage()`), who turned the kind
off, recording each reminder once, the digests and the in-portal list.

Adding a kind (agreements ending, supervision below target, …) is one function here and its
tests; its settings row is made with the registered defaults the first time it is needed.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import F, Max, Min, Prefetch, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, RoleAssignment, User
from alis_agreements.models import OPEN_STATUSES, Agreement, Leave
from courses.models import Registration
from education_plans import rules
from education_plans.models import (
    ActivityKind,
    Attestation,
    EducationPlan,
    LearningActivity,
    ServicePeriod,
    SupervisionRelationship,
)
from education_plans.progress import progress_for
from municipalities.models import MEETING_KINDS, Municipality, NextAction
from reminders.models import ReminderKind, WheelCompletion, WheelTask
from supervision.models import SupervisionSession


@dataclass(frozen=True)
class Due:
    """Something due for someone: a reminder once `stage()` says one of its offsets is reached."""

    kind: str
    key: str  # the object, e.g. "municipalities.nextaction:42"
    recipient_id: int
    due_date: datetime.date
    title: str
    url: str
    optional: bool = False
    offsets: tuple[int, ...] | None = None  # the object's own lead times (wheel tasks)


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    description: str
    find: Callable[[datetime.date, ReminderKind], Iterable[Due]]
    offsets: tuple[int, ...]
    repeat_days: int | None
    period_days: int | None
    optional: bool
    period_help: str = ""
    date_text: str = ""

    @property
    def uses_period(self) -> bool:
        return self.period_days is not None

    def defaults(self) -> ReminderKind:
        """An unsaved settings row with the registered defaults."""
        return ReminderKind(
            code=self.code,
            offsets=list(self.offsets),
            repeat_days=self.repeat_days,
            period_days=self.period_days,
            optional=self.optional,
        )


KINDS: dict[str, Kind] = {}


def register(
    code: str,
    *,
    label,
    description,
    offsets: tuple[int, ...] = (0,),
    repeat_days: int | None = None,
    period_days: int | None = None,
    optional: bool = False,
    period_help="",
    date_text="",
):
    """Register a kind under `code` with its default settings (advisers change them later);
    `period_help` says what the period means for the kind, `date_text` how its due date reads
    (e.g. "ends %(date)s") where "due …" / "overdue since …" would mislead."""

    def decorator(find):
        assert code not in KINDS, f"reminder kind {code} registered twice"
        KINDS[code] = Kind(
            code,
            label,
            description,
            find,
            tuple(offsets),
            repeat_days,
            period_days,
            optional,
            period_help,
            date_text,
        )
        return find

    return decorator


def stage(
    due_date: datetime.date,
    on: datetime.date,
    offsets: Iterable[int],
    repeat_days: int | None = None,
) -> datetime.date | None:
    """The reminder a thing due on `due_date` has reached on `on`: the latest of its reminder
    days (`due_date` minus each offset, and after the due date every `repeat_days`) that is not
    after `on`; None before the first.

    A reminder is recorded once per stage, so a missed run catches up with the latest stage only
    (nobody gets the 30-day and the 7-day reminder on the same morning).
    """
    days = [due_date - datetime.timedelta(days=offset) for offset in offsets]
    reached = [day for day in days if day <= on]
    if repeat_days and on > due_date:
        repeats = (on - due_date).days // repeat_days
        if repeats:
            reached.append(due_date + datetime.timedelta(days=repeats * repeat_days))
    return max(reached, default=None)


def _due(setting: ReminderKind, **fields) -> Due:
    return Due(kind=setting.code, optional=setting.optional, **fields)


def role_holders(on: datetime.date, role: Role, by: str) -> dict[int, list[int]]:
    """The active holders of a role on a day, by their assignment's `by` (region_id or
    municipality_id), in one query."""
    result = defaultdict(list)
    for key, user_id in (
        RoleAssignment.objects.active(on)
        .filter(role=role, user__is_active=True)
        .values_list(by, "user_id")
        .distinct()
        .order_by(by, "user_id")
    ):
        result[key].append(user_id)
    return result


def advisers_by_region(on: datetime.date) -> dict[int, list[int]]:
    return role_holders(on, Role.ADVISER, "region_id")


# The kinds


@register(
    "next_action_due",
    label=_("Follow-up actions due"),
    description=_(
        "Next actions from the follow-up log, to their owner: before the due date, on it, and "
        "again while the action stays open."
    ),
    offsets=(7, 0),
    repeat_days=7,
)
def next_actions_due(on, setting):
    actions = (
        NextAction.objects.open()
        .filter(due_date__lte=on + datetime.timedelta(days=setting.lead_days))
        .filter(owner__is_active=True)
        .values_list(
            "pk",
            "owner_id",
            "due_date",
            "description",
            "entry__municipality__name",
            "entry__municipality__number",
            "entry__partner_id",
            "entry__partner__name",
        )
    )
    for pk, owner_id, due_date, description, name, number, partner_id, partner in actions:
        # An entry with a partner (maybe about a municipality too) is on the partner's page.
        if partner_id:
            url = reverse("municipalities:partner_detail", args=[partner_id])
        else:
            url = reverse("municipalities:municipality_detail", args=[number])
        yield _due(
            setting,
            key=f"municipalities.nextaction:{pk}",
            recipient_id=owner_id,
            due_date=due_date,
            title=f"{partner or name}: {description}"[:300],
            url=f"{url}#action-{pk}",
        )


@register(
    "municipality_no_meeting",
    label=_("Municipalities with no follow-up meeting in the period"),
    description=_(
        "A municipality whose last meeting (in person, digital or a gathering) is longer ago "
        "than the period, to the region's advisers; again every so many days until one is "
        "logged."
    ),
    offsets=(0,),
    repeat_days=30,
    period_days=365,
    optional=True,
    period_help=_("E.g. 365: a municipality is due for a meeting a year after the last one."),
)
def municipalities_without_meeting(on, setting):
    period = datetime.timedelta(days=setting.period_days)
    horizon = on + datetime.timedelta(days=setting.lead_days)
    municipalities = (
        Municipality.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .annotate(
            last_meeting=Max(
                "follow_ups__date",
                filter=Q(follow_ups__kind__in=MEETING_KINDS, follow_ups__date__lte=on),
            )
        )
        .filter(Q(last_meeting__isnull=True) | Q(last_meeting__lte=horizon - period))
        .values_list("number", "name", "region_id", "last_meeting")
    )
    advisers = advisers_by_region(on)
    for number, name, region_id, last_meeting in municipalities:
        due_date = last_meeting + period if last_meeting else setting.counted_from
        if due_date > horizon:
            continue
        for adviser_id in advisers.get(region_id, []):
            yield _due(
                setting,
                key=f"municipalities.municipality:{number}",
                recipient_id=adviser_id,
                due_date=due_date,
                title=name,
                url=reverse("municipalities:municipality_detail", args=[number]),
            )


# A wheel date that passed while the engine was not running is still reminded this many days.
WHEEL_GRACE_DAYS = 7


@register(
    "annual_wheel",
    label=_("Annual wheel"),
    description=_(
        "The office's recurring tasks, to their owners (or every adviser of the region) before "
        "their date; a task marked done for the year is not reminded again."
    ),
    offsets=(30, 7, 0),
)
def annual_wheel(on, setting):
    tasks = list(
        WheelTask.objects.active().prefetch_related(
            Prefetch("owners", User.objects.filter(is_active=True).only("pk"))
        )
    )
    years = (on.year - 1, on.year, on.year + 1)
    done = set(WheelCompletion.objects.filter(year__in=years).values_list("task_id", "year"))
    advisers = advisers_by_region(on)
    for task in tasks:
        offsets = tuple(task.lead_days) or tuple(setting.offsets)
        horizon = on + datetime.timedelta(days=max(offsets, default=0))
        recipients = [owner.pk for owner in task.owners.all()] or advisers.get(task.region_id, [])
        for year in years:
            date = task.date_in(year)
            if not on - datetime.timedelta(days=WHEEL_GRACE_DAYS) <= date <= horizon:
                continue
            # Done for the year, or added after the date: nothing to remind.
            if (task.pk, year) in done or timezone.localdate(task.created_at) > date:
                continue
            url = reverse("reminders:wheel") + f"?year={year}#task-{task.pk}"
            for recipient_id in recipients:
                yield _due(
                    setting,
                    key=f"reminders.wheeltask:{task.pk}",
                    recipient_id=recipient_id,
                    due_date=date,
                    title=task.title,
                    url=url,
                    offsets=offsets,
                )


# Helpers shared by the kinds below: recipients looked up once per run, never per object.


def managers_by_municipality(on: datetime.date) -> dict[int, list[int]]:
    return role_holders(on, Role.MANAGER, "municipality_id")


def supervisors_by_alis(on: datetime.date, alis_ids, *, individual_only: bool = False):
    """The current supervisors of each ALIS (one query); `individual_only` leaves out the
    clinical supervisors (supervisører), who do not sign supervision sessions."""
    relationships = SupervisionRelationship.objects.active(on).filter(
        alis_id__in=alis_ids, supervisor__is_active=True
    )
    if individual_only:
        relationships = relationships.filter(kind=SupervisionRelationship.Kind.INDIVIDUAL)
    result = defaultdict(list)
    for alis_id, supervisor_id in (
        relationships.values_list("alis_id", "supervisor_id").distinct().order_by("supervisor_id")
    ):
        result[alis_id].append(supervisor_id)
    return result


def languages(user_ids) -> dict[int, str]:
    """Each person's language, for titles that need words or month names (one query)."""
    return {
        pk: language or "nb"
        for pk, language in User.objects.filter(pk__in=user_ids).values_list("pk", "language")
    }


def _name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


def _local_date(value: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value)
    return value


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# ALIS agreements, to the municipality's managers and the region's advisers

AGREEMENT_FIELDS = (
    "pk",
    "employment__alis__first_name",
    "employment__alis__last_name",
    "employment__position__municipality_id",
    "employment__position__municipality__name",
    "employment__position__municipality__region_id",
)


def _agreement_dues(setting, on, rows):
    """`rows`: (due date, *AGREEMENT_FIELDS) → a Due for each manager and adviser."""
    managers = managers_by_municipality(on)
    advisers = advisers_by_region(on)
    for due_date, pk, first, last, municipality_id, municipality, region_id in rows:
        recipients = dict.fromkeys([*managers[municipality_id], *advisers[region_id]])
        for recipient_id in recipients:
            yield _due(
                setting,
                key=f"alis_agreements.agreement:{pk}",
                recipient_id=recipient_id,
                due_date=_local_date(due_date),
                title=f"{_name(first, last)}, {municipality}"[:300],
                url=reverse("alis_agreements:agreement_detail", args=[pk]),
            )


@register(
    "agreement_ending",
    label=_("ALIS agreements ending"),
    description=_(
        "Signed agreements whose period ends (the agreed end, or the end of the employment), "
        "to the municipality's managers and the region's advisers, so that a new agreement or "
        "an extension is made in time."
    ),
    offsets=(90, 30, 0),
    date_text=_("ends %(date)s"),
)
def agreements_ending(on, setting):
    rows = Agreement.objects.ending_within(days=setting.lead_days, on=on).values_list(
        "ends_on", *AGREEMENT_FIELDS
    )
    return _agreement_dues(setting, on, rows)


@register(
    "agreement_unsigned",
    label=_("ALIS agreements not signed"),
    description=_(
        "Agreements still drafted or sent for signature a period after they were made, to the "
        "municipality's managers and the region's advisers; again every so many days until "
        "they are signed or deleted."
    ),
    offsets=(0,),
    repeat_days=14,
    period_days=30,
    period_help=_("E.g. 30: an agreement not signed 30 days after it was drafted."),
)
def agreements_unsigned(on, setting):
    period = datetime.timedelta(days=setting.period_days)
    horizon = on + datetime.timedelta(days=setting.lead_days)
    rows = (
        Agreement.objects.filter(status__in=OPEN_STATUSES)
        .filter(created_at__lt=_start_of(horizon - period + datetime.timedelta(days=1)))
        .values_list("created_at", *AGREEMENT_FIELDS)
    )
    return _agreement_dues(
        setting, on, ((timezone.localdate(created) + period, *rest) for created, *rest in rows)
    )


# Supervision, to the ALIS and their current supervisor


@register(
    "supervision_no_session",
    label=_("No signed supervision session in the period"),
    description=_(
        "An ALIS with a supervisor whose last signed supervision session is longer ago than "
        "the period, to the ALIS and the supervisor; again every so many days until a session "
        "is signed."
    ),
    offsets=(0,),
    repeat_days=14,
    period_days=42,
    period_help=_("E.g. 42: an ALIS is due for supervision six weeks after the last session."),
)
def supervision_no_session(on, setting):
    period = datetime.timedelta(days=setting.period_days)
    horizon = on + datetime.timedelta(days=setting.lead_days)
    relationships = (
        SupervisionRelationship.objects.active(on)
        .filter(kind=SupervisionRelationship.Kind.INDIVIDUAL, alis__is_active=True)
        .values("alis_id", "alis__first_name", "alis__last_name")
        .annotate(since=Min("start_date"))
        .order_by("alis_id")
    )
    alis_ids = SupervisionRelationship.objects.active(on).values("alis_id")
    # The ledger (education plan) has every signed session as a confirmed activity, and
    # supervision recorded outside the portal as well.
    last_session = dict(
        LearningActivity.objects.done()
        .filter(
            alis_id__in=alis_ids,
            kind=ActivityKind.INDIVIDUAL_SUPERVISION,
            confirmed_at__isnull=False,
            date__lte=on,
        )
        .values("alis_id")
        .annotate(last=Max("date"))
        .values_list("alis_id", "last")
    )
    supervisors = supervisors_by_alis(on, alis_ids, individual_only=True)
    # Nobody is supervised on full leave (parental leave and the like).
    on_leave = set(
        Leave.objects.filter(
            employment__alis_id__in=alis_ids, start_date__lte=on, end_date__gte=on, percentage=100
        ).values_list("employment__alis_id", flat=True)
    )
    for row in relationships:
        alis_id = row["alis_id"]
        if alis_id in on_leave:
            continue
        last = last_session.get(alis_id)
        due_date = last + period if last else max(row["since"], setting.counted_from) + period
        if due_date > horizon:
            continue
        title = _name(row["alis__first_name"], row["alis__last_name"])
        for recipient_id in dict.fromkeys([alis_id, *supervisors[alis_id]]):
            yield _due(
                setting,
                key=f"accounts.user:{alis_id}",
                recipient_id=recipient_id,
                due_date=due_date,
                title=title,
                url=reverse("supervision:alis_supervision", args=[alis_id]),
            )


@register(
    "supervision_month_short",
    label=_("A month below the required supervision hours"),
    description=_(
        "When a month is over with fewer signed supervision hours than required (4 hours a "
        "month at full time), to the ALIS and the supervisor, on the first day of the next "
        "month; withdrawn if sessions signed later make up the hours."
    ),
    offsets=(0,),
    optional=True,
)
def supervision_month_short(on, setting):
    last_month = rules.add_months(rules.month_start(on), -1)
    month_end = rules.month_start(on) - datetime.timedelta(days=1)
    working = ServicePeriod.objects.filter(start_date__lte=month_end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=last_month)
    )
    plans = EducationPlan.objects.filter(
        alis__is_active=True, pk__in=working.values("plan_id")
    ).select_related("alis")
    progress = progress_for(plans, on=month_end)
    short = {}
    for result in progress.values():
        month = result.supervision_strip[-1]
        if month.status in (rules.MonthStatus.SHORT, rules.MonthStatus.NONE):
            short[result.plan.alis] = month
    if not short:
        return
    supervisors = supervisors_by_alis(on, [alis.pk for alis in short], individual_only=True)
    recipients = {alis: [alis.pk, *supervisors[alis.pk]] for alis in short}
    language = languages({pk for ids in recipients.values() for pk in ids})
    due_date = rules.month_start(on)
    for alis, month in short.items():
        for recipient_id in dict.fromkeys(recipients[alis]):
            with translation.override(language.get(recipient_id, "nb")):
                title = _("%(alis)s: %(month)s, %(hours)s of %(required)s hours") % {
                    "alis": alis.get_full_name(),
                    "month": date_format(month.month, "YEAR_MONTH_FORMAT"),
                    "hours": number_format(month.hours, 1),
                    "required": number_format(month.required, 1),
                }
            yield _due(
                setting,
                key=f"accounts.user:{alis.pk}:{month.month:%Y-%m}",
                recipient_id=recipient_id,
                due_date=due_date,
                title=title,
                url=reverse("supervision:alis_supervision", args=[alis.pk]),
            )


# What waits for someone to act: the supervisor's confirmation, the education leader's approval


@register(
    "activity_unconfirmed",
    label=_("Activities waiting for your confirmation"),
    description=_(
        "Supervision sessions waiting for the supervisor's signature and activities in the "
        "education plan waiting for the supervisor's confirmation, to the supervisor, once "
        "they have waited the period; again every so many days."
    ),
    offsets=(0,),
    repeat_days=7,
    period_days=7,
    period_help=_("E.g. 7: a session or activity is reminded a week after it was entered."),
)
def activities_unconfirmed(on, setting):
    period = datetime.timedelta(days=setting.period_days)
    horizon = on + datetime.timedelta(days=setting.lead_days)
    entered_before = _start_of(horizon - period + datetime.timedelta(days=1))
    sessions = (
        SupervisionSession.objects.pending()
        .filter(recorded_at__lt=entered_before, supervisor__is_active=True)
        .values_list(
            "pk", "supervisor_id", "recorded_at", "date", "alis__first_name", "alis__last_name"
        )
    )
    sessions = list(sessions)
    language = languages({row[1] for row in sessions}) if sessions else {}
    for pk, supervisor_id, recorded_at, date, first, last in sessions:
        with translation.override(language.get(supervisor_id, "nb")):
            title = _("%(alis)s: supervision session %(date)s") % {
                "alis": _name(first, last),
                "date": date_format(date, "SHORT_DATE_FORMAT"),
            }
        yield _due(
            setting,
            key=f"supervision.supervisionsession:{pk}",
            recipient_id=supervisor_id,
            due_date=timezone.localdate(recorded_at) + period,
            title=title,
            url=reverse("supervision:session_detail", args=[pk]),
        )
    # The same rule as the supervisor's queue (`awaiting_confirmation_by`), for everyone at once;
    # activities recorded by another app (signed sessions, courses) are confirmed at their source.
    activities = LearningActivity.objects.filter(
        status=LearningActivity.Status.DONE,
        confirmed_at__isnull=True,
        source_key__isnull=True,
        date__lte=on,
        created_at__lt=entered_before,
    )
    supervisors = supervisors_by_alis(on, activities.values("alis_id"))
    for pk, alis_id, created_at, title, first, last in activities.values_list(
        "pk", "alis_id", "created_at", "title", "alis__first_name", "alis__last_name"
    ):
        for supervisor_id in supervisors[alis_id]:
            yield _due(
                setting,
                key=f"education_plans.learningactivity:{pk}",
                recipient_id=supervisor_id,
                due_date=timezone.localdate(created_at) + period,
                title=f"{_name(first, last)}: {title}"[:300],
                url=reverse("education_plans:activity_detail", args=[pk]),
            )


@register(
    "objective_attestation",
    label=_("Learning objectives waiting for attestation"),
    description=_(
        "Requests from an ALIS to attest a learning objective, to the plan's education "
        "leader, once they have waited the period; again every so many days."
    ),
    offsets=(0,),
    repeat_days=7,
    period_days=7,
    period_help=_("E.g. 7: a request is reminded a week after the ALIS sent it."),
)
def objectives_waiting(on, setting):
    period = datetime.timedelta(days=setting.period_days)
    horizon = on + datetime.timedelta(days=setting.lead_days)
    requests = Attestation.objects.filter(
        status=Attestation.Status.REQUESTED,
        plan__education_leader__is_active=True,
        requested_at__lt=_start_of(horizon - period + datetime.timedelta(days=1)),
    ).values_list(
        "pk",
        "plan_id",
        "objective_id",
        "plan__education_leader_id",
        "requested_at",
        "objective__code",
        "objective__title",
        "plan__alis__first_name",
        "plan__alis__last_name",
    )
    for pk, plan_id, objective_id, leader_id, requested_at, code, text, first, last in requests:
        yield _due(
            setting,
            key=f"education_plans.attestation:{pk}",
            recipient_id=leader_id,
            due_date=timezone.localdate(requested_at) + period,
            title=f"{_name(first, last)}: {code} {text}"[:300],
            url=reverse("education_plans:objective_detail", args=[plan_id, objective_id]),
        )


# Courses, to the people registered or on the waiting list


def _registrations(on, setting, statuses, deadline):
    """Active registrations (with an account) of published events whose `deadline` falls
    between `on` and the kind's lead time: (pk, user, deadline, course, event title)."""
    until = _start_of(on + datetime.timedelta(days=setting.lead_days + 1))
    return (
        Registration.objects.filter(
            status__in=statuses, user__is_active=True, event__is_published=True
        )
        .with_event_dates()
        .annotate(deadline=deadline)
        .filter(deadline__gte=_start_of(on), deadline__lt=until, event_starts_at__gt=_start_of(on))
        .values_list("pk", "user_id", "deadline", "event__course__title", "event__title")
    )


def _registration_dues(setting, rows):
    for pk, user_id, deadline, course, event in rows:
        yield _due(
            setting,
            key=f"courses.registration:{pk}",
            recipient_id=user_id,
            due_date=timezone.localdate(deadline),
            title=(f"{course}: {event}" if event else course)[:300],
            url=reverse("courses:registration_detail", args=[pk]),
        )


@register(
    "course_cancellation_deadline",
    label=_("Last day to cancel a course place"),
    description=_(
        "Before the cancellation deadline of an event (or its first session, when it has "
        "none), to the people registered and those on the waiting list: after it nobody can "
        "cancel a place themselves, not even one offered from the waiting list."
    ),
    offsets=(7, 0),
    optional=True,
    date_text=_("cancel by %(date)s"),
)
def course_cancellation_deadlines(on, setting):
    rows = _registrations(
        on,
        setting,
        [Registration.Status.CONFIRMED, Registration.Status.WAITING],
        Coalesce("event__cancellation_deadline", "event_starts_at"),
    )
    return _registration_dues(setting, rows)


@register(
    "course_registration_deadline",
    label=_("Registration closing for a course you wait for"),
    description=_(
        "Before the registration deadline of an event, to the people on its waiting list: "
        "they are still waiting for a place, and can register for another event in time."
    ),
    offsets=(7, 0),
    optional=True,
    date_text=_("registration closes %(date)s"),
)
def course_registration_deadlines(on, setting):
    rows = _registrations(
        on, setting, [Registration.Status.WAITING], F("event__registration_deadline")
    )
    return _registration_dues(setting, rows)
