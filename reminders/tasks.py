"""Celery tasks of the reminder engine: thin, they take a date or an id and call a service.

`reminders_run_daily` is started by Celery beat (CELERY_BEAT_SCHEDULE in settings) at 07:00
Europe/Oslo; it records the day's reminders and enqueues one `digest_send` per person after the
commit. Both are safe to run again: the first records nothing twice, the second sends only what
is still pending.
"""

import datetime

from celery import shared_task
from django.utils import timezone

from reminders import services


@shared_task
def reminders_run_daily(on: str | None = None) -> dict:
    day = datetime.date.fromisoformat(on) if on else timezone.localdate()
    result = services.reminders_run(on=day)
    return {
        "due": result.due,
        "recorded": result.recorded,
        "digests": len(result.recipients),
        "failed": result.failed,
    }


# A mail server that is down (SMTPException is an OSError) is retried with growing pauses;
# the reminders stay pending meanwhile, and the next day's run sends them at the latest.
@shared_task(autoretry_for=(OSError,), retry_backoff=60, retry_backoff_max=3600, max_retries=8)
def digest_send(recipient_id: int, on: str) -> int:
    digest = services.digest_send(recipient_id=recipient_id, on=datetime.date.fromisoformat(on))
    return digest.size if digest else 0
