"""Writes to the learning-activity ledger.

Other apps call only `activity_record_external` and `activity_remove_external`: they own the
`source_key` (e.g. "supervision.session:42", "courses.attendance:7") and call again whenever
the source changes; the ledger follows.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from education_plans.models import LearningActivity, Objective


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
