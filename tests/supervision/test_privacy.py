"""Private notes of a session are for the ALIS and the supervisor of that session only
(DESIGN.md): never the office, the municipality, the education leader, a later supervisor or
the portal's administrators. They see dates and hours. Every page, the history and the
export are checked for every persona."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from education_plans.models import LearningActivity, SupervisionRelationship
from supervision import services
from tests.accounts.factories import UserFactory, ensure_totp
from tests.conftest import PERSONAS
from tests.supervision.factories import signed_session

pytestmark = pytest.mark.django_db
NOTE = "HEMMELIG-NOTAT: ALIS vurderer å slutte"
READERS = {"alis_a", "supervisor_a"}


@pytest.fixture
def session(world):
    return signed_session(world, private_notes=NOTE)


def pages(world, session):
    return [
        reverse("supervision:session_detail", args=[session.pk]),
        reverse("supervision:alis_supervision", args=[world.alis_a.pk]),
        reverse("supervision:my_supervisees"),
        reverse("supervision:sign_queue"),
        reverse("home"),
    ]


@pytest.mark.parametrize("persona", [*PERSONAS, "group_leader"])
def test_notes_on_every_page_only_for_the_alis_and_the_supervisor(
    world, session, client_for, persona
):
    client = client_for(world.user(persona) if persona != "group_leader" else world.group_leader)
    seen = []
    for url in pages(world, session):
        response = client.get(url)
        if response.status_code == 200:
            seen.append(url)
            assert (NOTE in response.content.decode()) is (
                persona in READERS and url == pages(world, session)[0]
            ), f"{persona} {url}"
    if persona in {"adviser", "manager_a", "alis_a", "supervisor_a"}:
        # They do see the session itself: date and hours.
        detail = client.get(pages(world, session)[0]).content.decode()
        assert "15.01.2026" in detail
        assert seen


@pytest.mark.parametrize("persona", [*PERSONAS, "group_leader"])
def test_the_export_has_notes_only_for_the_alis_and_the_supervisor(
    world, session, client_for, persona
):
    user = world.group_leader if persona == "group_leader" else world.user(persona)
    response = client_for(user).get(reverse("supervision:session_export", args=[world.alis_a.pk]))
    if persona not in {"adviser", "manager_a", "alis_a", "supervisor_a"}:
        assert response.status_code in (302, 404)
        return
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row]
    assert (NOTE in cells) is (persona in READERS)
    assert "60" in cells  # the minutes are there for everyone who sees the log


def test_the_history_never_shows_the_notes(world, client_for):
    session = services.session_record(
        alis=world.alis_a,
        supervisor=world.supervisor_a,
        by=world.alis_a,
        date=datetime.date(2026, 1, 15),
        minutes=60,
        topics="Tema",
        private_notes="FØRSTE-UTKAST",
    )
    services.session_update(
        session=session,
        by=world.alis_a,
        date=session.date,
        minutes=60,
        topics="Tema",
        private_notes="ANDRE-UTKAST",
    )
    url = reverse("supervision:session_detail", args=[session.pk])
    for persona in ("adviser", "manager_a"):
        html = client_for(world.user(persona)).get(url).content.decode()
        assert "UTKAST" not in html
    response = client_for(world.alis_a).get(url)
    history = response.context["history"]
    changed = [f for change in history for f in change.changes]
    assert changed and all("UTKAST" not in f.old + f.new for f in changed)
    html = response.content.decode()
    assert "ANDRE-UTKAST" in html  # the note itself, for the ALIS
    assert "FØRSTE-UTKAST" not in html  # but not the old text in the history


def test_a_later_supervisor_sees_dates_and_hours_but_not_the_notes(world, session, client_for):
    later = UserFactory()
    SupervisionRelationship.objects.filter(alis=world.alis_a).update(
        end_date=datetime.date.today() - datetime.timedelta(days=1)
    )
    SupervisionRelationship.objects.create(
        alis=world.alis_a, supervisor=later, start_date=datetime.date.today()
    )
    client = client_for(later)
    detail = client.get(reverse("supervision:session_detail", args=[session.pk]))
    assert detail.status_code == 200
    assert NOTE not in detail.content.decode()
    log = client.get(reverse("supervision:alis_supervision", args=[world.alis_a.pk]))
    assert "15.01.2026" in log.content.decode() and NOTE not in log.content.decode()

    # The former supervisor keeps their own session, notes included, but not the plan.
    former = client_for(world.supervisor_a)
    assert (
        NOTE
        in former.get(reverse("supervision:session_detail", args=[session.pk])).content.decode()
    )
    assert (
        former.get(reverse("supervision:alis_supervision", args=[world.alis_a.pk])).status_code
        == 404
    )


def test_an_education_leader_elsewhere_does_not_read_the_notes(world, session, client_for):
    world.plan_a.education_leader = world.manager_b
    world.plan_a.save()
    response = client_for(world.manager_b).get(
        reverse("supervision:session_detail", args=[session.pk])
    )
    assert response.status_code == 200
    assert NOTE not in response.content.decode()


def test_the_ledger_and_the_admin_hold_no_notes(world, session, client):
    activity = LearningActivity.objects.get(source_key=session.ledger_key)
    assert NOTE not in f"{activity.title} {activity.note}"
    admin = UserFactory(is_staff=True, is_superuser=True)
    ensure_totp(admin)  # staff admin must use two-factor authentication
    client.force_login(admin)
    for url in (
        reverse("admin:supervision_supervisionsession_change", args=[session.pk]),
        reverse("admin:supervision_supervisionsession_changelist"),
        reverse("admin:supervision_supervisionsession_history", args=[session.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert NOTE not in response.content.decode(), url
