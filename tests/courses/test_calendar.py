"""The iCalendar feeds, parsed with the icalendar library as a calendar would read them."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from courses import services
from courses.models import CalendarFeed
from tests.courses.factories import RegistrationFactory, event_with_sessions, oslo

pytestmark = pytest.mark.django_db
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_an_events_feed_has_every_session_at_oslo_time(world, now, client_for):
    event = event_with_sessions(
        course__region=world.region, days=((2027, 2, 3), (2027, 6, 2))
    )  # winter and summer time
    calendar = parse(client_for(world.outsider).get(reverse("courses:event_ical", args=[event.pk])))
    events = calendar.events
    assert [e.start for e in events] == [oslo(2027, 2, 3, 9), oslo(2027, 6, 2, 9)]
    assert events[0].start.utcoffset() == datetime.timedelta(hours=1)
    assert events[1].start.utcoffset() == datetime.timedelta(hours=2)
    assert events[0].end == oslo(2027, 2, 3, 15)
    assert events[0]["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Oslo"]
    assert events[0]["SUMMARY"].startswith("Emnekurs i individuell veiledning")
    assert events[0]["LOCATION"] == "Bergen legevakt, Vestre Strømkaien 19"
    assert len({e["UID"] for e in events}) == 2


def test_a_draft_has_no_feed_for_others(world, now, client_for):
    event = event_with_sessions(course__region=world.region, is_published=False)
    url = reverse("courses:event_ical", args=[event.pk])
    assert client_for(world.alis_a).get(url).status_code == 404
    assert client_for(world.adviser).get(url).status_code == 200


def test_the_personal_feed_works_without_a_session_and_shows_the_persons_registrations(
    world, now, client
):
    booked = event_with_sessions(
        course__region=world.region,
        online_link="https://møte.example/x",
        format="hybrid",
        capacity_digital=50,
    )
    queued = event_with_sessions(
        course__region=world.region, title="Stavanger", days=((2027, 4, 7),)
    )
    other = event_with_sessions(course__region=world.region, title="Førde", days=((2027, 5, 5),))
    RegistrationFactory(event=booked, user=world.alis_a, format="digital")
    RegistrationFactory(event=queued, user=world.alis_a, status="waiting", waitlist_rank=1)
    RegistrationFactory(event=other, user=world.alis_b)
    RegistrationFactory(event=other, user=world.alis_a, status="cancelled")
    feed = services.calendar_feed_enable(user=world.alis_a)

    calendar = parse(client.get(reverse("courses:calendar_feed", args=[feed.token])))

    events = calendar.events
    assert len(events) == 4  # three days booked, one day on the waiting list
    tentative = [e for e in events if e["STATUS"] == "TENTATIVE"]
    assert len(tentative) == 1 and "Stavanger" in tentative[0]["SUMMARY"]
    assert all("Førde" not in e["SUMMARY"] for e in events)
    assert "https://møte.example/x" in events[0]["DESCRIPTION"]


def test_a_new_feed_address_revokes_the_old(world, now, client):
    old = services.calendar_feed_enable(user=world.alis_a).token
    new = services.calendar_feed_reset(user=world.alis_a).token
    assert new != old
    assert client.get(reverse("courses:calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("courses:calendar_feed", args=[new])).status_code == 200
    services.calendar_feed_disable(user=world.alis_a)
    assert client.get(reverse("courses:calendar_feed", args=[new])).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_the_feed_buttons_on_my_page(world, client_for):
    client = client_for(world.alis_a)
    client.post(reverse("courses:calendar_feed_enable"))
    feed = CalendarFeed.objects.get(user=world.alis_a)
    page = client.get(reverse("courses:my_registrations")).content.decode()
    assert f"/kurs/kalender/{feed.token}.ics" in page
    client.post(reverse("courses:calendar_feed_reset"))
    assert CalendarFeed.objects.get(user=world.alis_a).token != feed.token
