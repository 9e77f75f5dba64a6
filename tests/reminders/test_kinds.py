"""Each kind's due logic, day by day (time-machine): who is reminded of what, and when."""

import datetime

import pytest

from accounts.models import Role
from municipalities.services import next_action_complete, next_action_reopen
from reminders import services
from reminders.kinds import KINDS, WHEEL_GRACE_DAYS, stage
from reminders.models import Notification, Weekday, WeekOfMonth, WheelTask
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.municipalities.factories import (
    FollowUpEntryFactory,
    MunicipalityFactory,
    NextActionFactory,
    RegionFactory,
)
from tests.reminders.factories import WheelTaskFactory

D = datetime.date


def of_kind(rows, kind):
    return {row for row in rows if row[0] == kind}


def setting(code):
    return services.kind_settings()[code]


# The stage rule shared by every kind


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2026, 7, 31), None),  # more than 30 days ahead: nothing yet
        (D(2026, 8, 1), D(2026, 8, 1)),  # 30 days before
        (D(2026, 8, 2), D(2026, 8, 1)),  # a missed day still reaches the 30-day stage
        (D(2026, 8, 23), D(2026, 8, 1)),
        (D(2026, 8, 24), D(2026, 8, 24)),  # 7 days before
        (D(2026, 8, 31), D(2026, 8, 31)),  # the day itself
        (D(2026, 9, 6), D(2026, 8, 31)),  # no repeat: the last stage stays
    ],
)
def test_stage_is_the_latest_reminder_day_reached(on, expected):
    assert stage(D(2026, 8, 31), on, [30, 7, 0]) == expected


def test_stage_repeats_after_the_due_date_every_n_days():
    due = D(2026, 9, 10)
    assert stage(due, D(2026, 9, 16), [7, 0], repeat_days=7) == D(2026, 9, 10)
    assert stage(due, D(2026, 9, 17), [7, 0], repeat_days=7) == D(2026, 9, 17)
    assert stage(due, D(2026, 9, 30), [7, 0], repeat_days=7) == D(2026, 9, 24)
    assert stage(due, D(2026, 10, 1), [7, 0], repeat_days=7) == D(2026, 10, 1)


def test_stage_without_zero_offset_has_nothing_on_the_day():
    assert stage(D(2026, 4, 1), D(2026, 4, 1), [30, 7]) == D(2026, 3, 25)


# Follow-up next actions, to their owner


@pytest.fixture
def action(world):
    entry = FollowUpEntryFactory(municipality=world.muni_a, created_by=world.adviser)
    return NextActionFactory(
        entry=entry, owner=world.adviser, due_date=D(2026, 9, 10), description="Send avtalemal"
    )


def test_next_action_is_reminded_a_week_before_on_the_day_and_weekly_while_open(world, action, run):
    key = f"municipalities.nextaction:{action.pk}"
    assert of_kind(run(D(2026, 9, 2)), "next_action_due") == set()
    expected = {("next_action_due", key, world.adviser.pk, D(2026, 9, 10), D(2026, 9, 3))}
    assert of_kind(run(D(2026, 9, 3)), "next_action_due") == expected
    assert of_kind(run(D(2026, 9, 4)), "next_action_due") == set()
    assert of_kind(run(D(2026, 9, 10)), "next_action_due") == {
        ("next_action_due", key, world.adviser.pk, D(2026, 9, 10), D(2026, 9, 10))
    }
    assert of_kind(run(D(2026, 9, 16)), "next_action_due") == set()
    assert of_kind(run(D(2026, 9, 17)), "next_action_due") == {
        ("next_action_due", key, world.adviser.pk, D(2026, 9, 10), D(2026, 9, 17))
    }
    assert Notification.objects.filter(kind="next_action_due").count() == 3


def test_next_action_reminder_names_the_municipality_and_links_to_the_action(world, action):
    due = list(KINDS["next_action_due"].find(D(2026, 9, 10), setting("next_action_due")))
    assert [(d.recipient_id, d.title) for d in due] == [
        (world.adviser.pk, "Sogndal: Send avtalemal")
    ]
    assert due[0].url == f"/kommuner/4640/#action-{action.pk}"


def test_done_action_is_not_reminded_and_its_pending_reminder_is_withdrawn(world, action, run):
    run(D(2026, 9, 3))
    next_action_complete(action=action, by=world.adviser)
    assert of_kind(run(D(2026, 9, 10)), "next_action_due") == set()
    reminder = Notification.objects.get(kind="next_action_due")
    assert reminder.withdrawn_at is not None and reminder.emailed_at is None


def test_reopened_action_is_reminded_again(world, action, run):
    run(D(2026, 9, 3))
    next_action_complete(action=action, by=world.adviser)
    run(D(2026, 9, 4))
    next_action_reopen(action=action, by=world.adviser)
    run(D(2026, 9, 5))
    assert Notification.objects.pending().filter(kind="next_action_due").count() == 1


