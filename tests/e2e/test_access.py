"""Access in a real browser: a manager stays inside their own municipality whatever they type
in the address bar, and an invited manager goes from the e-mail to their home page."""

import re

import pytest
from django.core import mail

from accounts.models import Role, RoleAssignment, User
from tests.e2e.conftest import a11y, give_totp, go, log_in, totp_code

pytestmark = pytest.mark.django_db(transaction=True)


def expect_404(page, path):
    response = page.goto(page.base + path)
    assert response.status == 404, f"{path}: {response.status}"


def test_a_manager_cannot_leave_their_municipality(page, world):
    secret = give_totp(world.manager_a)
    log_in(page, world.manager_a, totp_secret=secret)
    a11y(page)

    # Municipality B's pages, by editing the URL: as if they did not exist.
    b = world.muni_b.number
    for path in [
        f"/kommuner/{b}/",
        f"/kommuner/{b}/kartlegging/",
        f"/kommuner/{b}/kontakter/ny/",
        f"/kommuner/{b}/legekontor/ny/",
    ]:
        expect_404(page, path)
    alis_b_role = RoleAssignment.objects.get(user=world.alis_b)
    expect_404(page, f"/tilgang/roller/{alis_b_role.pk}/")
    page.console_errors.clear()  # the browser logs the 404s we asked for

    # The municipality list and its search know only A.
    go(page, "/kommuner/")
    rows = page.locator("#municipality-table tbody tr")
    assert rows.count() == 1
    assert "Sogndal" in rows.first.inner_text()
    a11y(page)
    search = page.get_by_label("Navn eller nummer")
    for query in ["Stavanger", world.muni_b.number, "Stav"]:
        search.fill(query)
        page.wait_for_url(re.compile(rf"q={re.escape(query)}"))
        page.get_by_text("Ingen kommuner passer med filteret.").wait_for()
        assert rows.count() == 1
    search.fill("Sogn")
    page.wait_for_url(re.compile(r"q=Sogn"))
    page.locator("#municipality-table").get_by_role("link", name="Sogndal").wait_for()

    # People and access: the roles of A only.
    page.get_by_role("link", name="Personer og tilgang").click()
    table = page.locator("#assignment-table")
    assert "Nora Lege" not in table.inner_text()  # ALIS in B
    assert "Ola Lege" in table.inner_text()
    a11y(page)
    table.get_by_role("link", name="Ola Lege", exact=True).click()
    page.get_by_role("heading", name="Historikk").wait_for()
    a11y(page)
    go(page, "/min-konto/")
    assert "Kommunal leder · Sogndal" in page.locator("#roles-h + div").inner_text()
    a11y(page)


def test_an_invited_manager_sets_a_password_and_two_factor_and_lands_home(page, world):
    log_in(page, world.adviser)
    page.get_by_role("link", name="Personer og tilgang").click()
    page.get_by_role("link", name="Inviter noen").click()
    a11y(page)
    page.get_by_label("E-postadresse").fill("lise.leder@sogndal.example")
    page.get_by_label("Fornavn").fill("Lise")
    page.get_by_label("Etternavn").fill("Leder")
    page.get_by_label("Rolle").select_option(label="Kommunal leder")
    page.get_by_label("Kommune").select_option(label="Sogndal")
    page.get_by_role("button", name="Send invitasjonen").click()
    page.wait_for_url("**/tilgang/invitasjoner/")
    assert page.get_by_role("cell", name="Lise Leder lise.leder@sogndal.example").is_visible()
    assert page.locator(".alert-success").inner_text() == (
        "Invitasjonen er sendt til lise.leder@sogndal.example."
    )
    a11y(page)

    # The adviser logs out; the manager opens the link in the e-mail.
    page.locator("#main-nav").get_by_role("button", name="Anja Rådgiver").click()
    page.get_by_role("button", name="Logg ut").click()
    message = mail.outbox[-1]
    assert message.to == ["lise.leder@sogndal.example"]
    link = re.search(r"https?://\S+(/invitasjon/[\w-]+/)", message.body).group(1)
    go(page, link)
    assert page.get_by_text("Anja Rådgiver har invitert deg").is_visible()
    a11y(page)
    page.get_by_label("Velg et passord").fill("fjordane-legevakt-tirsdag")
    page.get_by_label("Passordet en gang til").fill("fjordane-legevakt-tirsdag")
    page.get_by_role("button", name="Opprett kontoen min").click()

    # Before anything else: two-factor.
    page.wait_for_url("**/min-konto/tofaktor/")
    a11y(page)
    page.get_by_role("link", name="Sett opp autentiseringsappen").click()
    page.wait_for_url("**/2fa/totp/activate/")
    a11y(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Autentiseringskode").fill(totp_code(secret))
    page.get_by_role("button", name="Aktiver").click()
    page.wait_for_url("**/2fa/recovery-codes/")
    assert len(page.locator("#recovery_codes").input_value().split()) == 10
    a11y(page)
    page.get_by_role("link", name="Fortsett til portalen").click()

    page.wait_for_url(page.base + "/")
    assert page.locator(".home-roles").inner_text().strip() == "Kommunal leder · Sogndal"
    a11y(page)
    lise = User.objects.get(email="lise.leder@sogndal.example")
    assert RoleAssignment.objects.active().get(user=lise).role == Role.MANAGER

    # The link worked once.
    go(page, link)
    assert page.get_by_role("heading", name="Invitasjonen er allerede akseptert").is_visible()
    page.console_errors.clear()  # the 410 we asked for
