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

from django.db.models import Max, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, RoleAssignment, User
from municipalities.models import MEETING_KINDS, Municipality, NextAction
from reminders.models import ReminderKind, WheelCompletion, WheelTask


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
):
    """Register a kind under `code` with its default settings (advisers change them later)."""

    def decorator(find):
        assert code not in KINDS, f"reminder kind {code} registered twice"
        KINDS[code] = Kind(
            code, label, description, find, tuple(offsets), repeat_days, period_days, optional
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


def advisers_by_region(on: datetime.date) -> dict[int, list[int]]:
    """The active advisers of each region on a day (one query)."""
    result = defaultdict(list)
    for region_id, user_id in (
        RoleAssignment.objects.active(on)
        .filter(role=Role.ADVISER, user__is_active=True)
        .values_list("region_id", "user_id")
        .distinct()
        .order_by("region_id", "user_id")
    ):
        result[region_id].append(user_id)
    return result


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
