"""Each role's main journey, one test a role, the steps in order as a person does them.

Journeys that other files already walk from end to end are not repeated:
- adviser: log in with TOTP → municipality list → log a meeting with a next action → "my
  actions": tests/e2e/test_adviser.py; the dashboard and the annual report PDF are below, and
  skipped until the reports app has those URLs;
- municipal manager: register a position and an ALIS → draft, preview, sign an agreement:
  tests/e2e/test_agreements.py.
The ALIS, the supervisor and the outsider walk theirs here.
"""

import datetime
import re

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from courses.models import Registration
from education_plans import services as plan_services
from education_plans.models import ActivityKind, LearningActivity
from supervision import services as supervision_services
from supervision.models import SupervisionSession
from tests.courses.factories import event_with_sessions
from tests.e2e.conftest import a11y, give_totp, go, log_in
from tests.education_plans.factories import ServicePeriodFactory

pytestmark = pytest.mark.django_db(transaction=True)


def expect_404(page, path):
    response = page.goto(page.base + path)
    assert response.status == 404, f"{path}: {response.status}"


def url_exists(name: str, *args) -> bool:
    try:
        reverse(name, args=args)
    except NoReverseMatch:
        return False
    return True


def test_alis_logs_activity_and_supervision_sees_progress_and_registers_for_a_course(page, world):
    ServicePeriodFactory(plan=world.plan_a, start_date=datetime.date(2024, 1, 1))
    later = timezone.localdate() + datetime.timedelta(days=60)
    event = event_with_sessions(
        course__region=world.region, days=[(later.year, later.month, later.day)]
    )
    plan = world.plan_a.pk
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    log_in(page, world.alis_a)
    a11y(page)

    # A learning activity in the education plan
    page.get_by_role("link", name="Min utdanningsplan").first.click()
    page.wait_for_url(f"**/utdanningsplaner/{plan}/")
    page.get_by_role("link", name="Logg aktivitet").first.click()
    page.get_by_label("Type").select_option(label="E-læring")
    page.get_by_label("Dato").fill(yesterday.isoformat())
    page.get_by_label("Timer").fill("3")
    page.get_by_label("Tittel").fill("E-læring: antibiotikabruk i allmennpraksis")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(f"**/utdanningsplaner/{plan}/aktiviteter/")
    title = "E-læring: antibiotikabruk i allmennpraksis"
    assert page.get_by_role("link", name=title, exact=True).is_visible()
    activity = LearningActivity.objects.get(alis=world.alis_a)
    assert activity.kind == ActivityKind.E_LEARNING and activity.confirmed_by is None

    # A supervision session in the log
    go(page, "/")
    page.get_by_role("link", name="Veiledningslogg").click()
    page.get_by_role("link", name="Registrer veiledning").first.click()
    page.get_by_label("Dato").fill(yesterday.isoformat())
    page.get_by_label("Varighet (minutter)").fill("90")
    page.get_by_label("Tema").fill("Eksempel: pasienter med sammensatte lidelser")
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_url(f"**/veiledning/alis/{world.alis_a.pk}/")
    assert page.get_by_text("Venter på signatur").first.is_visible()
    session = SupervisionSession.objects.get(alis=world.alis_a)
    assert session.supervisor == world.supervisor_a and not session.is_signed

    # The progress of the plan
    go(page, f"/utdanningsplaner/{plan}/")
    page.get_by_role("link", name="Framdrift").first.click()
    page.wait_for_url(f"**/utdanningsplaner/{plan}/framdrift/")
    page.locator('progress[aria-labelledby="rule-individual_supervision"]').wait_for()
    a11y(page)

    # A course from the calendar
    page.get_by_role("link", name="Kurs", exact=True).click()
    page.get_by_role("link", name=event.name).click()
    page.get_by_role("button", name="Meld meg på").click()
    page.wait_for_url(f"**/kurs/{event.pk}/")
    assert page.get_by_text("Du er påmeldt.").is_visible()
    registration = Registration.objects.get(event=event)
    assert registration.user == world.alis_a and registration.status == "confirmed"
    go(page, "/kurs/mine/")
    assert page.get_by_role("link", name=event.name).first.is_visible()
    a11y(page)


