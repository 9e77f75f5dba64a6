"""A course from start to finish: an adviser publishes an event with 2 places, three people
register and the third is waitlisted; one cancels and the third moves up and gets the e-mail;
attendance is taken on the phone page and the certificate PDF is downloaded."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from courses.models import CourseEvent, EventSession, Registration
from tests.courses.factories import CourseFactory
from tests.e2e.conftest import a11y, give_totp, go, log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def log_out(page):
    page.context.clear_cookies()


def register_self(page, user, event, button="Meld meg på"):
    log_in(page, user)
    page.get_by_role("link", name="Kurs", exact=True).click()
    page.get_by_role("link", name=event.name).click()
    a11y(page)
    page.get_by_role("button", name=button).click()
    page.wait_for_url(f"**/kurs/{event.pk}/")


def test_a_course_from_publishing_to_certificate(page, world):
    course = CourseFactory(region=world.region)
    secret = give_totp(world.adviser)
    day = timezone.localdate() + datetime.timedelta(days=30)

    # The adviser makes an event with two places and publishes it.
    log_in(page, world.adviser, totp_secret=secret)
    page.get_by_role("link", name="Kurs", exact=True).click()
    page.get_by_role("link", name="Kursoversikt").click()
    a11y(page)
    page.get_by_role("row", name=course.title).get_by_role("link", name="Nytt arrangement").click()
    page.get_by_label("Tittel").first.fill("Vår, Bergen")
    page.get_by_label("Sted").fill("Bergen legevakt")
    page.get_by_label("Fysiske plasser").fill("2")
    page.get_by_label("Pris (kroner)").fill("0")
    page.locator("[name='sessions-0-title']").fill("Dag 1")
    page.locator("[name='sessions-0-starts_at']").fill(f"{day.isoformat()}T09:00")
    page.locator("[name='sessions-0-ends_at']").fill(f"{day.isoformat()}T15:00")
    a11y(page)
    page.get_by_role("button", name="Lagre arrangementet").click()
    event = CourseEvent.objects.get()
    page.wait_for_url(f"**/kurs/{event.pk}/")
    page.get_by_role("button", name="Publiser").click()
    assert page.get_by_text("Arrangementet er publisert i kurskalenderen.").is_visible()
    a11y(page)
    # The adviser's session is kept for later: a second TOTP login within the same 30 seconds
    # would reuse a code, which allauth refuses.
    adviser_session = page.context.cookies()
    log_out(page)

    # Three people register; the third is put on the waiting list.
    for person in (world.alis_a, world.alis_b):
        register_self(page, person, event)
        assert page.get_by_text("Du er påmeldt.").is_visible()
        log_out(page)
    register_self(page, world.supervisor_a, event, button="Sett meg på ventelisten")
    assert page.get_by_text("Arrangementet er fullt: du er nummer 1 på ventelisten").is_visible()
    log_out(page)
    assert Registration.objects.get(user=world.supervisor_a).status == "waiting"

    # ALIS A cancels on their own page; the supervisor moves up and is e-mailed.
    mail.outbox.clear()
    log_in(page, world.alis_a)
    go(page, "/kurs/mine/")
    a11y(page)
    page.get_by_role("link", name="Detaljer").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Meld meg av").click()
    page.wait_for_url(f"**/kurs/{event.pk}/")
    assert page.get_by_text("Du er meldt av.").is_visible()
    log_out(page)
    assert Registration.objects.get(user=world.supervisor_a).status == "confirmed"
    promoted = [m for m in mail.outbox if m.to == [world.supervisor_a.email]]
    assert len(promoted) == 1 and "Du har fått plass" in promoted[0].subject

    # The day comes; the adviser takes attendance on the phone page.
    now = timezone.now()
    EventSession.objects.filter(event=event).update(
        starts_at=now - datetime.timedelta(hours=3), ends_at=now - datetime.timedelta(minutes=5)
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.add_cookies(adviser_session)
    go(page, f"/kurs/{event.pk}/deltakere/")
    page.get_by_role("link", name="Dag 1").click()
    a11y(page)
    for person in (world.alis_b, world.supervisor_a):
        button = page.get_by_role("button", name=str(person))
        button.click()
        page.wait_for_selector(
            f"#att-{Registration.objects.get(user=person).pk} [aria-pressed=true]"
        )
    assert page.get_by_text("2 av 2 til stede").is_visible()
    a11y(page)

    # Certificates for those who attended.
    page.set_viewport_size({"width": 1280, "height": 900})
    go(page, f"/kurs/{event.pk}/deltakere/")
    # The PDFs are rendered while the page waits (the task runs in-process here).
    page.get_by_role("button", name="Utsted 2 kursbevis").click(timeout=60_000)
    page.wait_for_url(f"**/kurs/{event.pk}/deltakere/", timeout=60_000)
    assert page.get_by_text("Kursbevis lages for alle som deltok").is_visible()
    log_out(page)

    # The supervisor downloads theirs.
    log_in(page, world.supervisor_a)
    go(page, "/kurs/mine/")
    a11y(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="KB-").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename.startswith("kursbevis-kb-")