def test_a_new_due_date_is_a_new_reminder(world, action, run):
    run(D(2026, 9, 10))
    action.due_date = D(2026, 9, 30)
    action.save(update_fields=["due_date"])
    assert of_kind(run(D(2026, 9, 23)), "next_action_due") == {
        (
            "next_action_due",
            f"municipalities.nextaction:{action.pk}",
            world.adviser.pk,
            D(2026, 9, 30),
            D(2026, 9, 23),
        )
    }


def test_an_inactive_owner_gets_nothing(world, action, run):
    world.adviser.is_active = False
    world.adviser.save(update_fields=["is_active"])
    assert of_kind(run(D(2026, 9, 10)), "next_action_due") == set()


def test_actions_of_other_owners_go_to_them(world, action, run):
    colleague = UserFactory()
    NextActionFactory(entry=action.entry, owner=colleague, due_date=D(2026, 9, 10))
    rows = of_kind(run(D(2026, 9, 10)), "next_action_due")
    assert {row[2] for row in rows} == {world.adviser.pk, colleague.pk}


# Municipalities with no follow-up meeting in the period, to the region's advisers


@pytest.fixture
def no_meeting(world, travel):
    travel(D(2026, 1, 1))
    kind = setting("municipality_no_meeting")
    kind.period_days, kind.repeat_days, kind.offsets = 180, 30, [0]
    kind.counted_from = D(2026, 1, 1)
    kind.save()
    return kind


def test_a_municipality_is_due_a_period_after_its_last_meeting(world, no_meeting, run):
    FollowUpEntryFactory(municipality=world.muni_a, date=D(2026, 2, 1), kind="meeting")
    FollowUpEntryFactory(municipality=world.muni_a, date=D(2026, 5, 1), kind="phone")
    key = "municipalities.municipality:4640"
    assert not {r for r in of_kind(run(D(2026, 7, 30)), "municipality_no_meeting") if r[1] == key}
    rows = {r for r in of_kind(run(D(2026, 7, 31)), "municipality_no_meeting") if r[1] == key}
    # The phone call in May is not a meeting: the period counts from February.
    assert rows == {
        ("municipality_no_meeting", key, world.adviser.pk, D(2026, 7, 31), D(2026, 7, 31))
    }


def test_a_digital_meeting_counts_and_stops_the_reminders(world, no_meeting, run):
    FollowUpEntryFactory(municipality=world.muni_a, date=D(2026, 2, 1), kind="meeting")
    run(D(2026, 7, 31))
    FollowUpEntryFactory(municipality=world.muni_a, date=D(2026, 8, 2), kind="digital_meeting")
    rows = of_kind(run(D(2026, 8, 30)), "municipality_no_meeting")
    assert not {r for r in rows if r[1] == "municipalities.municipality:4640"}
    withdrawn = Notification.objects.get(object_key="municipalities.municipality:4640")
    assert withdrawn.withdrawn_at is not None


def test_reminded_again_every_repeat_days_until_a_meeting(world, no_meeting, run):
    FollowUpEntryFactory(municipality=world.muni_a, date=D(2026, 2, 1), kind="meeting")
    stages = set()
    for day in [D(2026, 7, 31), D(2026, 8, 15), D(2026, 8, 30), D(2026, 9, 29)]:
        stages |= {
            r[4] for r in of_kind(run(day), "municipality_no_meeting") if r[1].endswith(":4640")
        }
    assert stages == {D(2026, 7, 31), D(2026, 8, 30), D(2026, 9, 29)}


def test_a_municipality_never_met_counts_from_the_setting(world, no_meeting, run):
    rows = of_kind(run(D(2026, 1, 1)), "municipality_no_meeting")
    assert {(r[1], r[3]) for r in rows} == {
        ("municipalities.municipality:4640", D(2026, 1, 1)),
        ("municipalities.municipality:1103", D(2026, 1, 1)),
    }


def test_only_the_advisers_of_the_municipalitys_region_are_told(world, no_meeting, run):
    other_region = RegionFactory(code="nord", name="ALIS Nord")
    MunicipalityFactory(number="1804", name="Bodø", region=other_region)
    nord_adviser = UserFactory()
    RoleAssignmentFactory(
        user=nord_adviser, role=Role.ADVISER, region=other_region, valid_from=D(2024, 1, 1)
    )
    rows = of_kind(run(D(2026, 1, 1)), "municipality_no_meeting")
    recipients = {(r[1], r[2]) for r in rows}
    assert ("municipalities.municipality:1804", nord_adviser.pk) in recipients
    assert ("municipalities.municipality:1804", world.adviser.pk) not in recipients
    assert ("municipalities.municipality:4640", nord_adviser.pk) not in recipients
    assert world.manager_a.pk not in {r[2] for r in rows}


def test_an_adviser_whose_role_ended_is_not_told(world, no_meeting, run):
    world.adviser.role_assignments.update(valid_to=D(2025, 12, 31))
    assert of_kind(run(D(2026, 1, 1)), "municipality_no_meeting") == set()


# The annual wheel


