"""The education plan's round trip: the ALIS logs an activity linked to an objective and asks
for attestation, the supervisor confirms the activity, the education leader (manager A)
attests the objective, and the ALIS's progress bars move. Another ALIS sees none of it."""

import datetime
import re

import pytest

from education_plans.models import Attestation, LearningActivity
from tests.e2e.conftest import a11y, go, log_in
from tests.education_plans.factories import (
    CatalogueFactory,
    ObjectiveFactory,
    ServicePeriodFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def log_out(page):
    page.context.clear_cookies()


def bar(page, key: str) -> float:
    """The value of a rule's <progress> bar on the progress page."""
    return float(page.locator(f'progress[aria-labelledby="rule-{key}"]').get_attribute("value"))


def test_activity_confirmation_and_attestation_move_the_progress(page, world):
    catalogue = CatalogueFactory(version="Eksempel 2019")
    objective = ObjectiveFactory(
        catalogue=catalogue, code="EKS-ALM-01", title="Eksempel: strukturert konsultasjon"
    )
    ObjectiveFactory(catalogue=catalogue, code="EKS-ALM-02", title="Eksempel: prioritering")
    ObjectiveFactory.create_batch(8, catalogue=catalogue)  # enough to offer the filter
    world.plan_a.alm_catalogue = catalogue
    world.plan_a.save()
    ServicePeriodFactory(plan=world.plan_a, start_date=datetime.date(2024, 1, 1))
    plan = world.plan_a.pk

    # The ALIS logs an individual supervision session linked to the objective.
    log_in(page, world.alis_a)
    page.get_by_role("link", name="Min utdanningsplan").first.click()
    page.wait_for_url(f"**/utdanningsplaner/{plan}/")
    a11y(page)
    go(page, f"/utdanningsplaner/{plan}/framdrift/")
    a11y(page)
    supervision_before = bar(page, "individual_supervision")
    assert bar(page, "objectives_alm") == 0

    go(page, f"/utdanningsplaner/{plan}/")
    page.get_by_role("link", name="Logg aktivitet").first.click()
    a11y(page)
    page.get_by_label("Type").select_option(label="Individuell veiledning")
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    page.get_by_label("Dato").fill(yesterday.isoformat())
    page.get_by_label("Timer").fill("4")
    page.get_by_label("Tittel").fill("Veiledning om konsultasjonsteknikk")
    page.get_by_label("Filtrer læringsmålene").fill("strukturert")
    assert page.get_by_label(re.compile("EKS-ALM-02")).is_hidden()
    page.get_by_label(re.compile("EKS-ALM-01")).check()
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(f"**/utdanningsplaner/{plan}/aktiviteter/")
    activity = LearningActivity.objects.get()
    assert list(activity.objectives.all()) == [objective]
    assert page.get_by_text("Ikke bekreftet").is_visible()

    # ... and asks the education leader to attest the objective.
    go(page, f"/utdanningsplaner/{plan}/maal/{objective.pk}/")
    a11y(page)
    page.get_by_label("Hvordan målet er nådd").fill("Veiledning og felleskonsultasjoner.")
    page.get_by_role("button", name="Be om godkjenning").click()
    assert page.get_by_text("Utdanningslederen er bedt om å godkjenne læringsmålet.").is_visible()
    log_out(page)

    # The supervisor confirms the activity from their queue, in place.
    log_in(page, world.supervisor_a)
    page.get_by_role("link", name="1 aktivitet å bekrefte").click()
    a11y(page)
    page.get_by_role("button", name=re.compile("^Bekreft")).click()
    page.get_by_role("button", name=re.compile("Trekk tilbake bekreftelsen")).wait_for()
    activity.refresh_from_db()
    assert activity.confirmed_by == world.supervisor_a
    log_out(page)

    # The education leader attests the objective from the home page.
    log_in(page, world.manager_a)
    page.get_by_role("link", name=re.compile("EKS-ALM-01")).click()
    a11y(page)
    page.get_by_label("Kommentar til ALIS").fill("Godt dokumentert.")
    page.get_by_role("button", name="Godkjenn læringsmålet").click()
    assert page.get_by_text("Læringsmålet er godkjent.").is_visible()
    assert Attestation.objects.get().status == Attestation.Status.ATTESTED
    log_out(page)

    # The ALIS's bars moved.
    log_in(page, world.alis_a)
    go(page, f"/utdanningsplaner/{plan}/framdrift/")
    assert bar(page, "individual_supervision") == pytest.approx(supervision_before + 4)
    assert bar(page, "objectives_alm") == 1
    assert page.get_by_text("1 av 10 læringsmål").is_visible()
    a11y(page)
    log_out(page)

    # Another ALIS sees none of it.
    log_in(page, world.alis_b)
    for path in [
        f"/utdanningsplaner/{plan}/",
        f"/utdanningsplaner/{plan}/framdrift/",
        f"/utdanningsplaner/aktiviteter/{activity.pk}/",
        f"/utdanningsplaner/{plan}/maal/{objective.pk}/",
    ]:
        assert page.goto(page.base + path).status == 404
    page.console_errors.clear()  # the browser logs the 404s we asked for
    go(page, "/utdanningsplaner/")
    assert world.alis_a.get_full_name() not in page.content()
