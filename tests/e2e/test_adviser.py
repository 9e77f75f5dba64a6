"""The adviser's day: log in with TOTP, find a municipality, log a meeting with a next action,
find it in "my actions"."""

import datetime
import re

import pytest

from municipalities.models import FollowUpEntry, NextAction
from tests.e2e.conftest import a11y, give_totp, go, log_in, totp_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_adviser_logs_a_meeting_and_finds_the_action(page, world):
    secret = give_totp(world.adviser)
    log_in(page, world.adviser, totp_secret=secret)
    a11y(page)

    page.get_by_role("link", name="Kommuner").first.click()
    a11y(page)
    page.get_by_role("link", name="Sogndal").click()
    page.wait_for_url("**/kommuner/4640/")
    a11y(page)

    page.get_by_role("link", name="Logg oppfølging").click()
    a11y(page)
    # A date input takes ISO dates; the browser shows them in the user's locale.
    page.get_by_label("Dato").fill(datetime.date.today().isoformat())
    page.get_by_label("Referat").fill("Møte med kommuneoverlegen om ny ALIS-stilling.")
    page.locator("[name$='-0-description']").fill("Send utkast til ALIS-avtale")
    due = datetime.date.today() + datetime.timedelta(days=7)
    page.locator("[name$='-0-due_date']").fill(due.isoformat())
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(re.compile(r"/kommuner/4640/(#.*)?$"))

    assert FollowUpEntry.objects.filter(municipality=world.muni_a).count() == 1
    assert NextAction.objects.get().owner == world.adviser

    go(page, "/kommuner/mine-oppgaver/")
    assert page.get_by_text("Send utkast til ALIS-avtale", exact=True).is_visible()
    a11y(page)


def test_keyboard_only_login(page, world):
    secret = give_totp(world.manager_a)
    go(page, "/konto/login/")
    page.keyboard.press("Tab")
    for _ in range(30):
        if page.evaluate("document.activeElement.name") == "login":
            break
        page.keyboard.press("Tab")
    page.keyboard.type(world.manager_a.email)
    page.keyboard.press("Tab")
    page.keyboard.type("correct-horse-battery-staple")
    page.keyboard.press("Enter")
    # Managers then give the code from their authenticator app.
    page.wait_for_url("**/2fa/**")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "code":
            break
    page.keyboard.type(totp_code(secret))
    page.keyboard.press("Enter")
    page.wait_for_url(page.base + "/")


@pytest.mark.parametrize("persona", ["outsider", "manager_b"])
def test_outsiders_do_not_reach_the_follow_up(page, world, persona):
    log_in(page, world.user(persona))
    response = page.goto(page.base + "/kommuner/4640/oppfolging/ny/")
    assert response.status == 404
    page.console_errors.clear()  # the browser logs the 404 we asked for
