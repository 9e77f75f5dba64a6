"""The engine through a real Celery worker on Redis, started inside the test: the daily task
delivered twice (a retry) and run again later the same day sends every e-mail once."""

import os
import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.db import connections
from django.utils import timezone

from accounts.models import Role
from alisvest.celery import app
from reminders import tasks
from reminders.models import Notification
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.municipalities.factories import FollowUpEntryFactory, NextActionFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def close_worker_connections(**kwargs):
    # The worker thread's database connection must not outlive the test database.
    connections.close_all()


def drained() -> bool:
    """The queue is empty and the last task taken from it has had time to finish."""
    queue = redis.Redis.from_url(os.environ["REDIS_URL"])
    empty = wait_for(lambda: queue.llen("celery") == 0)
    time.sleep(1)
    return empty


@pytest.fixture
def worker():
    app.control.purge()
    task_postrun.connect(close_worker_connections)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False) as started:
            yield started
    finally:
        task_postrun.disconnect(close_worker_connections)


def test_the_engine_run_twice_on_a_real_worker_sends_each_email_once(world, worker):
    today = timezone.localdate()
    colleague = UserFactory()
    RoleAssignmentFactory(
        user=colleague, role=Role.ADVISER, region=world.region, valid_from=world.plan_a.start_date
    )
    for municipality in (world.muni_a, world.muni_b):
        FollowUpEntryFactory(municipality=municipality, date=today, kind="meeting")
    entry = FollowUpEntryFactory(municipality=world.muni_a, date=today)
    NextActionFactory(entry=entry, owner=world.adviser, due_date=today, description="Send mal")
    NextActionFactory(entry=entry, owner=colleague, due_date=today, description="Ring kommunen")

    # The daily task delivered twice, as after a lost acknowledgement.
    tasks.reminders_run_daily.delay()
    tasks.reminders_run_daily.delay()
    assert wait_for(lambda: not Notification.objects.pending().exists() and len(mail.outbox) >= 2)
    assert drained()  # every digest task has run
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.adviser.email, colleague.email])

    # Later the same day something new falls due, and the engine runs again.
    NextActionFactory(entry=entry, owner=world.adviser, due_date=today, description="Ny oppgave")
    tasks.reminders_run_daily.delay()
    assert wait_for(lambda: len(mail.outbox) >= 3)
    assert drained()
    assert [m.to[0] for m in mail.outbox].count(world.adviser.email) == 2
    assert [m.to[0] for m in mail.outbox].count(colleague.email) == 1
    first, second = [m for m in mail.outbox if m.to == [world.adviser.email]]
    assert "Send mal" in first.body and "Ny oppgave" not in first.body
    assert "Ny oppgave" in second.body and "Send mal" not in second.body
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 3
