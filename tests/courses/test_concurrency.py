"""Registrations for the last place from two transactions at once, on PostgreSQL.

Two threads, each with its own database connection, call the service together. A patched
step inside the service's critical section sleeps, so the transactions overlap for sure: the
event lock must make the second wait for the first.
"""

import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from courses import services
from courses.models import CourseEvent, Registration
from education_plans.rules import ServiceType
from tests.courses.factories import RegistrationFactory, event_with_sessions
from tests.education_plans.factories import ServicePeriodFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
Status = Registration.Status


@pytest.fixture
def slow_critical_section(monkeypatch):
    """`CourseEvent.capacity` runs inside the critical section (after the lock and the count of
    places taken); make it slow and report entry."""
    entered = threading.Event()
    original = CourseEvent.capacity

    def slow(self, participation):
        entered.set()
        time.sleep(0.4)
        return original(self, participation)

    monkeypatch.setattr(CourseEvent, "capacity", slow)
    return entered


def in_thread(function, results, index, start=None):
    def run():
        try:
            if start is not None:
                start.wait()
            results[index] = function()
        except Exception as exc:  # the test inspects what each transaction got
            results[index] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def register(event, user):
    return lambda: services.registration_create(event=event, by=user, user=user, format="physical")


@pytest.fixture
def last_place(world, now):
    event = event_with_sessions(course__region=world.region, capacity_physical=2)
    RegistrationFactory(event=event, user=world.supervisor_a)
    return event


def test_two_registrations_for_the_last_place_do_not_overbook(
    world, last_place, slow_critical_section
):
    results = [None, None]
    start = threading.Barrier(2)
    threads = [
        in_thread(register(last_place, world.alis_a), results, 0, start),
        in_thread(register(last_place, world.alis_b), results, 1, start),
    ]
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(r.status for r in results) == [Status.CONFIRMED, Status.WAITING]
    assert Registration.objects.filter(event=last_place, status=Status.CONFIRMED).count() == 2
    queued = Registration.objects.get(event=last_place, status=Status.WAITING)
    assert queued.waitlist_rank == 1


def test_without_the_lock_the_same_race_overbooks(world, last_place, monkeypatch):
    """The test above can fail: with the lock taken away, both transactions count the places
    before either takes one (they meet at a barrier after counting), and both take it."""
    both_counted = threading.Barrier(2)
    original = CourseEvent.capacity

    def after_counting(self, participation):
        both_counted.wait(timeout=10)
        return original(self, participation)

    monkeypatch.setattr(CourseEvent, "capacity", after_counting)
    monkeypatch.setattr(
        services,
        "_locked",
        lambda event: CourseEvent.objects.select_related("course").get(pk=event.pk),
    )
    results = [None, None]
    start = threading.Barrier(2)
    threads = [
        in_thread(register(last_place, world.alis_a), results, 0, start),
        in_thread(register(last_place, world.alis_b), results, 1, start),
    ]
    for thread in threads:
        thread.join(timeout=30)
    assert Registration.objects.filter(event=last_place, status=Status.CONFIRMED).count() == 3


def test_concurrent_waiting_list_entries_end_in_the_rules_order(world, now, slow_critical_section):
    """ALIS B (fewer months) enters the critical section first and ALIS A (closer to
    completion) waits for the lock; A still ends up first on the waiting list."""
    ServicePeriodFactory(
        plan=world.plan_a,
        service_type=ServiceType.OPEN_UNSELECTED,
        start_date=datetime.date(2023, 1, 1),
    )
    ServicePeriodFactory(
        plan=world.plan_b,
        service_type=ServiceType.OPEN_UNSELECTED,
        start_date=datetime.date(2025, 1, 1),
    )
    event = event_with_sessions(course__region=world.region, capacity_physical=1)
    RegistrationFactory(event=event, user=world.supervisor_a)
    results = [None, None]
    first = in_thread(register(event, world.alis_b), results, 0)
    assert slow_critical_section.wait(timeout=10)
    second = in_thread(register(event, world.alis_a), results, 1)
    first.join(timeout=30)
    second.join(timeout=30)
    assert [r.status for r in results] == [Status.WAITING, Status.WAITING]
    order = list(
        Registration.objects.filter(event=event, status=Status.WAITING)
        .order_by("waitlist_rank")
        .values_list("user", "waitlist_rank")
    )
    assert order == [(world.alis_a.pk, 1), (world.alis_b.pk, 2)]


def test_the_same_person_twice_at_once_gets_one_registration(
    world, last_place, slow_critical_section
):
    results = [None, None]
    start = threading.Barrier(2)
    threads = [in_thread(register(last_place, world.alis_a), results, i, start) for i in range(2)]
    for thread in threads:
        thread.join(timeout=30)
    assert sum(isinstance(r, Registration) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert Registration.objects.filter(event=last_place, user=world.alis_a).count() == 1
