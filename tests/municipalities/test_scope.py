"""Who sees which follow-up records: the log is the office's internal working log."""

import datetime

from accounts.models import Role
from municipalities.models import FollowUpEntry, Municipality, NextAction, YearlyMapping
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.municipalities.factories import (
    FollowUpEntryFactory,
    MunicipalityFactory,
    NextActionFactory,
    RegionFactory,
    YearlyMappingFactory,
)


def test_only_advisers_of_the_region_see_follow_up_entries_and_actions(world):
    action = NextActionFactory(entry=FollowUpEntryFactory(municipality=world.muni_a))

    assert list(FollowUpEntry.objects.visible_to(world.adviser)) == [action.entry]
    assert list(NextAction.objects.visible_to(world.adviser)) == [action]
    for persona in ["manager_a", "manager_b", "alis_a", "supervisor_a", "outsider", "anonymous"]:
        user = world.user(persona)
        assert not FollowUpEntry.objects.visible_to(user).exists(), persona
        assert not NextAction.objects.visible_to(user).exists(), persona


def test_an_adviser_of_another_region_sees_nothing_of_this_one(world):
    NextActionFactory(entry=FollowUpEntryFactory(municipality=world.muni_a))
    other_region = RegionFactory(code="nord", name="ALIS Nord")
    elsewhere = RoleAssignmentFactory(
        role=Role.ADVISER, region=other_region, valid_from=datetime.date(2024, 1, 1)
    ).user

    assert not FollowUpEntry.objects.visible_to(elsewhere).exists()
    assert not NextAction.objects.visible_to(elsewhere).exists()
    assert not Municipality.objects.advised_by(elsewhere).exists()


def test_an_adviser_whose_role_ended_sees_no_follow_up(world):
    FollowUpEntryFactory(municipality=world.muni_a)
    former = RoleAssignmentFactory(
        role=Role.ADVISER,
        region=world.region,
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2021, 1, 1),
    ).user

    assert not FollowUpEntry.objects.visible_to(former).exists()


def test_write_scopes(world):
    assert list(Municipality.objects.advised_by(world.adviser)) == [world.muni_a, world.muni_b]
    assert not Municipality.objects.advised_by(world.manager_a).exists()
    assert list(Municipality.objects.editable_by(world.manager_a)) == [world.muni_a]
    assert list(Municipality.objects.editable_by(world.adviser)) == [world.muni_a, world.muni_b]
    assert not Municipality.objects.editable_by(world.alis_a).exists()
    assert not Municipality.objects.editable_by(world.outsider).exists()


def test_managers_read_their_municipalitys_mappings_only(world):
    mapping = YearlyMappingFactory(municipality=world.muni_a)
    YearlyMappingFactory(municipality=world.muni_b)

    assert list(YearlyMapping.objects.visible_to(world.manager_a)) == [mapping]
    assert YearlyMapping.objects.visible_to(world.adviser).count() == 2
    assert not YearlyMapping.objects.visible_to(world.outsider).exists()


def test_region_advisers_are_the_people_with_an_active_adviser_role(world):
    RoleAssignmentFactory(
        role=Role.ADVISER,
        region=world.region,
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2021, 1, 1),
    )
    UserFactory()

    assert list(world.region.advisers()) == [world.adviser]


def test_open_actions_of_an_owner_come_overdue_first_then_by_due_date(world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC))
    entry = FollowUpEntryFactory(municipality=world.muni_a)
    later = NextActionFactory(entry=entry, owner=world.adviser, due_date=datetime.date(2027, 1, 5))
    overdue = NextActionFactory(
        entry=entry, owner=world.adviser, due_date=datetime.date(2026, 10, 1)
    )
    soon = NextActionFactory(entry=entry, owner=world.adviser, due_date=datetime.date(2026, 11, 30))
    NextActionFactory(
        entry=entry,
        owner=world.adviser,
        due_date=datetime.date(2026, 9, 1),
        done_at=datetime.datetime(2026, 9, 2, tzinfo=datetime.UTC),
    )
    NextActionFactory(entry=entry, due_date=datetime.date(2026, 1, 1))  # someone else's

    mine = NextAction.objects.open_for(world.adviser)

    assert list(mine) == [overdue, soon, later]
    assert [a.is_overdue() for a in mine] == [True, False, False]


def test_open_for_leaves_out_actions_outside_the_persons_scope(world):
    other = MunicipalityFactory(region=RegionFactory(code="sor", name="ALIS Sør"))
    NextActionFactory(entry=FollowUpEntryFactory(municipality=other), owner=world.adviser)

    assert not NextAction.objects.open_for(world.adviser).exists()
