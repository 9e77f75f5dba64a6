"""axe-core on the main pages of every role, in bokmål and in English, and the keyboard alone.

The pages are found as the query budgets find them (tests/test_query_budgets.py): every GET URL
without a parameter (menus, lists, new-record forms) and the detail page of every record of the
access matrix, built by its entry. Each persona checks the HTML pages that open for them
(status 200, asked first with the test client, which is quick); files and exports are left out,
and a page another role has already checked is not checked again (the same template), except
each role's home page and account. A person logs in by the session cookie of a `force_login`:
the TOTP step has its own journey, and a TOTP code cannot be used twice within its 30 seconds.
"""

import datetime
import re

import pytest
from django.test import Client
from django.urls import resolve

from supervision.models import SupervisionSession
from tests.accounts.factories import ensure_totp
from tests.e2e.conftest import PASSWORD, a11y, go
from tests.test_query_budgets import object_urls, plain_urls

pytestmark = pytest.mark.django_db(transaction=True)

PERSONAS = ["adviser", "manager_a", "alis_a", "supervisor_a", "group_leader", "outsider"]
# Pages that are steps of a flow rather than pages of their own, or that only redirect.
# Pages whose content is the role's own: every role checks them.
PER_ROLE = {"/", "/min-konto/"}
SKIP = re.compile(r"/(import/bekreft|tofaktor/ferdig)/$")


def html_pages(user, urls) -> list[str]:
    client = Client()
    client.force_login(user)
    pages = []
    for url in urls:
        if SKIP.search(url) or not _is_main(url):
            continue
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(url)
    return pages


def _is_main(path: str) -> bool:
    match = resolve(path)
    return not match.kwargs or match.url_name.endswith("_detail")


def enter_as(page, user, language: str):
    ensure_totp(user)
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base},
            {"name": "django_language", "value": language, "url": page.base},
        ]
    )


def test_the_main_pages_of_every_role_pass_axe_in_nb_and_en(page, world, agreement_defaults):
    from tests.supervision.factories import group_with_alis_a

    group_with_alis_a(world)
    objects, _ = object_urls(world)
    urls = plain_urls() + objects
    failures, checked = [], set()
    for persona in PERSONAS:
        user = world.user(persona)
        ensure_totp(user)
        pages = html_pages(user, urls)
        assert "/" in pages and "/min-konto/" in pages, (persona, pages)
        # A page another role has checked is the same template: each role checks its home
        # page and the pages no role before it opened.
        mine = [path for path in pages if path not in checked or path in PER_ROLE]
        checked.update(mine)
        for language in ("nb", "en"):
            enter_as(page, user, language)
            for path in mine:
                go(page, path)
                assert page.locator("html").get_attribute("lang") == language, path
                try:
                    a11y(page)
                except AssertionError as exc:
                    failures.append(f"{persona} [{language}] {exc}")
    assert not failures, "\n".join(failures)


def test_the_login_page_passes_axe_in_nb_and_en(page, world):
    for language in ("nb", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base}])
        go(page, "/konto/login/")
        assert page.locator("html").get_attribute("lang") == language
        a11y(page)


def tab_to(page, name: str, *, attribute: str = "name"):
    """Press Tab until the element whose `attribute` is `name` has the focus, and check that
    the focus shows (the portal's outline, or Bootstrap's focus ring)."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.{attribute}") == name:
            style = page.evaluate(
                "(() => { const s = getComputedStyle(document.activeElement);"
                " return [s.outlineStyle, s.boxShadow]; })()"
            )
            assert style != ["none", "none"], f"no visible focus on {name}"
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_keyboard_only_login_and_a_form_with_its_errors(page, world):
    # The login, tabbing from the top of the page.
    go(page, "/konto/login/")
    tab_to(page, "login")
    page.keyboard.type(world.alis_a.email)
    tab_to(page, "password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(page.base + "/")

    # The supervision log's form: a date the calendar does not have is refused, the error is
    # tied to its field, and the corrected form is sent from the keyboard.
    go(page, f"/veiledning/alis/{world.alis_a.pk}/okter/ny/")
    tab_to(page, "date")
    page.keyboard.type("31.02.2026")
    tab_to(page, "minutes")
    page.keyboard.type("60")
    tab_to(page, "topics")
    page.keyboard.type("Eksempel: samtaler om levevaner")
    tab_to(page, "Lagre", attribute="innerText.trim()")
    page.keyboard.press("Enter")
    date = page.locator("#id_date[aria-invalid=true]")
    date.wait_for()
    described_by = date.get_attribute("aria-describedby").split()
    assert page.locator("#id_date_error").is_visible() and "id_date_error" in described_by
    a11y(page)

    tab_to(page, "date")
    page.keyboard.press("Control+A")
    page.keyboard.type(datetime.date.today().strftime("%d.%m.%Y"))
    tab_to(page, "Lagre", attribute="innerText.trim()")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/veiledning/alis/{world.alis_a.pk}/")
    assert SupervisionSession.objects.get().topics == "Eksempel: samtaler om levevaner"
