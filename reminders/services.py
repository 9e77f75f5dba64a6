"""The reminder engine, and the writes of the reminders app.

Once a day (Celery beat, or `manage.py send_reminders`) the engine

1. asks every kind in `kinds.KINDS` what is due (`reminders_due`),
2. records each reminder as a pending `Notification` in one transaction
   (`reminders_record`); the unique constraint on (kind, object, recipient, due date, stage)
   makes a second run the same day record nothing,
3. then, per person whose digest is due (`digest_recipients`), sends one e-mail with all their
   pending reminders and marks them e-mailed in the same transaction (`digest_send`).

A crash between 2 and 3, or in 3, leaves the reminders pending: the retried task, a rerun or the
next day's run sends exactly those. The one window left is the mail server accepting the
message and the worker dying before the commit: then that digest goes out twice, never zero
times (e-mail is not transactional).
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from alisvest.emails import render_email
from reminders.kinds import KINDS, Due, stage
from reminders.models import (
    Digest,
    DigestPreference,
    Frequency,
    Notification,
    ReminderKind,
    WheelCompletion,
    WheelTask,
    digest_due,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    """A `Due` at the stage it has reached on the day of the run."""

    due: Due
    remind_on: datetime.date

    @property
    def key(self) -> tuple:
        d = self.due
        return (d.kind, d.key, d.recipient_id, d.due_date, self.remind_on)


@dataclass
class RunResult:
    on: datetime.date
    due: int = 0
    recorded: int = 0
    withdrawn: int = 0
    recipients: list[int] = field(default_factory=list)
    digests: int = 0
    failed: list[str] = field(default_factory=list)  # kinds that raised: see the log


def kind_settings(*, create: bool = True) -> dict[str, ReminderKind]:
    """The settings row of every registered kind, made with the kind's defaults when missing
    (unsaved with `create=False`, for a dry run)."""
    rows = {row.code: row for row in ReminderKind.objects.filter(code__in=list(KINDS))}
    missing = [kind.defaults() for code, kind in KINDS.items() if code not in rows]
    if missing and create:
        ReminderKind.objects.bulk_create(missing, ignore_conflicts=True)
        rows = {row.code: row for row in ReminderKind.objects.filter(code__in=list(KINDS))}
    else:
        rows.update({row.code: row for row in missing})
    return {code: rows[code] for code in KINDS}


def reminders_due(
    *, on: datetime.date, create: bool = True, failed: list[str] | None = None
) -> list[Reminder]:
    """Every reminder due on `on`, for active people who have not turned its kind off.

    A kind that raises is logged and skipped (its code appended to `failed`), so a bug in one
    kind does not stop everyone's reminders of the others.
    """
    found: dict[tuple, Reminder] = {}
    for code, setting in kind_settings(create=create).items():
        if not setting.enabled:
            continue
        try:
            with transaction.atomic():
                dues = list(KINDS[code].find(on, setting))
        except Exception:
            logger.exception("Reminder kind %s failed on %s", code, on)
            if failed is not None:
                failed.append(code)
            continue
        for due in dues:
            offsets = due.offsets if due.offsets is not None else setting.offsets
            reached = stage(due.due_date, on, offsets, setting.repeat_days)
            if reached is not None:
                reminder = Reminder(due, reached)
                found[reminder.key] = reminder
    reminders = list(found.values())
    recipients = {r.due.recipient_id for r in reminders}
    active = set(
        User.objects.filter(pk__in=recipients, is_active=True)
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    muted = set(
        DigestPreference.muted_kinds.through.objects.filter(
            digestpreference__user_id__in=active
        ).values_list("digestpreference__user_id", "reminderkind__code")
    )
    return [
        r
        for r in reminders
        if r.due.recipient_id in active
        and not (r.due.optional and (r.due.recipient_id, r.due.kind) in muted)
    ]


@transaction.atomic
def reminders_record(*, on: datetime.date) -> RunResult:
    """Record today's reminders as pending, each once; withdraw pending ones no longer due
    (the action was done, the kind turned off, a later stage reached) and bring back withdrawn
    ones that are due again (an action reopened)."""
    result = RunResult(on=on)
    reminders = reminders_due(on=on, failed=result.failed)
    result.due = len(reminders)
    recorded_today = Notification.objects.filter(recorded_on=on)
    before = recorded_today.count()
    Notification.objects.bulk_create(
        [
            Notification(
                kind=r.due.kind,
                object_key=r.due.key,
                recipient_id=r.due.recipient_id,
                due_date=r.due.due_date,
                remind_on=r.remind_on,
                title=r.due.title,
                url=r.due.url,
                recorded_on=on,
            )
            for r in reminders
        ],
        ignore_conflicts=True,
    )
    result.recorded = recorded_today.count() - before

    current = {r.key for r in reminders}
    # Rows of a kind that failed today are left as they are; so are rows recorded after `on`
    # (a run for an earlier day, with --date, does not undo later ones).
    unsent = Notification.objects.filter(emailed_at__isnull=True, recorded_on__lte=on).exclude(
        kind__in=result.failed
    )
    if reminders:
        oldest = min(r.remind_on for r in reminders)
        unsent = unsent.filter(Q(withdrawn_at__isnull=True) | Q(remind_on__gte=oldest))
    else:
        unsent = unsent.filter(withdrawn_at__isnull=True)
    withdraw, revive = [], []
    for pk, withdrawn_at, *key in unsent.values_list(
        "pk", "withdrawn_at", "kind", "object_key", "recipient_id", "due_date", "remind_on"
    ):
        if withdrawn_at is None and tuple(key) not in current:
            withdraw.append(pk)
        elif withdrawn_at is not None and tuple(key) in current:
            revive.append(pk)
    # `emailed_at__isnull` again: a digest sent meanwhile (its rows were locked) wins.
    if withdraw:
        Notification.objects.filter(pk__in=withdraw, emailed_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )
    if revive:
        Notification.objects.filter(pk__in=revive, emailed_at__isnull=True).update(
            withdrawn_at=None
        )
    result.withdrawn = len(withdraw)
    return result


def digest_recipients(*, on: datetime.date) -> list[int]:
    """The people with pending reminders whose digest goes out on `on` (daily, or their
    weekday, or a weekly digest that was missed)."""
    rows = (
        Notification.objects.pending()
        .values(
            "recipient_id",
            "recipient__digest_preference__frequency",
            "recipient__digest_preference__weekday",
        )
        .annotate(oldest=Min("recorded_on"))
        .order_by("recipient_id")
    )
    return [
        row["recipient_id"]
        for row in rows
        if digest_due(
            frequency=row["recipient__digest_preference__frequency"] or Frequency.DAILY,
            weekday=row["recipient__digest_preference__weekday"],
            oldest=row["oldest"],
            on=on,
        )
    ]


# A digest lists this many reminders of a kind; the rest are counted and wait in "Varsler".
DIGEST_GROUP_LIMIT = 25


def digest_groups(notifications) -> list[tuple]:
    """Reminders grouped by kind, in the registry's order:
    [(label, first reminders, how many more), …]."""
    groups = defaultdict(list)
    for notification in notifications:
        groups[notification.kind].append(notification)
    order = list(KINDS)
    codes = sorted(groups, key=lambda code: order.index(code) if code in order else len(order))
    return [
        (
            groups[code][0].kind_label,
            groups[code][:DIGEST_GROUP_LIMIT],
            max(len(groups[code]) - DIGEST_GROUP_LIMIT, 0),
        )
        for code in codes
    ]


@transaction.atomic
def digest_send(*, recipient_id: int, on: datetime.date) -> Digest | None:
    """Send a person one e-mail with all their pending reminders, and mark them e-mailed.

    The pending rows are locked first, so a retried or duplicated task waits and then finds
    nothing left to send. If sending fails, nothing is marked and the rows stay pending.
    """
    notifications = list(
        Notification.objects.pending()
        .filter(recipient_id=recipient_id)
        .select_for_update(of=("self",))
        .order_by("due_date", "title", "pk")
    )
    if not notifications:
        return None
    recipient = User.objects.select_related("digest_preference").get(pk=recipient_id)
    digest = Digest.objects.create(recipient=recipient, on=on, size=len(notifications))
    preference = getattr(recipient, "digest_preference", None)
    message = render_email(
        "reminder_digest",
        {
            "recipient": recipient,
            "LANGUAGE_CODE": recipient.language or "nb",
            "on": on,
            "groups": digest_groups(notifications),
            "count": len(notifications),
            "preference": preference,
            "notifications_url": reverse("reminders:notification_list"),
            "preferences_url": reverse("reminders:preferences"),
        },
        language=recipient.language or "nb",
    )
    message.to = [recipient.email]
    message.send()
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
        emailed_at=timezone.now(), digest=digest
    )
    return digest


def reminders_run(*, on: datetime.date, queue: bool = True) -> RunResult:
    """The daily run: record, then send each due digest — through the Celery queue after the
    commit (`queue=True`, the beat task), or here and now (`manage.py send_reminders`)."""
    from reminders import tasks

    with transaction.atomic():
        result = reminders_record(on=on)
        result.recipients = digest_recipients(on=on)
        if queue:
            for recipient_id in result.recipients:
                tasks.digest_send.delay_on_commit(recipient_id, on.isoformat())
    if not queue:
        for recipient_id in result.recipients:
            result.digests += digest_send(recipient_id=recipient_id, on=on) is not None
    return result


def reminders_preview(*, on: datetime.date) -> dict[User, list[tuple[Reminder, bool]]]:
    """What a run on `on` would do, writing nothing: per person, each due reminder and whether
    it is already recorded."""
    reminders = reminders_due(on=on, create=False)
    recorded = set(
        Notification.objects.filter(
            recipient_id__in={r.due.recipient_id for r in reminders},
            remind_on__gte=min((r.remind_on for r in reminders), default=on),
        ).values_list("kind", "object_key", "recipient_id", "due_date", "remind_on")
    )
    people = User.objects.in_bulk({r.due.recipient_id for r in reminders})
    result = defaultdict(list)
    for r in sorted(reminders, key=lambda r: (r.due.recipient_id, r.due.due_date)):
        result[people[r.due.recipient_id]].append((r, r.key in recorded))
    return dict(result)


# The person's own notifications and preferences


@transaction.atomic
def notification_mark_read(*, notification: Notification, by) -> None:
    if notification.recipient_id != by.pk:
        raise ValidationError(_("This is not your notification."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.visible_to(user).unread().update(read_at=timezone.now())


@transaction.atomic
def digest_preference_set(
    *, user, frequency: str, weekday: int | None, muted: list[ReminderKind]
) -> DigestPreference:
    """A person's digest frequency and the optional kinds they do not want."""
    if frequency == Frequency.WEEKLY and weekday is None:
        raise ValidationError({"weekday": _("Choose the weekday of your weekly digest.")})
    not_optional = [kind for kind in muted if not kind.optional]
    if not_optional:
        raise ValidationError(_("%(kind)s cannot be turned off.") % {"kind": not_optional[0].label})
    preference, _created = DigestPreference.objects.update_or_create(
        user=user,
        defaults={
            "frequency": frequency,
            "weekday": weekday if frequency == Frequency.WEEKLY else None,
        },
    )
    preference.muted_kinds.set(muted)
    return preference


