"""What the plan list and the home pages add to `progress_for`: objectives over the catalogues
and why a plan is behind (education_plans.progress.PlanProgress.behind)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from education_plans import rules
from education_plans.models import Catalogue
from education_plans.progress import BEHIND_MONTHS_SHORT, plan_progress
from tests.education_plans.factories import (
    AttestationFactory,
    LearningActivityFactory,
    ObjectiveFactory,
    ServicePeriodFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
ON = D(2026, 6, 30)


def test_objectives_are_summed_over_the_catalogues(world):
    alm = ObjectiveFactory.create_batch(2)
    fkm = ObjectiveFactory.create_batch(
        3, catalogue__kind=Catalogue.Kind.FKM, catalogue__version="Eksempel FKM"
    )
    world.plan_a.alm_catalogue = alm[0].catalogue
    world.plan_a.fkm_catalogue = fkm[0].catalogue
    world.plan_a.save()
    AttestationFactory(plan=world.plan_a, objective=alm[0], decided_at=timezone.now())
    AttestationFactory(plan=world.plan_a, objective=fkm[1], decided_at=timezone.now())
    progress = plan_progress(world.plan_a)
    assert (progress.objectives_done, progress.objectives_total) == (2, 5)


def monthly_supervision(world, months: list[D], hours=Decimal(4)):
    for month in months:
        LearningActivityFactory(
            alis=world.alis_a, date=month, hours=hours, confirmed_at=timezone.now()
        )


def test_a_plan_on_track_is_not_behind(world):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2025, 7, 1))
    months = [rules.add_months(D(2025, 7, 10), i) for i in range(12)]
    monthly_supervision(world, months, hours=Decimal(5))
    assert plan_progress(world.plan_a, on=ON).behind == []


def test_months_short_and_supervision_below_due_make_a_plan_behind(world):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2025, 7, 1))
    months = [rules.add_months(D(2025, 7, 10), i) for i in range(12 - BEHIND_MONTHS_SHORT)]
    monthly_supervision(world, months)
    progress = plan_progress(world.plan_a, on=ON)
    assert progress.months_short == BEHIND_MONTHS_SHORT
    assert len(progress.behind) == 2


def test_no_service_in_a_year_is_behind(world):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2022, 1, 1), end_date=D(2024, 12, 31))
    with translation.override("en"):
        reasons = [str(r) for r in plan_progress(world.plan_a, on=ON).behind]
    assert "no service in the last 12 months" in reasons


def test_the_interpretation_notes_are_in_words():
    with translation.override("en"):
        notes = [str(n) for n in rules.interpretation_notes()]
    assert any("10.5 months a year" in n for n in notes)
    assert any("not credited" in n for n in notes)
