"""Registration, the waiting list and its order, moving up on cancellation, bad input."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from courses import services
from courses.models import Registration
from education_plans.rules import ServiceType
from tests.accounts.factories import UserFactory
from tests.courses.factories import RegistrationFactory, event_with_sessions, oslo
from tests.education_plans.factories import ServicePeriodFactory

pytestmark = pytest.mark.django_db
Status = Registration.Status


@pytest.fixture
def event(world, now):
    return event_with_sessions(course__region=world.region, capacity_physical=2)


@pytest.fixture
def stages(world):
    """ALIS A has served since 2023 (about 46 months credited), ALIS B since 2025 (about 22)."""
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


def register(event, user, fmt="physical"):
    return services.registration_create(event=event, by=user, user=user, format=fmt)


def waiting(event, fmt="physical"):
    return list(
        Registration.objects.filter(event=event, format=fmt, status=Status.WAITING)
        .order_by("waitlist_rank")
        .values_list("name", flat=True)
    )


def test_a_person_gets_a_place_and_a_confirmation(
    world, event, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event, world.alis_a)
    assert registration.status == Status.CONFIRMED
    assert registration.user == world.alis_a
    assert registration.email == world.alis_a.email
    assert registration.name == "Ola Lege"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [world.alis_a.email]
    assert "Du er påmeldt" in mailoutbox[0].subject
    assert "03.02.2027 09:00" in mailoutbox[0].body


def test_when_full_the_next_goes_on_the_waiting_list(
    world, event, mailoutbox, django_capture_on_commit_callbacks
):
    register(event, world.alis_a)
    register(event, world.alis_b)
    with django_capture_on_commit_callbacks(execute=True):
        third = register(event, world.supervisor_a)
    assert third.status == Status.WAITING
    assert third.waitlist_rank == 1
    assert "Venteliste" in mailoutbox[-1].subject


def test_the_waiting_list_puts_the_alis_closest_to_completion_first(world, stages, now):
    event = event_with_sessions(course__region=world.region, capacity_physical=1)
    register(event, world.supervisor_a)  # takes the only place
    register(event, world.outsider)  # no plan, first come
    register(event, world.alis_b)  # about 22 months
    register(event, world.alis_a)  # about 46 months
    assert waiting(event) == ["Ola Lege", "Nora Lege", "Utenfor Stående"]
    first = Registration.objects.get(event=event, user=world.alis_a)
    assert first.waitlist_months > 40
    assert "måneder tjeneste godkjent" in str(first.waitlist_reason)
    last = Registration.objects.get(event=event, user=world.outsider)
    assert last.waitlist_months is None


def test_without_plans_it_is_first_come_first_served(world, now):
    event = event_with_sessions(course__region=world.region, capacity_physical=1)
    people = [UserFactory(first_name=f"P{i}", last_name="X") for i in range(4)]
    for person in people:
        register(event, person)
    assert waiting(event) == ["P1 X", "P2 X", "P3 X"]


def test_a_cancellation_moves_the_first_up_and_emails_them(
    world, stages, now, mailoutbox, django_capture_on_commit_callbacks
):
    event = event_with_sessions(course__region=world.region, capacity_physical=1)
    place = register(event, world.supervisor_a)
    register(event, world.outsider)
    register(event, world.alis_b)
    register(event, world.alis_a)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=place, by=world.supervisor_a)
    alis_a = Registration.objects.get(event=event, user=world.alis_a)
    assert alis_a.status == Status.CONFIRMED
    assert alis_a.promoted_at is not None
    assert waiting(event) == ["Nora Lege", "Utenfor Stående"]
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert "Du har fått plass" in subjects[world.alis_a.email]
    assert "avmeldt" in subjects[world.supervisor_a.email].lower()


def test_leaving_the_waiting_list_closes_the_gap(world, event):
    register(event, world.adviser)
    register(event, world.manager_a)
    one = register(event, world.manager_b)
    register(event, world.outsider)
    services.registration_cancel(registration=one, by=world.manager_b)
    assert waiting(event) == ["Utenfor Stående"]
    assert Registration.objects.get(event=event, user=world.outsider).waitlist_rank == 1


def test_more_places_move_people_up(world, event):
    register(event, world.adviser)
    register(event, world.manager_a)
    register(event, world.manager_b)
    sessions = [
        {k: getattr(s, k) for k in ("title", "starts_at", "ends_at", "hours")} | {"session": s}
        for s in event.sessions.all()
    ]
    data = {k: getattr(event, k) for k in services.EVENT_FIELDS} | {"capacity_physical": 3}
    services.event_update(event=event, by=world.adviser, data=data, sessions=sessions)
    assert Registration.objects.filter(event=event, status=Status.CONFIRMED).count() == 3
    assert waiting(event) == []


# Bad input


def test_registering_twice_is_refused_with_a_clear_message(world, event):
    register(event, world.alis_a)
    with pytest.raises(ValidationError, match="allerede påmeldt"):
        register(event, world.alis_a)
    assert Registration.objects.filter(event=event, user=world.alis_a).count() == 1


def test_the_database_refuses_a_second_active_registration(world, event):
    RegistrationFactory(event=event, user=world.alis_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(event=event, user=world.alis_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(event=event, user=None, name="Ola", email="ALIS@kommune-a.example")


def test_a_cancelled_person_may_register_again(world, event):
    first = register(event, world.alis_a)
    services.registration_cancel(registration=first, by=world.alis_a)
    again = register(event, world.alis_a)
    assert again.status == Status.CONFIRMED
    assert Registration.objects.filter(event=event, user=world.alis_a).count() == 2


def test_after_the_deadline_registration_is_closed(world, time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 21, 12, tzinfo=datetime.UTC), tick=False)
    event = event_with_sessions(
        course__region=world.region, registration_deadline=oslo(2027, 1, 20, 23, 59)
    )
    with pytest.raises(ValidationError, match="20.01.2027 23:59"):
        register(event, world.alis_a)
    assert not Registration.objects.exists()


def test_once_the_event_has_started_nobody_registers_themselves(world, time_machine):
    event = event_with_sessions(course__region=world.region)
    time_machine.move_to(oslo(2027, 2, 3, 10), tick=False)
    with pytest.raises(ValidationError):
        register(event, world.alis_a)


def test_an_adviser_may_register_late_and_people_without_an_account(
    world, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    event = event_with_sessions(
        course__region=world.region, registration_deadline=oslo(2027, 1, 20, 23, 59)
    )
    time_machine.move_to(oslo(2027, 1, 25, 10), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        guest = services.registration_create(
            event=event,
            by=world.adviser,
            name="Gunn Gjest",
            email="gunn.gjest@legesenter.example",
            organisation="Askøy legesenter",
            format="physical",
        )
    assert guest.user is None and guest.status == Status.CONFIRMED
    assert mailoutbox[0].to == ["gunn.gjest@legesenter.example"]
    # An e-mail of an existing account becomes that person's registration.
    known = services.registration_create(
        event=event, by=world.adviser, email="ALIS@kommune-a.example", format="physical"
    )
    assert known.user == world.alis_a
    with pytest.raises(ValidationError, match="allerede"):
        services.registration_create(
            event=event,
            by=world.adviser,
            name="Gunn",
            email="Gunn.Gjest@legesenter.example",
            format="physical",
        )


def test_only_advisers_register_other_people(world, event):
    with pytest.raises(PermissionDenied):
        services.registration_create(
            event=event, by=world.alis_a, user=world.alis_b, format="physical"
        )
    with pytest.raises(PermissionDenied):
        services.registration_create(
            event=event, by=world.manager_a, name="X", email="x@example.no", format="physical"
        )


def test_a_format_the_event_does_not_offer_is_refused(world, event):
    with pytest.raises(ValidationError) as exc:
        register(event, world.alis_a, fmt="digital")
    assert "format" in exc.value.message_dict


def test_an_unpublished_event_takes_no_registrations(world, now):
    event = event_with_sessions(course__region=world.region, is_published=False, published_at=None)
    with pytest.raises(ValidationError):
        register(event, world.alis_a)


def test_hybrid_events_have_a_waiting_list_per_format(world, now):
    event = event_with_sessions(
        course__region=world.region, format="hybrid", capacity_physical=1, capacity_digital=None
    )
    register(event, world.alis_a)
    assert register(event, world.alis_b).status == Status.WAITING
    assert register(event, world.supervisor_a, fmt="digital").status == Status.CONFIRMED
    assert waiting(event) == ["Nora Lege"] and waiting(event, "digital") == []


def test_people_cancel_themselves_only_until_the_deadline(world, time_machine):
    time_machine.move_to(oslo(2027, 1, 1, 12), tick=False)
    event = event_with_sessions(
        course__region=world.region,
        capacity_physical=1,
        cancellation_deadline=oslo(2027, 1, 27, 12),
    )
    place = register(event, world.alis_a)
    queued = register(event, world.alis_b)
    time_machine.move_to(oslo(2027, 1, 28, 12), tick=False)
    with pytest.raises(ValidationError, match="27.01.2027 12:00"):
        services.registration_cancel(registration=place, by=world.alis_a)
    # Leaving the waiting list frees nobody's place: allowed until the event starts.
    services.registration_cancel(registration=queued, by=world.alis_b)
    # The adviser may still cancel the place.
    services.registration_cancel(registration=place, by=world.adviser)
    with pytest.raises(ValidationError, match="allerede"):
        services.registration_cancel(registration=place, by=world.adviser)


def test_nobody_cancels_someone_else(world, event):
    place = register(event, world.alis_a)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(registration=place, by=world.alis_b)


# The adviser's override


@pytest.fixture
def queue(world, stages, now):
    """A full event with ALIS A, ALIS B and the outsider waiting, in that order by the rule."""
    event = event_with_sessions(course__region=world.region, capacity_physical=1)
    register(event, world.supervisor_a)
    for person in (world.outsider, world.alis_b, world.alis_a):
        register(event, person)
    assert waiting(event) == ["Ola Lege", "Nora Lege", "Utenfor Stående"]
    return event


def entry(event, user):
    return Registration.objects.get(event=event, user=user, status=Status.WAITING)


def test_moving_up_and_down_one_place(world, queue):
    moved = services.waitlist_move(
        registration=entry(queue, world.outsider), by=world.adviser, action="up"
    )
    assert waiting(queue) == ["Ola Lege", "Utenfor Stående", "Nora Lege"]
    assert moved.waitlist_moved_by == world.adviser
    assert str(moved.waitlist_reason).startswith("Flyttet av Anja Rådgiver")
    services.waitlist_move(registration=entry(queue, world.alis_a), by=world.adviser, action="down")
    assert waiting(queue) == ["Utenfor Stående", "Ola Lege", "Nora Lege"]


def test_a_moved_person_keeps_their_place_when_others_join(world, queue):
    services.waitlist_move(registration=entry(queue, world.outsider), by=world.adviser, action="up")
    newcomer = UserFactory(first_name="Ny", last_name="Person")
    register(queue, newcomer)
    assert waiting(queue) == ["Ola Lege", "Utenfor Stående", "Nora Lege", "Ny Person"]


def test_pinning_puts_first_and_reset_returns_to_the_rule(world, queue):
    services.waitlist_move(
        registration=entry(queue, world.outsider), by=world.adviser, action="pin"
    )
    assert waiting(queue) == ["Utenfor Stående", "Ola Lege", "Nora Lege"]
    with pytest.raises(ValidationError):
        services.waitlist_move(
            registration=entry(queue, world.alis_a), by=world.adviser, action="up"
        )
    services.waitlist_move(
        registration=entry(queue, world.outsider), by=world.adviser, action="unpin"
    )
    assert waiting(queue) == ["Ola Lege", "Nora Lege", "Utenfor Stående"]


def test_the_pinned_person_gets_the_next_place(world, queue):
    services.waitlist_move(registration=entry(queue, world.alis_b), by=world.adviser, action="pin")
    place = Registration.objects.get(event=queue, user=world.supervisor_a)
    services.registration_cancel(registration=place, by=world.adviser)
    assert Registration.objects.get(event=queue, user=world.alis_b).status == Status.CONFIRMED
    assert waiting(queue) == ["Ola Lege", "Utenfor Stående"]


def test_moves_at_the_ends_and_by_others_are_refused(world, queue):
    with pytest.raises(ValidationError, match="først"):
        services.waitlist_move(
            registration=entry(queue, world.alis_a), by=world.adviser, action="up"
        )
    with pytest.raises(ValidationError, match="sist"):
        services.waitlist_move(
            registration=entry(queue, world.outsider), by=world.adviser, action="down"
        )
    with pytest.raises(PermissionDenied):
        services.waitlist_move(
            registration=entry(queue, world.outsider), by=world.manager_a, action="up"
        )
