"""A municipal manager's agreement, from a new position to a signed, frozen PDF: the manager
(with TOTP) registers a position and a new ALIS, drafts the agreement from the template,
previews the PDF, sends it, marks it signed with the scanned copy; the adviser sees it; the
manager of another municipality does not."""

import datetime
import re
import subprocess

import pytest

from accounts.models import User
from alis_agreements.models import Agreement, AgreementStatus
from tests.e2e.conftest import a11y, give_totp, go, log_in

pytestmark = pytest.mark.django_db(transaction=True)

SCAN = b"%PDF-1.4\n% the signed paper copy, scanned\n"


def pdf_text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def test_a_manager_takes_an_agreement_from_draft_to_signed(
    page, world, tmp_path, agreement_defaults
):
    today = datetime.date.today()
    log_in(page, world.manager_a, totp_secret=give_totp(world.manager_a))

    # A new position in the manager's municipality
    page.get_by_role("link", name="Stillinger").first.click()
    a11y(page)
    page.get_by_role("link", name="Ny stilling").click()
    page.locator("[name=title]").fill("ALIS-stilling Sogndal legesenter")
    page.locator("[name=employment_form]").select_option("fixed_salary")
    page.locator("[name=position_type]").select_option("gp_with_list")
    page.locator("[name=list_size]").fill("850")
    page.locator("[name=status]").select_option("advertised")
    page.locator("[name=start_date]").fill((today - datetime.timedelta(days=30)).isoformat())
    a11y(page)
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(re.compile(r"/avtaler/stillinger/\d+/$"))
    a11y(page)

    # A new ALIS, who has no account yet
    page.get_by_role("link", name="Ansett en ALIS").click()
    page.locator("[name=first_name]").fill("Åsmund")
    page.locator("[name=last_name]").fill("Østebø")
    page.locator("[name=email]").fill("asmund.ostebo@example.no")
    page.locator("[name=hpr_number]").fill("8765432")
    page.locator("[name=start_date]").fill((today - datetime.timedelta(days=14)).isoformat())
    page.locator("[name=percentage]").fill("80")
    a11y(page)
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(re.compile(r"/avtaler/ansettelser/\d+/$"))
    alis = User.objects.get(email="asmund.ostebo@example.no")
    assert not alis.has_usable_password()

    # The draft, from the default template
    page.get_by_role("link", name="Lag utkast til avtale").click()
    page.locator("[name=contact_name]").fill("Kari Leder")
    page.locator("[name=contact_title]").fill("Kommuneoverlege")
    page.locator("[name=measures-0-measure_type]").select_option(label="Ekstra veiledning")
    page.locator("[name=measures-0-quantity]").fill("2")
    page.locator("[name=measures-0-amount]").fill("24000")
    a11y(page)
    page.get_by_role("button", name="Lagre utkast").click()
    page.wait_for_url(re.compile(r"/avtaler/\d+/$"))
    a11y(page)
    agreement = Agreement.objects.get(employment__alis=alis)
    assert agreement.status == AgreementStatus.DRAFT

    # The PDF preview, shown in the browser
    preview = page.get_by_role("link", name="Forhåndsvis PDF").get_attribute("href")
    response = page.request.get(page.base + preview)
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    text = pdf_text(response.body())
    for value in [
        "Sogndal kommune",
        "Kari Leder",
        "Åsmund Østebø",
        "8765432",
        "ALIS-stilling Sogndal legesenter",
        "80 %",
        "Ekstra veiledning",
        "2 timer per måned",
        "kr 24 000",
        "UTKAST",
        "Side 1 av",
    ]:
        assert value in text, value

    # Sent for signature, then signed with the scan
    page.get_by_role("button", name="Send til signering").click()
    page.get_by_role("link", name="Marker som signert").click()
    a11y(page)
    scan = tmp_path / "signert-avtale.pdf"
    scan.write_bytes(SCAN)
    page.locator("[name=scan]").set_input_files(str(scan))
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(re.compile(r"/avtaler/\d+/$"))
    assert page.get_by_text("Den lagrede PDF-en stemmer med sjekksummen.").is_visible()
    a11y(page)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    assert agreement.signed_on == today and agreement.scan
    frozen = page.request.get(page.base + f"/avtaler/{agreement.pk}/avtale.pdf")
    assert "UTKAST" not in pdf_text(frozen.body())

    # The adviser sees it in the region's list
    page.context.clear_cookies()
    log_in(page, world.adviser, totp_secret=give_totp(world.adviser))
    go(page, "/avtaler/")
    page.get_by_role("link", name="Åsmund Østebø").click()
    page.wait_for_url(f"**/avtaler/{agreement.pk}/")
    assert page.get_by_role("heading", name=re.compile("Åsmund Østebø")).is_visible()
    a11y(page)

    # The manager of another municipality does not
    page.context.clear_cookies()
    log_in(page, world.manager_b)
    response = page.goto(page.base + f"/avtaler/{agreement.pk}/")
    assert response.status == 404
    page.console_errors.clear()  # the browser logs the 404 we asked for
