"""Attendance per session, the learning activity it becomes, and certificates of attendance."""

import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alisvest.documents import sha256_of_file
from courses import services
from courses.models import Certificate, Registration
from education_plans.models import ActivityKind, LearningActivity
from tests.courses.factories import RegistrationFactory, event_with_sessions, oslo

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(world, time_machine):
    """The three-day course module, over: ALIS A and a guest without an account had places."""
    time_machine.move_to(oslo(2027, 1, 10, 12), tick=False)
    event = event_with_sessions(course__region=world.region)
    alis = RegistrationFactory(event=event, user=world.alis_a)
    guest = RegistrationFactory(
        event=event, user=None, name="Gunn Gjest", email="gunn@legesenter.example"
    )
    time_machine.move_to(oslo(2027, 2, 8, 12), tick=False)
    event.alis, event.guest = alis, guest
    return event


def mark(event, registration, days, by, present=True):
    sessions = list(event.sessions.all())
    for day in days:
        services.attendance_set(
            registration=registration, session=sessions[day], present=present, by=by
        )


def test_attendance_by_an_alis_becomes_a_course_activity_in_their_plan(world, held):
    mark(held, held.alis, [0, 1], world.adviser)
    activity = LearningActivity.objects.get(source_key=f"courses.attendance:{held.alis.pk}")
    assert activity.alis == world.alis_a
    assert activity.kind == ActivityKind.COURSE
    assert activity.hours == Decimal(12)
    assert activity.date == datetime.date(2027, 2, 4)
    assert activity.confirmed_by == world.adviser and activity.confirmed_at is not None
    assert activity.title.startswith("Emnekurs i individuell veiledning")


def test_withdrawn_attendance_leaves_the_plan(world, held):
    mark(held, held.alis, [0, 1], world.adviser)
    mark(held, held.alis, [1], world.adviser, present=False)
    activity = LearningActivity.objects.get(source_key=f"courses.attendance:{held.alis.pk}")
    assert activity.hours == Decimal(6)
    mark(held, held.alis, [0], world.adviser, present=False)
    assert not LearningActivity.objects.exists()


def test_people_without_a_plan_get_no_learning_activity(world, held):
    mark(held, held.guest, [0], world.adviser)
    supervisor = RegistrationFactory(event=held, user=world.supervisor_a)
    mark(held, supervisor, [0], world.adviser)
    assert not LearningActivity.objects.exists()


def test_attendance_is_not_recorded_before_the_session_day(world, time_machine):
    time_machine.move_to(oslo(2027, 2, 3, 8), tick=False)
    event = event_with_sessions(course__region=world.region)
    registration = RegistrationFactory(event=event, user=world.alis_a)
    mark(event, registration, [0], world.adviser)  # the first day has come
    with pytest.raises(ValidationError, match="04.02.2027"):
        mark(event, registration, [1], world.adviser)


def test_only_people_with_a_place_can_be_marked_and_only_by_advisers(world, held):
    queued = RegistrationFactory(
        event=held, user=world.alis_b, status=Registration.Status.WAITING, waitlist_rank=1
    )
    with pytest.raises(ValidationError):
        mark(held, queued, [0], world.adviser)
    with pytest.raises(PermissionDenied):
        mark(held, held.alis, [0], world.manager_a)


def test_certificates_only_for_those_who_attended(world, held, django_capture_on_commit_callbacks):
    mark(held, held.alis, [0, 1, 2], world.adviser)
    with django_capture_on_commit_callbacks(execute=True):
        issued = services.certificates_issue(event=held, by=world.adviser)
    assert [c.registration for c in issued] == [held.alis]
    with pytest.raises(ValidationError, match="oppmøte"):
        services.certificate_issue(registration=held.guest, by=world.adviser)
    assert Certificate.objects.count() == 1


def test_a_certificate_is_stored_once_with_its_checksum_and_hours(
    world, held, tmp_path, mailoutbox, django_capture_on_commit_callbacks
):
    mark(held, held.alis, [0, 2], world.adviser)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.certificate_issue(registration=held.alis, by=world.adviser)
    assert certificate.hours == Decimal(12)
    assert certificate.number == f"KB-2027-{held.alis.pk:06d}"
    assert sha256_of_file(certificate.file) == certificate.sha256
    assert certificate.file.open("rb").read(5) == b"%PDF-"
    assert mailoutbox[-1].attachments[0][0] == f"{certificate.number}.pdf"
    with pytest.raises(ValidationError):
        services.certificate_issue(registration=held.alis, by=world.adviser)
    # Issuing again for the event skips those who have one.
    assert services.certificates_issue(event=held, by=world.adviser) == []


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_the_certificate_names_the_person_the_course_and_the_hours(world, held, tmp_path):
    mark(held, held.alis, [0, 1], world.adviser)
    certificate = services.certificate_issue(registration=held.alis, by=world.adviser)
    path = tmp_path / "c.pdf"
    path.write_bytes(certificate.file.open("rb").read())
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "Kursbevis" in text
    assert "Ola Lege" in text and "1234567" in text
    assert "Emnekurs i individuell veiledning og supervisjon for allmennleger" in text
    assert "12 timer" in text
    assert "03.02.2027" in text and "05.02.2027" not in text
    assert "Side 1 av 1" in text


def test_attendance_is_frozen_by_a_certificate_until_it_is_revoked(world, held):
    mark(held, held.alis, [0], world.adviser)
    certificate = services.certificate_issue(registration=held.alis, by=world.adviser)
    with pytest.raises(ValidationError, match="kursbevis"):
        mark(held, held.alis, [1], world.adviser)
    services.certificate_revoke(certificate=certificate, by=world.adviser)
    mark(held, held.alis, [1], world.adviser)
    second = services.certificate_issue(registration=held.alis, by=world.adviser)
    assert second.hours == Decimal(12)
    assert second.number.endswith("-2")
    assert Certificate.objects.current().get() == second


def test_a_registration_with_attendance_cannot_be_cancelled(world, held):
    mark(held, held.alis, [0], world.adviser)
    with pytest.raises(ValidationError):
        services.registration_cancel(registration=held.alis, by=world.adviser)


# Views


def test_the_owner_downloads_their_certificate_and_others_get_404(world, held, client_for):
    mark(held, held.alis, [0], world.adviser)
    certificate = services.certificate_issue(registration=held.alis, by=world.adviser)
    url = reverse("courses:certificate_download", args=[certificate.pk])
    response = client_for(world.alis_a).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client_for(world.adviser).get(url).status_code == 200
    for persona in ("alis_b", "manager_a", "supervisor_a", "outsider"):
        assert client_for(world.user(persona)).get(url).status_code == 404


def test_the_phone_page_toggles_attendance_with_htmx(world, held, client_for):
    client = client_for(world.adviser)
    session = held.sessions.first()
    page = client.get(reverse("courses:session_attendance", args=[session.pk]))
    assert page.status_code == 200
    assert "Ola Lege" in page.content.decode()
    url = reverse("courses:attendance_toggle", args=[held.alis.pk, session.pk])
    response = client.post(url, {"present": "1"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'aria-pressed="true"' in body
    assert 'id="present-count" hx-swap-oob="true"' in body
    assert held.alis.attendances.get().present
    response = client.post(url, {"present": "0"}, HTTP_HX_REQUEST="true")
    assert 'aria-pressed="false"' in response.content.decode()
    assert not held.alis.attendances.get().present


def test_the_printable_attendance_sheet_is_an_a4_pdf(world, held, client_for):
    response = client_for(world.adviser).get(reverse("courses:attendance_sheet", args=[held.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
