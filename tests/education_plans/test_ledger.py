import datetime
from decimal import Decimal

import pytest

from education_plans import services
from education_plans.models import ActivityKind, Catalogue, LearningActivity, Objective

pytestmark = pytest.mark.django_db


def record(world, **changes):
    values = {
        "alis": world.alis_a,
        "source_key": "supervision.session:1",
        "kind": ActivityKind.INDIVIDUAL_SUPERVISION,
        "date": datetime.date(2026, 3, 4),
        "hours": Decimal("1.5"),
        "title": "Veiledning",
        "confirmed_by": world.supervisor_a,
    }
    return services.activity_record_external(**{**values, **changes})


def test_recording_the_same_source_twice_keeps_one_activity(world):
    record(world)
    activity = record(world, hours=Decimal("2"))
    assert LearningActivity.objects.count() == 1
    assert activity.hours == Decimal("2")
    assert activity.confirmed_by == world.supervisor_a
    assert activity.confirmed_at is not None
    assert activity.is_external


def test_objectives_follow_the_source(world):
    catalogue = Catalogue.objects.create(kind="alm", version="2019", valid_from="2019-03-01")
    one = Objective.objects.create(catalogue=catalogue, code="ALM-1", title="Eksempel 1")
    two = Objective.objects.create(catalogue=catalogue, code="ALM-2", title="Eksempel 2")
    record(world, objectives=[one, two])
    activity = record(world, objectives=[two])
    assert list(activity.objectives.all()) == [two]


def test_removing_the_source_removes_the_activity(world):
    record(world)
    services.activity_remove_external(source_key="supervision.session:1")
    services.activity_remove_external(source_key="supervision.session:1")
    assert not LearningActivity.objects.exists()


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("alis_a", True),
        ("adviser", True),
        ("manager_a", True),
        ("manager_b", False),
        ("alis_b", False),
        ("supervisor_a", True),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_who_sees_an_alis_activities(world, persona, sees):
    from django.contrib.auth.models import AnonymousUser

    record(world)
    user = world.user(persona) or AnonymousUser()
    assert LearningActivity.objects.visible_to(user).exists() is sees


def record_period(world, **changes):
    values = {
        "alis": world.alis_a,
        "source_key": "supervision.membership:1",
        "title": "Veiledningsgruppe Sogn",
        "start_date": datetime.date(2025, 1, 1),
    }
    return services.group_period_record_external(**{**values, **changes})


def test_a_group_period_follows_its_source(world):
    from education_plans.models import GroupSupervisionPeriod

    record_period(world)
    period = record_period(world, end_date=datetime.date(2025, 12, 31), title="Gruppe Sogn")
    assert GroupSupervisionPeriod.objects.count() == 1
    assert (period.title, period.end_date) == ("Gruppe Sogn", datetime.date(2025, 12, 31))


def test_removing_a_group_period_source_removes_the_period(world):
    from education_plans.models import GroupSupervisionPeriod

    record_period(world)
    GroupSupervisionPeriod.objects.create(
        alis=world.alis_a, title="Entered by hand", start_date=datetime.date(2024, 1, 1)
    )
    services.group_period_remove_external(source_key="supervision.membership:1")
    services.group_period_remove_external(source_key="supervision.membership:1")
    assert list(GroupSupervisionPeriod.objects.values_list("title", flat=True)) == [
        "Entered by hand"
    ]