# Advisers: the kinds' settings and the annual wheel


@transaction.atomic
def reminder_kind_update(*, kind: ReminderKind, by, data: dict) -> ReminderKind:
    fields = ["enabled", "offsets", "repeat_days", "period_days", "counted_from", "optional"]
    for name in fields:
        if name in data:
            setattr(kind, name, data[name])
    if not kind.offsets:
        raise ValidationError({"offsets": _("Give at least one day, e.g. 0 for the due date.")})
    if KINDS[kind.code].uses_period and not kind.period_days:
        raise ValidationError({"period_days": _("This kind needs a period.")})
    kind.offsets = sorted(set(kind.offsets), reverse=True)
    kind.updated_by = by
    kind._history_user = by
    kind.full_clean()
    kind.save()
    return kind


WHEEL_FIELDS = ["title", "description", "month", "day", "weekday", "week", "lead_days", "is_active"]


def _wheel_task_save(task: WheelTask, *, by, data: dict, owners) -> WheelTask:
    for name in WHEEL_FIELDS:
        if name in data:
            setattr(task, name, data[name])
    task.lead_days = sorted(set(task.lead_days or []), reverse=True)
    advisers = set(task.region.advisers().values_list("pk", flat=True))
    if any(owner.pk not in advisers for owner in owners):
        raise ValidationError({"owners": _("Owners must be advisers of the region.")})
    task.full_clean()
    task._history_user = by
    task.save()
    task.owners.set(owners)
    return task


@transaction.atomic
def wheel_task_create(*, region, by, data: dict, owners) -> WheelTask:
    return _wheel_task_save(
        WheelTask(region=region, created_by=by), by=by, data=data, owners=owners
    )


@transaction.atomic
def wheel_task_update(*, task: WheelTask, by, data: dict, owners) -> WheelTask:
    return _wheel_task_save(task, by=by, data=data, owners=owners)


@transaction.atomic
def wheel_occurrence_complete(*, task: WheelTask, year: int, by) -> WheelCompletion:
    """Mark a task done for a year: its remaining reminders for that date are withdrawn at the
    next run (and not e-mailed)."""
    completion, _created = WheelCompletion.objects.get_or_create(
        task=task, year=year, defaults={"done_by": by}
    )
    return completion


@transaction.atomic
def wheel_occurrence_reopen(*, task: WheelTask, year: int, by) -> None:
    WheelCompletion.objects.filter(task=task, year=year).delete()
