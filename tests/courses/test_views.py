"""The pages: the course calendar, creating and publishing an event, registering, the
participants with the waiting list, my courses, the home page and the menu."""

import pytest
from django.urls import reverse

from courses.models import CourseEvent, EventSession, Registration
from tests.accounts.factories import UserFactory
from tests.courses.factories import (
    CourseFactory,
    RegistrationFactory,
    event_with_sessions,
    oslo,
)
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db
LIST = reverse("courses:event_list")


def test_everyone_logged_in_sees_published_events_and_advisers_their_drafts(world, now, client_for):
    published = event_with_sessions(course__region=world.region)
    draft = event_with_sessions(course__region=world.region, is_published=False, title="Utkast")
    for persona in ("outsider", "alis_a", "manager_b"):
        events = list(client_for(world.user(persona)).get(LIST).context["page_obj"])
        assert events == [published]
    assert set(client_for(world.adviser).get(LIST).context["page_obj"]) == {published, draft}
    assert client_for(None).get(LIST).status_code == 302


def test_the_calendar_shows_upcoming_events_in_order_and_held_ones_apart(world, now, client_for):
    later = event_with_sessions(course__region=world.region, days=((2027, 5, 5),))
    sooner = event_with_sessions(course__region=world.region, days=((2027, 1, 12),))
    held = event_with_sessions(course__region=world.region, days=((2026, 10, 6),))
    client = client_for(world.alis_a)
    assert list(client.get(LIST).context["page_obj"]) == [sooner, later]
    assert list(client.get(LIST, {"when": "past"}).context["page_obj"]) == [held]
    page = client.get(LIST).content.decode()
    assert page.index("januar 2027") < page.index("mai 2027")


def test_the_calendar_filters(world, now, client_for):
    digital = event_with_sessions(
        course__region=world.region,
        course__kind="regional_gathering",
        course__title="Regional digital samling",
        format="digital",
        capacity_physical=None,
        days=((2027, 5, 25),),
    )
    module = event_with_sessions(course__region=world.region, days=((2027, 2, 3),))
    client = client_for(world.alis_a)

    def found(**query):
        return list(client.get(LIST, query).context["page_obj"])

    assert found(kind="regional_gathering") == [digital]
    assert found(format="digital") == [digital]
    assert found(format="physical") == [module]
    assert found(q="samling") == [digital]
    assert found(date_from="2027-03-01") == [digital]


def test_the_calendar_runs_the_same_queries_for_ten_times_the_events(world, now, client_for):
    event_with_sessions(course__region=world.region)

    def grow():
        for i in range(10):
            event = event_with_sessions(course__region=world.region, days=((2027, 3, 1 + i),))
            RegistrationFactory(event=event, user=world.alis_a)

    assert_constant_queries(client_for(world.alis_a), LIST, grow)


def test_an_adviser_creates_and_publishes_an_event(world, now, client_for):
    course = CourseFactory(region=world.region)
    client = client_for(world.adviser)
    data = {
        "title": "Vår 2027, Bergen",
        "format": "hybrid",
        "place": "Bergen",
        "online_link": "https://teams.example/kurs",
        "capacity_physical": "2",
        "capacity_digital": "",
        "registration_deadline": "2027-01-20T23:59",
        "cancellation_deadline": "2027-01-27T12:00",
        "price": "3500",
        "target_group": "Veiledere",
        "description": "Tre dager.",
        "sessions-TOTAL_FORMS": "2",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-title": "Dag 1",
        "sessions-0-starts_at": "2027-02-03T09:00",
        "sessions-0-ends_at": "2027-02-03T15:30",
        "sessions-0-hours": "",
        "sessions-1-title": "Dag 2",
        "sessions-1-starts_at": "2027-02-04T09:00",
        "sessions-1-ends_at": "2027-02-04T15:00",
        "sessions-1-hours": "6",
    }
    response = client.post(reverse("courses:event_create", args=[course.pk]), data)
    event = CourseEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/kurs/{event.pk}/"
    assert not event.is_published
    assert event.registration_deadline == oslo(2027, 1, 20, 23, 59)
    sessions = list(event.sessions.all())
    assert [s.hours for s in sessions] == [6.5, 6]  # the first from its length
    assert sessions[0].starts_at == oslo(2027, 2, 3, 9)

    client.post(reverse("courses:event_publish", args=[event.pk]))
    event.refresh_from_db()
    assert event.is_published and event.published_at


