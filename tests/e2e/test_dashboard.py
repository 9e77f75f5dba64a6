"""The adviser's overview: from the menu to the risk table, filtered in place by htmx, then the
map coloured by another figure; the manager sees only their municipality."""

import pytest

from municipalities.models import RegistrationStatus
from tests.e2e.conftest import a11y, give_totp, log_in
from tests.municipalities.factories import RegistrationStatusChangeFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def registered(world):
    for m in (world.muni_a, world.muni_b):
        RegistrationStatusChangeFactory(municipality=m, status=RegistrationStatus.REGISTERED)


def test_adviser_filters_the_overview_and_recolours_the_map(page, world, registered):
    log_in(page, world.adviser, totp_secret=give_totp(world.adviser))
    page.get_by_role("link", name="Oversikt", exact=True).first.click()
    page.wait_for_url("**/rapporter/oversikt/")
    table = page.locator("#risk-table")
    assert table.get_by_role("link", name="Stavanger").is_visible()
    assert table.get_by_role("link", name="Sogndal").is_visible()
    a11y(page)

    page.get_by_role("combobox", name="Status").select_option("at_risk")
    page.wait_for_url("**status=at_risk**")
    page.locator("#risk-table").get_by_text("1 kommune av 2").wait_for()
    assert page.locator("#risk-table").get_by_role("link", name="Sogndal").count() == 0
    assert "1 ALIS uten veileder" in page.locator("#risk-table").inner_text()

    page.get_by_role("link", name="Kart", exact=True).first.click()
    page.wait_for_url("**/rapporter/kart/")
    a11y(page)
    page.get_by_label("Fargelegg etter").select_option("registration")
    page.wait_for_url("**figure=registration**")
    page.locator("#region-map caption", has_text="Registreringsstatus").wait_for()
    assert page.locator("#region-map svg.region-map path").count() == 66
    a11y(page)


def test_manager_sees_only_their_municipality(page, world, registered):
    log_in(page, world.manager_a, totp_secret=give_totp(world.manager_a))
    page.get_by_role("link", name="Oversikt", exact=True).first.click()
    table = page.locator("#risk-table")
    assert table.get_by_role("link", name="Sogndal").is_visible()
    assert table.get_by_role("link", name="Stavanger").count() == 0
    a11y(page)
