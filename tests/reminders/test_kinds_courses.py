"""Course deadlines, to the people registered and on the waiting list (time-machine)."""

import datetime

import pytest

from courses import services as courses
from courses.models import Registration
from reminders import services
from reminders.kinds import KINDS
from reminders.models import Notification
from tests.courses.factories import CourseFactory, RegistrationFactory, event_with_sessions, oslo
from tests.reminders.test_kinds import of_kind, setting

D = datetime.date


@pytest.fixture
def event(world, travel):
    travel(D(2026, 8, 1))
    return event_with_sessions(
        course=CourseFactory(region=world.region, title="Emnekurs i veiledning"),
        title="Bergen",
        days=((2026, 10, 5), (2026, 10, 6)),
        registration_deadline=oslo(2026, 9, 21, 23, 59),
        cancellation_deadline=oslo(2026, 9, 28, 12),
    )


@pytest.fixture
def people(world, event):
    registered = RegistrationFactory(event=event, user=world.alis_a)
    waiting = RegistrationFactory(
        event=event, user=world.supervisor_a, status=Registration.Status.WAITING, waitlist_rank=1
    )
    RegistrationFactory(event=event, user=None)  # a guest without an account: e-mailed by courses
    return registered, waiting


def test_the_cancellation_deadline_is_reminded_a_week_before_and_on_the_day(world, people, run):
    registered, waiting = people
    assert of_kind(run(D(2026, 9, 20)), "course_cancellation_deadline") == set()
    assert of_kind(run(D(2026, 9, 21)), "course_cancellation_deadline") == {
        (
            "course_cancellation_deadline",
            f"courses.registration:{r.pk}",
            r.user_id,
            D(2026, 9, 28),
            D(2026, 9, 21),
        )
        for r in (registered, waiting)
    }
    assert {r[4] for r in of_kind(run(D(2026, 9, 28)), "course_cancellation_deadline")} == {
        D(2026, 9, 28)
    }
    assert of_kind(run(D(2026, 9, 29)), "course_cancellation_deadline") == set()


def test_the_reminder_names_the_event_and_links_to_the_registration(world, people):
    registered, _waiting = people
    due = KINDS["course_cancellation_deadline"].find(
        D(2026, 9, 28), setting("course_cancellation_deadline")
    )
    mine = [d for d in due if d.recipient_id == world.alis_a.pk]
    assert [(d.title, d.url) for d in mine] == [
        ("Emnekurs i veiledning: Bergen", f"/kurs/pamelding/{registered.pk}/")
    ]


def test_without_a_cancellation_deadline_the_first_session_is_the_deadline(
    world, event, people, run
):
    event.cancellation_deadline = None
    event.save(update_fields=["cancellation_deadline"])
    assert {r[3] for r in of_kind(run(D(2026, 10, 5)), "course_cancellation_deadline")} == {
        D(2026, 10, 5)
    }


def test_a_cancelled_registration_withdraws_the_reminder(world, people, run, travel):
    registered, _waiting = people
    run(D(2026, 9, 21))
    travel(D(2026, 9, 22))
    courses.registration_cancel(registration=registered, by=world.alis_a)
    rows = of_kind(run(D(2026, 9, 28)), "course_cancellation_deadline")
    assert registered.user_id not in {r[2] for r in rows}
    mine = Notification.objects.get(object_key=f"courses.registration:{registered.pk}")
    assert mine.withdrawn_at is not None


def test_an_unpublished_event_reminds_nobody(world, event, people, run):
    event.is_published = False
    event.save(update_fields=["is_published"])
    assert of_kind(run(D(2026, 9, 28)), "course_cancellation_deadline") == set()


def test_the_registration_deadline_goes_to_the_waiting_list_only(world, people, run):
    _registered, waiting = people
    assert of_kind(run(D(2026, 9, 13)), "course_registration_deadline") == set()
    assert of_kind(run(D(2026, 9, 14)), "course_registration_deadline") == {
        (
            "course_registration_deadline",
            f"courses.registration:{waiting.pk}",
            world.supervisor_a.pk,
            D(2026, 9, 21),
            D(2026, 9, 14),
        )
    }


def test_an_event_without_a_registration_deadline_has_no_such_reminder(world, event, people, run):
    event.registration_deadline = None
    event.save(update_fields=["registration_deadline"])
    assert of_kind(run(D(2026, 10, 4)), "course_registration_deadline") == set()


def test_a_person_can_turn_the_course_reminders_off(world, people, run):
    kinds = services.kind_settings()
    services.digest_preference_set(
        user=world.alis_a,
        frequency="daily",
        weekday=None,
        muted=[kinds["course_cancellation_deadline"]],
    )
    rows = of_kind(run(D(2026, 9, 21)), "course_cancellation_deadline")
    assert {r[2] for r in rows} == {world.supervisor_a.pk}
