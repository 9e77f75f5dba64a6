"""The supervision log in the browser: an ALIS logs a session, the supervisor signs it (sign
and next), the month in the strip turns green; the manager sees the hours but never the
private notes."""

import datetime
import re

import pytest

from supervision.models import SupervisionSession
from tests.e2e.conftest import a11y, go, log_in
from tests.education_plans.factories import ServicePeriodFactory

pytestmark = pytest.mark.django_db(transaction=True)
NOTE = "Privat: vurderer å bytte spesialitet"


def this_month(page):
    return page.locator(".supervision-strip .strip-month").last


def test_a_session_from_log_to_signature_to_the_managers_view(page, world):
    ServicePeriodFactory(plan=world.plan_a, start_date=datetime.date(2024, 1, 1))
    today = datetime.date.today()
    log_page = f"/veiledning/alis/{world.alis_a.pk}/"

    log_in(page, world.alis_a)
    page.get_by_role("link", name="Veiledningslogg").click()
    page.wait_for_url(f"**{log_page}")
    assert "strip-none" in this_month(page).get_attribute("class")
    a11y(page)

    page.get_by_role("link", name="Registrer veiledning").first.click()
    a11y(page)
    page.get_by_label("Dato").fill(today.isoformat())
    page.get_by_label("Varighet (minutter)").fill("240")
    page.get_by_label("Tema").fill("Eksempel: akuttmedisin på legevakt")
    page.get_by_label("Private notater").fill(NOTE)
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_url(f"**{log_page}")
    assert page.get_by_text("Venter på signatur").first.is_visible()
    assert "strip-none" in this_month(page).get_attribute("class")  # not signed yet

    page.context.clear_cookies()
    log_in(page, world.supervisor_a)
    page.get_by_role("link", name=re.compile("venter på din signatur")).click()
    page.wait_for_url("**/veiledning/signering/")
    assert page.get_by_text(NOTE).is_visible()  # the supervisor of the session reads them
    a11y(page)
    page.get_by_role("button", name="Signer").click()
    page.wait_for_url("**/veiledning/signering/")
    assert page.get_by_text("Ingen økter venter på din signatur.").is_visible()
    assert SupervisionSession.objects.get().is_signed

    go(page, log_page)
    month = this_month(page)
    assert "strip-met" in month.get_attribute("class")
    assert "Oppfylt" in month.inner_text()

    page.context.clear_cookies()
    log_in(page, world.manager_a)
    go(page, log_page)
    assert "strip-met" in this_month(page).get_attribute("class")
    assert "4" in this_month(page).inner_text()
    assert NOTE not in page.content()
    a11y(page)
    page.get_by_role("link", name=today.strftime("%d.%m.%Y")).first.click()
    page.wait_for_url("**/veiledning/okter/*/")
    assert page.get_by_text("240 minutter").is_visible()
    assert NOTE not in page.content()
    a11y(page)
