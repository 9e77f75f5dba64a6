"""The new kinds read in bulk: finding what is due takes as many queries for one ALIS as for
several, each with an agreement ending, a draft, a supervisor, a short month, a session to
sign, an activity to confirm, an objective waiting and a place on a course's waiting list."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import Registration
from education_plans.models import ActivityKind, Attestation, SupervisionRelationship
from reminders import services
from tests.accounts.factories import UserFactory
from tests.alis_agreements.factories import AgreementFactory, EmploymentFactory, PositionFactory
from tests.courses.factories import CourseFactory, RegistrationFactory, event_with_sessions, oslo
from tests.education_plans.factories import (
    AttestationFactory,
    EducationPlanFactory,
    LearningActivityFactory,
    ServicePeriodFactory,
)
from tests.reminders.test_kinds_agreements import signed
from tests.supervision.factories import SessionFactory

D = datetime.date
ON = D(2026, 10, 1)
NEW_KINDS = {
    "agreement_ending",
    "agreement_unsigned",
    "supervision_no_session",
    "supervision_month_short",
    "activity_unconfirmed",
    "objective_attestation",
    "course_cancellation_deadline",
    "course_registration_deadline",
}


def add_alis(world, event, count):
    for _ in range(count):
        alis = UserFactory()
        employment = EmploymentFactory(
            alis=alis, position=PositionFactory(municipality=world.muni_a), start_date=D(2024, 1, 1)
        )
        signed(employment, end_date=D(2026, 10, 31))
        AgreementFactory(employment=employment, version=2, end_date=D(2030, 1, 1))
        SupervisionRelationship.objects.create(
            alis=alis, supervisor=world.supervisor_a, start_date=D(2024, 1, 1)
        )
        plan = EducationPlanFactory(
            alis=alis, municipality=world.muni_a, education_leader=world.manager_a
        )
        ServicePeriodFactory(plan=plan, start_date=D(2024, 1, 1))
        LearningActivityFactory(
            alis=alis,
            kind=ActivityKind.INDIVIDUAL_SUPERVISION,
            date=D(2026, 7, 1),
            hours=Decimal(1),
            confirmed_by=world.supervisor_a,
            confirmed_at=timezone.now(),
        )
        LearningActivityFactory(alis=alis, kind=ActivityKind.OTHER, date=D(2026, 8, 1))
        SessionFactory(alis=alis, supervisor=world.supervisor_a, date=D(2026, 8, 2))
        AttestationFactory(
            plan=plan, status=Attestation.Status.REQUESTED, requested_at=timezone.now()
        )
        RegistrationFactory(
            event=event, user=alis, status=Registration.Status.WAITING, waitlist_rank=1
        )


def queries(on):
    with CaptureQueriesContext(connection) as context:
        reminders = services.reminders_due(on=on)
    return len(context.captured_queries), reminders


@pytest.mark.postgres
def test_the_new_kinds_take_the_same_queries_for_one_alis_and_five(world, travel):
    travel(D(2026, 8, 3))
    services.kind_settings()
    event = event_with_sessions(
        course=CourseFactory(region=world.region),
        days=((2026, 10, 12),),
        registration_deadline=oslo(2026, 10, 5, 12),
        cancellation_deadline=oslo(2026, 10, 8, 12),
    )
    add_alis(world, event, 1)
    travel(ON)
    small, reminders = queries(ON)
    assert {r.due.kind for r in reminders} >= NEW_KINDS
    travel(D(2026, 8, 3))
    add_alis(world, event, 4)
    travel(ON)
    large, reminders = queries(ON)
    per_kind = {kind: sum(r.due.kind == kind for r in reminders) for kind in NEW_KINDS}
    assert per_kind["activity_unconfirmed"] >= 10  # five activities and five sessions
    assert large == small, f"{small} queries for one ALIS, {large} for five"
