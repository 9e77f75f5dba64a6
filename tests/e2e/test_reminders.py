"""The adviser's notifications and annual wheel in the browser: the menu badge, marking read,
choosing a weekly digest, adding a task to the wheel and marking it done."""

import re

import pytest
from django.utils import timezone

from reminders import services
from reminders.models import DigestPreference, WheelCompletion, WheelTask
from tests.e2e.conftest import a11y, give_totp, go, log_in
from tests.municipalities.factories import FollowUpEntryFactory, NextActionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_adviser_reads_notifications_and_keeps_the_annual_wheel(page, world):
    today = timezone.localdate()
    entry = FollowUpEntryFactory(municipality=world.muni_a, created_by=world.adviser)
    NextActionFactory(entry=entry, owner=world.adviser, due_date=today, description="Ring")
    services.reminders_run(on=today, queue=False)

    log_in(page, world.adviser, totp_secret=give_totp(world.adviser))
    menu = page.get_by_role("navigation", name="Hovedmeny")
    # The action and Stavanger, never met (counted from today): 2 unread, told to screen
    # readers in words.
    menu.get_by_role("link", name="Varsler (2 uleste)").click()
    a11y(page)
    item = page.locator("li.notification", has_text="Sogndal: Ring")
    item.get_by_role("button", name="Merk som lest").click()
    page.locator("li.notification.is-unread", has_text="Sogndal: Ring").wait_for(state="detached")

    page.get_by_role("link", name="Mine varslingsinnstillinger").click()
    a11y(page)
    page.get_by_role("radio", name="Ukentlig").check()
    page.get_by_label("Ukedag for den ukentlige e-posten").select_option(label="fredag")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url("**/varsler/")
    assert DigestPreference.objects.get(user=world.adviser).weekday == 4

    menu.get_by_role("link", name="Årshjul").click()
    a11y(page)
    page.get_by_role("link", name="Ny oppgave").click()
    a11y(page)
    page.get_by_role("textbox", name="Tittel").fill("Søknadsfrist tilskudd")
    page.get_by_role("combobox", name="Måned").select_option(label="august")
    page.get_by_role("spinbutton", name="Dag").fill("31")
    page.get_by_label("Anja Rådgiver").check()
    page.get_by_role("textbox", name="Påminnelse antall dager før").fill("30, 7, 0")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(re.compile(r"/varsler/arshjul/\?year=\d{4}#task-\d+$"))
    task = WheelTask.objects.get()
    august = page.get_by_role("region", name="August")
    assert august.get_by_role("link", name="Søknadsfrist tilskudd").is_visible()
    a11y(page)

    august.get_by_role("button", name=re.compile("Merk utført")).click()
    august.get_by_role("button", name=re.compile("Gjenåpne")).wait_for()
    assert WheelCompletion.objects.get().task == task


@pytest.mark.parametrize("persona", ["outsider", "manager_a"])
def test_others_do_not_reach_the_annual_wheel(page, world, persona):
    log_in(page, world.user(persona))
    go(page, "/varsler/")
    assert page.get_by_role("heading", name="Varsler").is_visible()
    a11y(page)
    assert page.goto(page.base + "/varsler/arshjul/").status == 404
    page.wait_for_load_state("networkidle")
    page.console_errors.clear()  # the browser logs the 404 we asked for