def test_supervisor_signs_the_session_and_confirms_the_activity(page, world):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    session = supervision_services.session_record(
        alis=world.alis_a,
        supervisor=world.supervisor_a,
        by=world.alis_a,
        date=yesterday,
        minutes=60,
        topics="Eksempel: tidsbruk i konsultasjonen",
        private_notes="",
    )
    activity = plan_services.activity_create(
        plan=world.plan_a,
        by=world.alis_a,
        kind=ActivityKind.JOINT_CONSULTATION,
        date=yesterday,
        hours=2,
        title="Felles konsultasjon med veileder",
        status="done",
    )

    log_in(page, world.supervisor_a)
    a11y(page)
    page.get_by_role("link", name=re.compile("venter på din signatur")).click()
    page.wait_for_url("**/veiledning/signering/")
    assert page.get_by_text("Eksempel: tidsbruk i konsultasjonen").is_visible()
    page.get_by_role("button", name="Signer").click()
    page.get_by_text("Ingen økter venter på din signatur.").wait_for()
    session.refresh_from_db()
    assert session.is_signed

    go(page, "/")
    page.get_by_role("link", name="1 aktivitet å bekrefte").click()
    page.get_by_role("button", name=re.compile("^Bekreft")).click()
    page.get_by_role("button", name=re.compile("Trekk tilbake bekreftelsen")).wait_for()
    activity.refresh_from_db()
    assert activity.confirmed_by == world.supervisor_a
    page.mouse.move(0, 0)  # off the button that was swapped in under it
    a11y(page)


def test_an_outsider_sees_only_their_own_pages(page, world):
    session = supervision_services.session_record(
        alis=world.alis_a,
        supervisor=world.supervisor_a,
        by=world.alis_a,
        date=datetime.date(2026, 1, 15),
        minutes=60,
        topics="Eksempel",
        private_notes="Privat",
    )

    # Not logged in: every page asks for the login first.
    for path in ["/", "/kommuner/", f"/utdanningsplaner/{world.plan_a.pk}/"]:
        go(page, path)
        page.wait_for_url(re.compile(r"/konto/login/\?next="))

    log_in(page, world.outsider)
    assert page.get_by_role("heading", level=1).is_visible()
    a11y(page)
    for path in [
        f"/kommuner/{world.muni_a.number}/",
        f"/kommuner/{world.muni_a.number}/oppfolging/ny/",
        f"/avtaler/ansettelser/{world.employment_a.pk}/",
        f"/avtaler/stillinger/{world.position_a.pk}/",
        f"/utdanningsplaner/{world.plan_a.pk}/",
        f"/utdanningsplaner/{world.plan_a.pk}/framdrift/",
        f"/veiledning/alis/{world.alis_a.pk}/",
        f"/veiledning/okter/{session.pk}/",
    ]:
        expect_404(page, path)
    # Lists open, and are empty.
    go(page, "/kommuner/")
    assert "Sogndal" not in page.content()
    go(page, "/utdanningsplaner/")
    assert world.alis_a.get_full_name() not in page.content()
    page.console_errors.clear()  # the browser logs the 404s we asked for


@pytest.mark.skipif(
    not url_exists("reports:annual_report_pdf", "vest", 2025),
    reason="the annual report (issue 12) is not merged yet: reports:annual_report_pdf",
)
def test_adviser_opens_the_dashboard_and_downloads_the_annual_report_pdf(page, world):
    """The adviser journey's last steps (the first ones: tests/e2e/test_adviser.py)."""
    year = timezone.localdate().year - 1
    log_in(page, world.adviser, totp_secret=give_totp(world.adviser))
    if url_exists("reports:dashboard"):
        go(page, reverse("reports:dashboard"))
        a11y(page)
    go(page, reverse("reports:annual_report", args=[world.region.code, year]))
    a11y(page)
    pdf_form = page.locator(
        f"form[action='{reverse('reports:annual_report_pdf', args=[world.region.code, year])}']"
    )
    pdf_form.get_by_role("button").click()
    # The PDF is rendered by a task (in-process here), then linked from its row.
    link = page.locator("a[href*='/last-ned/']").first
    link.wait_for(timeout=60_000)
    response = page.request.get(page.base + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
