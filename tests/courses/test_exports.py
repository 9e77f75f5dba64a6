"""The participant list as XLSX and the figures for the annual report."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from courses import services
from courses.models import Course, CourseEvent, Registration
from tests.accounts.factories import UserFactory
from tests.courses.factories import (
    AttendanceFactory,
    RegistrationFactory,
    event_with_sessions,
    oslo,
)
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(world, time_machine):
    time_machine.move_to(oslo(2027, 1, 10, 12), tick=False)
    event = event_with_sessions(
        course__region=world.region, format="hybrid", capacity_physical=2, capacity_digital=10
    )
    a = RegistrationFactory(event=event, user=world.alis_a, organisation="Sogndal kommune")
    b = RegistrationFactory(event=event, user=world.alis_b, format="digital")
    RegistrationFactory(event=event, user=world.supervisor_a)
    RegistrationFactory(event=event, user=world.manager_a, status="waiting", waitlist_rank=1)
    RegistrationFactory(event=event, user=world.manager_b, status="cancelled")
    time_machine.move_to(oslo(2027, 2, 8, 12), tick=False)
    sessions = list(event.sessions.all())
    for session in sessions:
        services.attendance_set(registration=a, session=session, present=True, by=world.adviser)
    services.attendance_set(registration=b, session=sessions[0], present=True, by=world.adviser)
    return event


def test_the_participant_list_opens_and_matches(world, held, client_for):
    response = client_for(world.adviser).get(reverse("courses:participants_export", args=[held.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="deltakere-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Navn", "E-post", "Organisasjon", "Deltar", "Status")
    body = {row[0]: row for row in rows[1:]}
    assert len(body) == 5
    ola = body["Ola Lege"]
    assert ola[1] == world.alis_a.email and ola[2] == "Sogndal kommune"
    assert ola[7:10] == ("ja", "ja", "ja") and ola[10] == 18
    nora = body["Nora Lege"]
    assert nora[3] == "Digitalt" and nora[7:10] == ("ja", None, None) and nora[10] == 6
    assert body[str(world.manager_a)][5] == 1  # place on the waiting list
    assert [row[4] for row in rows[1:]][-1] == "Avmeldt"  # cancellations last


def test_the_export_runs_the_same_queries_for_ten_times_the_people(world, held, client_for):
    url = reverse("courses:participants_export", args=[held.pk])
    sessions = list(held.sessions.all())

    def grow():
        for _ in range(10):
            registration = RegistrationFactory(event=held, user=UserFactory(), format="digital")
            AttendanceFactory(registration=registration, session=sessions[1])

    assert_constant_queries(client_for(world.adviser), url, grow)


def test_only_the_regions_advisers_export(world, held, client_for):
    url = reverse("courses:participants_export", args=[held.pk])
    assert client_for(world.alis_a).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 403


def test_figures_for_the_annual_report(world, held, time_machine):
    # A 2027 event not yet begun and a 2026 event do not count for 2027 as held.
    event_with_sessions(course__region=world.region, days=((2027, 11, 3),))
    event_with_sessions(course__region=world.region, days=((2026, 10, 6),))
    draft = event_with_sessions(course__region=world.region, days=((2027, 1, 20),))
    CourseEvent.objects.filter(pk=draft.pk).update(is_published=False)

    figures = list(CourseEvent.objects.held_in(2027).with_figures())

    assert [e.pk for e in figures] == [held.pk]
    event = figures[0]
    assert event.registration_count == 3
    assert event.attended_physical == 1
    assert event.attended_digital == 1
    assert event.cancellation_count == 1
    assert event.total_hours == 18
    assert Registration.objects.filter(event=held).count() == 5


def test_figures_per_course_for_the_annual_report(world, held):
    second = event_with_sessions(course=held.course, days=((2027, 2, 1),))
    RegistrationFactory(event=second, user=world.alis_a, format="physical")
    other = event_with_sessions(
        course__region=world.region, course__title="ALIS-konferansen", days=((2027, 1, 5),)
    )

    courses = {c.pk: c for c in Course.objects.with_figures(2027)}

    course = courses[held.course_id]
    assert course.events_held == 2
    assert course.registration_count == 4
    assert (course.attended_physical, course.attended_digital) == (1, 1)
    assert courses[other.course_id].events_held == 1
    assert courses[other.course_id].registration_count == 0
