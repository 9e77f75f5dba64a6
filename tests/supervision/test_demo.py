"""The demo tells the supervision story: a register with gaps, a log with short months, a
session waiting for signature and a group in Sogn."""

import io

import pytest
from django.core.management import call_command

from education_plans.models import EducationPlan, GroupSupervisionPeriod
from education_plans.progress import plan_progress
from education_plans.rules import MonthStatus
from supervision.models import SupervisionGroup, SupervisionSession, Supervisor

pytestmark = pytest.mark.django_db


def test_the_demo_supervision_story():
    call_command("import_municipalities", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    register = Supervisor.objects.all()
    assert register.filter(course_completed_on__isnull=True).count() >= 2
    assert register.filter(in_pool=True).count() == 1
    assert register.values("municipality").distinct().count() >= 5

    plan = EducationPlan.objects.get(alis__email="alis@laerdal.example")
    statuses = [m.status for m in plan_progress(plan).supervision_strip]
    assert statuses.count(MonthStatus.MET) >= 6
    assert MonthStatus.SHORT in statuses and MonthStatus.NONE in statuses
    sessions = SupervisionSession.objects.filter(alis=plan.alis)
    assert sessions.pending().exists()
    assert sessions.filter(version=2, is_current=True).exists()

    group = SupervisionGroup.objects.get(name="Veiledningsgruppe Sogn")
    assert group.leader.email == "gruppeleder@sogndal.example"
    assert group.memberships.count() == 2 and group.meetings.count() >= 10
    assert GroupSupervisionPeriod.objects.filter(source_key__startswith="supervision.").count() == 2
