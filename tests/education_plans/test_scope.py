"""Who sees an ALIS's education records (DESIGN.md, "Who uses it"), over time."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from education_plans.models import EducationPlan, SupervisionRelationship

pytestmark = pytest.mark.django_db


def sees_plan_a(user) -> bool:
    return (
        EducationPlan.objects.visible_to(user or AnonymousUser())
        .filter(pk__isnull=False)
        .filter(alis__email="alis@kommune-a.example")
        .exists()
    )


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("alis_a", True),
        ("alis_b", False),
        ("adviser", True),
        ("manager_a", True),
        ("manager_b", False),
        ("supervisor_a", True),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_who_sees_the_plan(world, persona, sees):
    assert sees_plan_a(world.user(persona)) is sees


def test_a_former_supervisor_no_longer_sees_the_plan(world):
    SupervisionRelationship.objects.filter(supervisor=world.supervisor_a).update(
        end_date=datetime.date.today() - datetime.timedelta(days=1)
    )
    assert not sees_plan_a(world.supervisor_a)


def test_the_education_leader_sees_the_plan_even_from_elsewhere(world):
    world.plan_a.education_leader = world.manager_b
    world.plan_a.save()
    assert sees_plan_a(world.manager_b)


def test_the_manager_of_a_former_employer_no_longer_sees_the_alis(world):
    from accounts.models import RoleAssignment

    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    world.employment_a.end_date = yesterday
    world.employment_a.save()
    RoleAssignment.objects.filter(user=world.alis_a).update(valid_to=yesterday)
    world.plan_a.municipality = world.muni_b
    world.plan_a.education_leader = None
    world.plan_a.save()
    assert not sees_plan_a(world.manager_a)
    assert sees_plan_a(world.manager_b)
    assert sees_plan_a(world.adviser)  # the region's office keeps the whole history
