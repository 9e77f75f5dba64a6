"""Supervision (no signed session for a while, a month below the hours) to the ALIS and the
supervisor; what waits for the supervisor's confirmation or the education leader's
attestation, to the one who must act — day by day (time-machine)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from education_plans import services as plans
from education_plans.models import ActivityKind, Attestation, SupervisionRelationship
from reminders.kinds import KINDS
from reminders.models import Notification
from supervision import services as supervision
from tests.accounts.factories import UserFactory
from tests.alis_agreements.factories import LeaveFactory
from tests.education_plans.factories import (
    AttestationFactory,
    LearningActivityFactory,
    ServicePeriodFactory,
)
from tests.reminders.test_kinds import of_kind, setting
from tests.supervision.factories import SessionFactory

D = datetime.date


def supervised(world, date, hours=Decimal(1)):
    """Supervision in the ledger as a signed session leaves it: a confirmed activity."""
    return LearningActivityFactory(
        alis=world.alis_a,
        kind=ActivityKind.INDIVIDUAL_SUPERVISION,
        date=date,
        hours=hours,
        confirmed_by=world.supervisor_a,
        confirmed_at=timezone.now(),
    )


# No signed supervision session for the period (default six weeks)


def test_six_weeks_after_the_last_session_the_alis_and_supervisor_are_reminded(world, run):
    supervised(world, D(2026, 3, 1))
    assert of_kind(run(D(2026, 4, 11)), "supervision_no_session") == set()
    key = f"accounts.user:{world.alis_a.pk}"
    assert of_kind(run(D(2026, 4, 12)), "supervision_no_session") == {
        ("supervision_no_session", key, pk, D(2026, 4, 12), D(2026, 4, 12))
        for pk in (world.alis_a.pk, world.supervisor_a.pk)
    }
    # Again a fortnight later while nothing is signed.
    assert {r[4] for r in of_kind(run(D(2026, 4, 26)), "supervision_no_session")} == {
        D(2026, 4, 26)
    }


def test_a_session_signed_in_the_log_stops_the_reminders(world, run, travel):
    supervised(world, D(2026, 3, 1))
    run(D(2026, 4, 12))
    travel(D(2026, 4, 13))
    supervision.session_record(
        alis=world.alis_a,
        supervisor=world.supervisor_a,
        by=world.supervisor_a,
        date=D(2026, 4, 13),
        minutes=60,
        topics="Vaktbelastning",
        sign=True,
    )
    assert of_kind(run(D(2026, 4, 14)), "supervision_no_session") == set()
    assert all(n.withdrawn_at for n in Notification.objects.filter(kind="supervision_no_session"))


def test_an_alis_on_full_leave_is_not_reminded(world, run):
    supervised(world, D(2026, 3, 1))
    LeaveFactory(employment=world.employment_a, start_date=D(2026, 4, 1), end_date=D(2026, 12, 31))
    assert of_kind(run(D(2026, 4, 12)), "supervision_no_session") == set()
    LeaveFactory(
        employment=world.employment_a,
        start_date=D(2027, 1, 1),
        end_date=D(2027, 6, 30),
        percentage=50,
    )
    # Back at work (or half of it): reminded again.
    assert of_kind(run(D(2027, 1, 4)), "supervision_no_session")


def test_an_unsigned_session_does_not_count(world, run):
    supervised(world, D(2026, 3, 1))
    SessionFactory(alis=world.alis_a, supervisor=world.supervisor_a, date=D(2026, 4, 1))
    assert of_kind(run(D(2026, 4, 12)), "supervision_no_session")


def test_an_alis_without_a_supervisor_or_any_session_counts_from_the_later_start(world, run):
    kind = setting("supervision_no_session")
    kind.counted_from = D(2026, 1, 1)
    kind.save()
    rows = of_kind(run(D(2026, 2, 12)), "supervision_no_session")
    # alis_a's supervisor since 2024, no session: 42 days after the setting's start.
    assert {(r[2], r[3]) for r in rows} == {
        (world.alis_a.pk, D(2026, 2, 12)),
        (world.supervisor_a.pk, D(2026, 2, 12)),
    }  # alis_b has no supervisor: nobody to have a session with


def test_a_former_or_clinical_supervisor_is_not_told(world, run):
    supervised(world, D(2026, 3, 1))
    former = UserFactory()
    SupervisionRelationship.objects.create(
        alis=world.alis_a, supervisor=former, start_date=D(2023, 1, 1), end_date=D(2023, 12, 31)
    )
    clinical = UserFactory()
    SupervisionRelationship.objects.create(
        alis=world.alis_a,
        supervisor=clinical,
        start_date=D(2025, 1, 1),
        kind=SupervisionRelationship.Kind.CLINICAL,
    )
    rows = of_kind(run(D(2026, 4, 12)), "supervision_no_session")
    assert {r[2] for r in rows} == {world.alis_a.pk, world.supervisor_a.pk}


# A month below the required hours


@pytest.fixture
def working(world):
    world.alis_a.language = "en"
    world.alis_a.save(update_fields=["language"])
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2024, 1, 1), percentage=100)


def test_a_short_month_is_reminded_on_the_first_of_the_next(world, working, run):
    supervised(world, D(2026, 9, 10), Decimal(2))
    key = f"accounts.user:{world.alis_a.pk}:2026-09"
    # On 30 September the month is not over (August, without sessions, is what is short).
    assert {r[1] for r in of_kind(run(D(2026, 9, 30)), "supervision_month_short")} == {
        f"accounts.user:{world.alis_a.pk}:2026-08"
    }
    assert of_kind(run(D(2026, 10, 1)), "supervision_month_short") == {
        ("supervision_month_short", key, pk, D(2026, 10, 1), D(2026, 10, 1))
        for pk in (world.alis_a.pk, world.supervisor_a.pk)
    }


def test_the_title_gives_the_month_and_hours_in_the_recipients_language(world, working):
    supervised(world, D(2026, 9, 10), Decimal(2))
    due = list(
        KINDS["supervision_month_short"].find(D(2026, 10, 1), setting("supervision_month_short"))
    )
    titles = {d.recipient_id: d.title for d in due}
    assert titles[world.alis_a.pk] == "Ola Lege: September 2026, 2.0 of 4.0 hours"
    assert due[0].url == f"/veiledning/alis/{world.alis_a.pk}/"


def test_a_month_with_the_hours_or_without_service_is_not_short(world, working, run):
    supervised(world, D(2026, 9, 10), Decimal(4))
    assert of_kind(run(D(2026, 10, 1)), "supervision_month_short") == set()  # alis_b: no service


def test_a_session_signed_later_for_the_month_withdraws_the_reminder(world, working, run):
    supervised(world, D(2026, 9, 10), Decimal(2))
    run(D(2026, 10, 1))
    supervised(world, D(2026, 9, 28), Decimal(2))
    run(D(2026, 10, 2))
    assert all(n.withdrawn_at for n in Notification.objects.filter(kind="supervision_month_short"))


def test_a_month_without_any_session_is_short_too(world, working, run):
    rows = of_kind(run(D(2026, 10, 1)), "supervision_month_short")
    assert {r[1] for r in rows} == {f"accounts.user:{world.alis_a.pk}:2026-09"}


# Waiting for the supervisor's confirmation (sessions to sign, activities to confirm)


@pytest.fixture
def activity(world, travel):
    travel(D(2026, 5, 4))
    return LearningActivityFactory(
        alis=world.alis_a, kind=ActivityKind.OTHER, date=D(2026, 5, 2), title="Hospitering KAD"
    )


def test_an_activity_waiting_a_week_is_reminded_to_the_supervisor_weekly(world, activity, run):
    key = f"education_plans.learningactivity:{activity.pk}"
    assert of_kind(run(D(2026, 5, 10)), "activity_unconfirmed") == set()
    assert of_kind(run(D(2026, 5, 11)), "activity_unconfirmed") == {
        ("activity_unconfirmed", key, world.supervisor_a.pk, D(2026, 5, 11), D(2026, 5, 11))
    }
    assert {r[4] for r in of_kind(run(D(2026, 5, 18)), "activity_unconfirmed")} == {D(2026, 5, 18)}


def test_the_activity_reminder_names_the_alis_and_links_to_the_activity(world, activity):
    due = list(KINDS["activity_unconfirmed"].find(D(2026, 5, 11), setting("activity_unconfirmed")))
    assert [(d.title, d.url) for d in due] == [
        ("Ola Lege: Hospitering KAD", f"/utdanningsplaner/aktiviteter/{activity.pk}/")
    ]


def test_confirming_withdraws_the_reminder(world, activity, run, travel):
    run(D(2026, 5, 11))
    travel(D(2026, 5, 12))
    plans.activity_confirm(activity=activity, by=world.supervisor_a)
    assert of_kind(run(D(2026, 5, 12)), "activity_unconfirmed") == set()
    assert Notification.objects.get(kind="activity_unconfirmed").withdrawn_at is not None


def test_planned_and_external_activities_wait_for_nobody(world, activity, run):
    activity.status = "planned"
    activity.save(update_fields=["status"])
    LearningActivityFactory(alis=world.alis_a, date=D(2026, 5, 2), source_key="courses.x:1")
    LearningActivityFactory(alis=world.alis_b, kind=ActivityKind.OTHER, date=D(2026, 5, 2))
    assert of_kind(run(D(2026, 5, 11)), "activity_unconfirmed") == set()  # alis_b: no supervisor


def test_a_session_to_sign_is_reminded_and_signing_withdraws_it(world, run, travel):
    travel(D(2026, 5, 4))
    session = SessionFactory(alis=world.alis_a, supervisor=world.supervisor_a, date=D(2026, 5, 4))
    assert of_kind(run(D(2026, 5, 11)), "activity_unconfirmed") == {
        (
            "activity_unconfirmed",
            f"supervision.supervisionsession:{session.pk}",
            world.supervisor_a.pk,
            D(2026, 5, 11),
            D(2026, 5, 11),
        )
    }
    due = list(KINDS["activity_unconfirmed"].find(D(2026, 5, 11), setting("activity_unconfirmed")))
    assert [(d.title, d.url) for d in due] == [
        ("Ola Lege: veiledningsøkt 04.05.2026", f"/veiledning/okter/{session.pk}/")
    ]
    supervision.session_sign(session=session, by=world.supervisor_a)
    assert of_kind(run(D(2026, 5, 12)), "activity_unconfirmed") == set()
    assert Notification.objects.get(kind="activity_unconfirmed").withdrawn_at is not None


# Objectives waiting for attestation (godkjenning), to the education leader


@pytest.fixture
def request_(world, travel):
    travel(D(2026, 6, 1))
    return AttestationFactory(
        plan=world.plan_a,
        status=Attestation.Status.REQUESTED,
        requested_at=timezone.now(),
        objective__code="ALM-07",
        objective__title="Håndtere akutt syke barn",
    )


def test_a_request_waiting_a_week_is_reminded_to_the_education_leader(world, request_, run):
    assert of_kind(run(D(2026, 6, 7)), "objective_attestation") == set()
    rows = of_kind(run(D(2026, 6, 8)), "objective_attestation")
    assert {(r[2], r[3]) for r in rows} == {(world.manager_a.pk, D(2026, 6, 8))}
    due = list(KINDS["objective_attestation"].find(D(2026, 6, 8), setting("objective_attestation")))
    assert due[0].title == "Ola Lege: ALM-07 Håndtere akutt syke barn"
    assert due[0].url == f"/utdanningsplaner/{world.plan_a.pk}/maal/{request_.objective_id}/"


def test_attesting_withdraws_the_reminder(world, request_, run, travel):
    run(D(2026, 6, 8))
    travel(D(2026, 6, 9))
    plans.attestation_attest(attestation=request_, by=world.manager_a)
    assert of_kind(run(D(2026, 6, 9)), "objective_attestation") == set()
    assert Notification.objects.get(kind="objective_attestation").withdrawn_at is not None


def test_a_plan_without_an_education_leader_reminds_nobody(world, request_, run):
    world.plan_a.education_leader = None
    world.plan_a.save(update_fields=["education_leader"])
    assert of_kind(run(D(2026, 6, 8)), "objective_attestation") == set()