def test_wheel_dates_by_rule():
    assert WheelTask(month=8, day=31).date_in(2026) == D(2026, 8, 31)
    assert WheelTask(month=2, day=29).date_in(2027) == D(2027, 2, 28)
    assert WheelTask(month=2, day=29).date_in(2028) == D(2028, 2, 29)
    last_monday = WheelTask(month=10, week=WeekOfMonth.LAST, weekday=Weekday.MONDAY)
    assert last_monday.date_in(2026) == D(2026, 10, 26)
    assert last_monday.date_in(2027) == D(2027, 10, 25)
    first_monday = WheelTask(month=2, week=WeekOfMonth.FIRST, weekday=Weekday.MONDAY)
    assert first_monday.date_in(2026) == D(2026, 2, 2)
    third_friday = WheelTask(month=5, week=WeekOfMonth.THIRD, weekday=Weekday.FRIDAY)
    assert third_friday.date_in(2026) == D(2026, 5, 15)


@pytest.fixture
def wheel_task(world, travel):
    travel(D(2026, 1, 5))
    return WheelTaskFactory(
        region=world.region, title="Søknadsfrist tilskudd", owners=[world.adviser]
    )


def test_a_wheel_task_is_reminded_at_its_lead_times(world, wheel_task, run):
    key = f"reminders.wheeltask:{wheel_task.pk}"
    days = {}
    for day in [
        D(2026, 7, 31),
        D(2026, 8, 1),
        D(2026, 8, 2),
        D(2026, 8, 24),
        D(2026, 8, 31),
        D(2026, 9, 1),
    ]:
        days[day] = {r[4] for r in of_kind(run(day), "annual_wheel") if r[1] == key}
    assert days == {
        D(2026, 7, 31): set(),
        D(2026, 8, 1): {D(2026, 8, 1)},
        D(2026, 8, 2): set(),  # the 30-day reminder is recorded already
        D(2026, 8, 24): {D(2026, 8, 24)},
        D(2026, 8, 31): {D(2026, 8, 31)},
        D(2026, 9, 1): set(),
    }
    assert Notification.objects.filter(object_key=key).count() == 3


def test_a_wheel_task_without_lead_times_uses_the_kinds(world, wheel_task, run):
    wheel_task.lead_days = []
    wheel_task.save(update_fields=["lead_days"])
    kind = setting("annual_wheel")
    kind.offsets = [14]
    kind.save()
    assert of_kind(run(D(2026, 8, 16)), "annual_wheel") == set()
    assert {r[4] for r in of_kind(run(D(2026, 8, 17)), "annual_wheel")} == {D(2026, 8, 17)}


def test_a_wheel_task_without_owners_goes_to_every_adviser_of_the_region(world, travel, run):
    travel(D(2026, 1, 5))
    colleague = UserFactory()
    RoleAssignmentFactory(
        user=colleague, role=Role.ADVISER, region=world.region, valid_from=D(2024, 1, 1)
    )
    WheelTaskFactory(region=world.region, owners=[])
    rows = of_kind(run(D(2026, 8, 31)), "annual_wheel")
    assert {r[2] for r in rows} == {world.adviser.pk, colleague.pk}


def test_a_task_done_for_the_year_is_not_reminded_again(world, wheel_task, run):
    run(D(2026, 8, 24))
    services.wheel_occurrence_complete(task=wheel_task, year=2026, by=world.adviser)
    assert of_kind(run(D(2026, 8, 31)), "annual_wheel") == set()
    assert Notification.objects.get(kind="annual_wheel").withdrawn_at is not None
    # Next year it comes back.
    assert of_kind(run(D(2027, 8, 1)), "annual_wheel")


def test_a_january_task_is_reminded_in_december(world, travel, run):
    travel(D(2026, 1, 5))
    task = WheelTaskFactory(
        region=world.region, month=1, day=10, lead_days=[30], owners=[world.adviser]
    )
    assert {
        r[3] for r in of_kind(run(D(2026, 12, 11)), "annual_wheel") if r[1].endswith(f":{task.pk}")
    } == {D(2027, 1, 10)}


def test_a_missed_date_is_caught_up_for_a_week_only(world, wheel_task, run):
    wheel_task.lead_days = [0]
    wheel_task.save(update_fields=["lead_days"])
    late = D(2026, 8, 31) + datetime.timedelta(days=WHEEL_GRACE_DAYS)
    assert {r[4] for r in of_kind(run(late), "annual_wheel")} == {D(2026, 8, 31)}
    Notification.objects.all().delete()
    assert of_kind(run(late + datetime.timedelta(days=1)), "annual_wheel") == set()


def test_a_task_added_after_its_date_is_not_reminded_for_that_date(world, travel, run):
    travel(D(2026, 9, 2))
    WheelTaskFactory(region=world.region, lead_days=[0], owners=[world.adviser])
    assert of_kind(run(D(2026, 9, 3)), "annual_wheel") == set()


def test_an_inactive_task_is_not_reminded(world, wheel_task, run):
    wheel_task.is_active = False
    wheel_task.save(update_fields=["is_active"])
    assert of_kind(run(D(2026, 8, 31)), "annual_wheel") == set()
