"""The position board: a manager posts an ALIS position; a visitor without a login finds it on
the public board; after its deadline it is gone."""

import datetime

import pytest

from tests.e2e.conftest import a11y, give_totp, go, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_posted_position_is_on_the_public_board_until_its_deadline(page, world, time_machine):
    today = datetime.date.today()
    deadline = today + datetime.timedelta(days=7)
    world.position_a.title = "ALIS-stilling Sogndal legesenter"
    world.position_a.save(update_fields=["title"])
    log_in(page, world.manager_a, totp_secret=give_totp(world.manager_a))

    page.get_by_role("link", name="Utlysninger").first.click()
    page.get_by_role("link", name="Ny utlysning").click()
    a11y(page)
    page.locator("[name=position]").select_option(str(world.position_a.pk))
    page.locator("[name=place]").fill("Sogndal legesenter")
    page.locator("[name=period_start]").fill(
        (today + datetime.timedelta(days=60)).strftime("%d.%m.%Y")
    )
    page.locator("[name=contact_name]").fill("Kari Leder")
    page.locator("[name=contact_email]").fill("stilling@sogndal.example")
    page.locator("[name=deadline]").fill(deadline.strftime("%d.%m.%Y"))
    page.get_by_role("button", name="Publiser").click()
    page.wait_for_url("**/utlysninger/")
    assert page.get_by_text("På tavla").is_visible()

    # A visitor without a login
    page.context.clear_cookies()
    go(page, "/ledige-stillinger/")
    a11y(page)
    posting = page.locator("li.card", has_text="ALIS-stilling Sogndal legesenter")
    assert posting.is_visible()
    assert "stilling@sogndal.example" in posting.inner_text()
    assert world.manager_a.email not in page.content()

    # The day after the deadline it is gone, without anyone removing it
    time_machine.move_to(
        datetime.datetime.combine(deadline + datetime.timedelta(days=1), datetime.time(12)),
        tick=True,
    )
    go(page, "/ledige-stillinger/")
    assert page.get_by_text("ALIS-stilling Sogndal legesenter").count() == 0
    assert page.get_by_text("Ingen åpne utlysninger passer.").is_visible()