def test_the_event_form_says_what_is_wrong_and_saves_nothing(world, now, client_for):
    course = CourseFactory(region=world.region)
    data = {
        "title": "",
        "format": "physical",
        "place": "Bergen",
        "capacity_physical": "10",
        "registration_deadline": "2027-03-01T12:00",
        "price": "0",
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-starts_at": "2027-02-03T09:00",
        "sessions-0-ends_at": "2027-02-03T08:00",
    }
    client = client_for(world.adviser)
    response = client.post(reverse("courses:event_create", args=[course.pk]), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["ends_at"]
    data["sessions-0-ends_at"] = "2027-02-03T15:00"
    response = client.post(reverse("courses:event_create", args=[course.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["registration_deadline"]
    assert not CourseEvent.objects.exists() and not EventSession.objects.exists()


def test_registering_on_the_event_page(world, now, client_for):
    event = event_with_sessions(course__region=world.region, capacity_physical=1)
    url = reverse("courses:registration_create", args=[event.pk])
    client = client_for(world.alis_a)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "1 plass igjen" in page
    response = client.post(url, {"format": "physical"}, follow=True)
    assert Registration.objects.get(event=event).user == world.alis_a
    assert "Du har plass (fysisk)" in response.content.decode()
    again = client.post(url, {"format": "physical"}, follow=True)
    assert [str(m) for m in again.context["messages"]] == [
        "Du er allerede påmeldt dette arrangementet."
    ]
    response = client_for(world.alis_b).post(url, {"format": "physical"}, follow=True)
    assert Registration.objects.get(event=event, user=world.alis_b).waitlist_rank == 1
    assert "nummer 1 på ventelisten" in response.content.decode()


def test_an_adviser_registers_a_person_without_an_account(world, now, client_for):
    event = event_with_sessions(course__region=world.region)
    url = reverse("courses:registration_add", args=[event.pk])
    client = client_for(world.adviser)
    response = client.post(url, {"email": "ny@legesenter.example", "format": "physical"})
    assert response.status_code == 200 and response.context["form"].errors["name"]
    response = client.post(
        url,
        {
            "email": "ny@legesenter.example",
            "name": "Nina Ny",
            "organisation": "Os legesenter",
            "format": "physical",
        },
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.user, registration.name, registration.organisation) == (
        None,
        "Nina Ny",
        "Os legesenter",
    )
    response = client.post(
        url, {"email": "NY@legesenter.example", "name": "Nina", "format": "physical"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Registration.objects.count() == 1


def test_the_participants_page_shows_the_waiting_list_with_reasons_and_moves(
    world, now, client_for
):
    event = event_with_sessions(course__region=world.region, capacity_physical=1)
    RegistrationFactory(event=event, user=world.supervisor_a)
    first = RegistrationFactory(
        event=event, user=world.alis_a, status="waiting", waitlist_rank=1, confirmed_at=None
    )
    second = RegistrationFactory(
        event=event, user=world.outsider, status="waiting", waitlist_rank=2, confirmed_at=None
    )
    client = client_for(world.adviser)
    url = reverse("courses:event_participants", args=[event.pk])
    page = client.get(url, {"status": "waiting"}).content.decode()
    assert "Ola Lege" in page and "Utenfor Stående" in page
    assert "først til mølla" in page
    response = client.post(reverse("courses:waitlist_move", args=[second.pk, "up"]))
    assert response["Location"] == f"{url}?status=waiting"
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.waitlist_rank, first.waitlist_rank) == (1, 2)


def test_the_participants_page_runs_the_same_queries_for_ten_times_the_people(
    world, now, client_for
):
    event = event_with_sessions(course__region=world.region, capacity_physical=100)
    RegistrationFactory(event=event, user=world.alis_a)

    def grow():
        for _ in range(10):
            RegistrationFactory(event=event, user=UserFactory())

    url = reverse("courses:event_participants", args=[event.pk])
    assert_constant_queries(client_for(world.adviser), url, grow)


def test_my_courses_lists_my_registrations_only(world, now, client_for):
    mine = event_with_sessions(course__region=world.region, title="Min")
    theirs = event_with_sessions(course__region=world.region, title="Deres")
    RegistrationFactory(event=mine, user=world.alis_a)
    RegistrationFactory(event=theirs, user=world.alis_b)
    response = client_for(world.alis_a).get(reverse("courses:my_registrations"))
    assert [r.event for r in response.context["upcoming"]] == [mine]

    def grow():
        for i in range(10):
            event = event_with_sessions(course__region=world.region, days=((2027, 3, 1 + i),))
            RegistrationFactory(event=event, user=world.alis_a)

    assert_constant_queries(client_for(world.alis_a), reverse("courses:my_registrations"), grow)


def test_the_menu_and_the_home_page(world, now, client_for):
    event = event_with_sessions(course__region=world.region, title="Våren")
    RegistrationFactory(event=event, user=world.alis_a)
    event_with_sessions(course__region=world.region, title="Neste", days=((2027, 4, 1),))
    home = client_for(world.alis_a).get("/").content.decode()
    assert 'href="/kurs/"' in home
    assert "Våren" in home and "Neste" in home
    assert "Kurs å følge opp" not in home


def test_advisers_home_lists_events_that_need_attendance_or_certificates(
    world, time_machine, client_for
):
    time_machine.move_to(oslo(2027, 1, 5), tick=False)
    event = event_with_sessions(course__region=world.region, title="Holdt")
    RegistrationFactory(event=event, user=world.alis_a)
    time_machine.move_to(oslo(2027, 2, 10), tick=False)
    home = client_for(world.adviser).get("/")
    content = home.content.decode()
    assert "Holdt" in content
    assert reverse("courses:event_participants", args=[event.pk]) in content
