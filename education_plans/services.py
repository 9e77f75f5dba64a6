"""Writes to the learning-activity ledger.

Other apps call only `activity_record_external` and `activity_remove_external` (and, for
membership of a supervision group, `group_period_record_external` and
`group_period_remove_external`): they own the `source_key` (e.g. "supervision.session:42",
"courses.attendance:7", "supervision.membership:3") and call again whenever the source
changes; the ledger follows.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from education_plans.models import GroupSupervisionPeriod, LearningActivity, Objective


@transaction.atomic
def activity_record_external(
    *,
    alis,
    source_key: str,
    kind: str,
    date: datetime.date,
    hours: Decimal,
    title: str,
    confirmed_by=None,
    objectives: Iterable[Objective] = (),
) -> LearningActivity:
    """Create or update the done activity that another app's record stands for."""
    activity, _created = LearningActivity.objects.select_for_update().update_or_create(
        source_key=source_key,
        defaults={
            "alis": alis,
            "kind": kind,
            "status": LearningActivity.Status.DONE,
            "date": date,
            "hours": hours,
            "title": title[:300],
            "confirmed_by": confirmed_by,
            "confirmed_at": timezone.now() if confirmed_by else None,
        },
    )
    activity.objectives.set(objectives)
    return activity


@transaction.atomic
def activity_remove_external(*, source_key: str) -> None:
    """The source no longer counts (a session unsigned, attendance withdrawn)."""
    LearningActivity.objects.filter(source_key=source_key).delete()


@transaction.atomic
def group_period_record_external(
    *,
    alis,
    source_key: str,
    title: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
) -> GroupSupervisionPeriod:
    """Create or update the group-supervision period that another app's membership stands for."""
    period, _created = GroupSupervisionPeriod.objects.select_for_update().update_or_create(
        source_key=source_key,
        defaults={
            "alis": alis,
            "title": title[:200],
            "start_date": start_date,
            "end_date": end_date,
        },
    )
    return period


@transaction.atomic
def group_period_remove_external(*, source_key: str) -> None:
    """The membership no longer counts (removed as a mistake)."""
    GroupSupervisionPeriod.objects.filter(source_key=source_key).delete()
