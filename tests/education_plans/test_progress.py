"""Progress of a plan from its records: known data give known figures (the rules themselves
are tested in test_rules.py)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from education_plans.models import ActivityKind, Attestation, Catalogue
from education_plans.progress import credited_months_for, plan_progress, progress_for
from education_plans.rules import MonthStatus, ServiceType
from tests.alis_agreements.factories import LeaveFactory
from tests.education_plans.factories import (
    AttestationFactory,
    EducationPlanFactory,
    GroupSupervisionPeriodFactory,
    LearningActivityFactory,
    ObjectiveFactory,
    ServicePeriodFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
ON = D(2026, 6, 30)


def confirmed(world, **kwargs):
    return LearningActivityFactory(
        alis=world.alis_a,
        confirmed_by=world.supervisor_a,
        confirmed_at=timezone.now(),
        **kwargs,
    )


def test_service_months_by_type_with_leave(world):
    plan = world.plan_a
    ServicePeriodFactory(plan=plan, start_date=D(2024, 1, 1), end_date=D(2025, 12, 31))
    ServicePeriodFactory(
        plan=plan,
        service_type=ServiceType.INSTITUTION,
        start_date=D(2026, 1, 1),
        end_date=D(2026, 6, 30),
        percentage=50,
    )
    LeaveFactory(employment=world.employment_a, start_date=D(2025, 1, 1), end_date=D(2025, 3, 31))
    progress = plan_progress(plan, on=ON)
    assert progress.months_by_type == {
        ServiceType.OPEN_UNSELECTED: Decimal(21),
        ServiceType.INSTITUTION: Decimal(3),
    }
    assert progress.credited_months == 24
    assert not progress.rule("institution_min").met
    assert progress.rule("open_unselected_min").missing == 3


def test_future_periods_do_not_count_yet(world):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2026, 1, 1), end_date=D(2027, 12, 31))
    assert plan_progress(world.plan_a, on=ON).credited_months == 6


def test_supervision_counts_only_signed_hours_and_shows_the_strip(world):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2026, 1, 1))
    confirmed(world, date=D(2026, 5, 3), hours=Decimal(4))
    confirmed(world, date=D(2026, 6, 2), hours=Decimal(2))
    LearningActivityFactory(alis=world.alis_a, date=D(2026, 6, 20), hours=Decimal("1.5"))
    progress = plan_progress(world.plan_a, on=ON)
    strip = {m.month: m.status for m in progress.supervision_strip}
    assert len(progress.supervision_strip) == 12
    assert strip[D(2026, 5, 1)] == MonthStatus.MET
    assert strip[D(2026, 6, 1)] == MonthStatus.SHORT
    assert strip[D(2026, 4, 1)] == MonthStatus.NONE
    assert strip[D(2025, 12, 1)] == MonthStatus.NOT_REQUIRED  # before the first period
    assert progress.supervision.done == 6
    assert progress.supervision.target == 6 * 4 * Decimal("10.5") / 12
    assert progress.supervision_pending_hours == Decimal("1.5")


def test_group_supervision_in_open_practice(world):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2024, 1, 1), end_date=D(2024, 12, 31))
    ServicePeriodFactory(
        plan=world.plan_a,
        service_type=ServiceType.OTHER_GP,
        arena="nursing_home",
        start_date=D(2025, 1, 1),
    )
    GroupSupervisionPeriodFactory(alis=world.alis_a, start_date=D(2024, 7, 1))
    confirmed(world, kind=ActivityKind.GROUP_SUPERVISION, date=D(2025, 2, 1), hours=3)
    progress = plan_progress(world.plan_a, on=ON)
    assert progress.rule("group_total").done == 24
    assert progress.rule("group_in_open_practice").done == 6
    assert progress.group_hours == 3


def test_objectives_attested_per_catalogue(world):
    alm = ObjectiveFactory.create_batch(3)
    fkm_catalogue = ObjectiveFactory(
        catalogue__kind=Catalogue.Kind.FKM, catalogue__version="Eksempel FKM"
    ).catalogue
    world.plan_a.alm_catalogue = alm[0].catalogue
    world.plan_a.fkm_catalogue = fkm_catalogue
    world.plan_a.save()
    AttestationFactory(plan=world.plan_a, objective=alm[0], decided_at=timezone.now())
    AttestationFactory(plan=world.plan_a, objective=alm[1], status=Attestation.Status.REQUESTED)
    progress = plan_progress(world.plan_a)
    assert [(r.key, r.done, r.target) for r in progress.objectives] == [
        ("objectives_alm", 1, 3),
        ("objectives_fkm", 0, 1),
    ]


def test_estimated_completion_at_the_pace_of_the_last_year(world):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2025, 7, 1), percentage=50)
    progress = plan_progress(world.plan_a, on=ON)
    # 6 months credited, 6 in the last year: 54 more months at half time = 108 months.
    assert progress.credited_months == 6
    assert progress.estimated_completion == D(2035, 6, 30)


def test_credited_months_per_alis(world):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2026, 1, 1))
    assert credited_months_for([world.alis_a.pk, world.alis_b.pk], on=ON) == {
        world.alis_a.pk: 6,
        world.alis_b.pk: 0,
    }


def test_queries_do_not_grow_with_the_number_of_plans(world):
    def queries(plans):
        with CaptureQueriesContext(connection) as ctx:
            progress_for(plans, on=ON)
        return len(ctx.captured_queries)

    def plan_with_records():
        plan = EducationPlanFactory(alm_catalogue=ObjectiveFactory().catalogue)
        ServicePeriodFactory(plan=plan, start_date=D(2025, 1, 1))
        LearningActivityFactory(alis=plan.alis, confirmed_at=timezone.now())
        GroupSupervisionPeriodFactory(alis=plan.alis)
        return plan

    few = [plan_with_records() for _ in range(2)]
    many = few + [plan_with_records() for _ in range(18)]
    assert queries(few) == queries(many)
