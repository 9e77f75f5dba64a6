"""Supervision groups: members over time, meetings and attendance, what counts in the plan,
and who reads the group notes."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from education_plans.models import ActivityKind, GroupSupervisionPeriod, LearningActivity
from education_plans.progress import plan_progress
from education_plans.rules import ServiceType
from supervision import services
from supervision.models import GroupAttendance, GroupMembership, SupervisionGroup
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.conftest import PERSONAS
from tests.education_plans.factories import ServicePeriodFactory
from tests.queries import assert_constant_queries
from tests.supervision.factories import GroupFactory, MeetingFactory, group_with_alis_a

pytestmark = pytest.mark.django_db
D = datetime.date


def meeting(world, group, *, present=None, **kwargs):
    values = {"date": D(2025, 3, 10), "minutes": 180, "topics": "Tema", "notes": "GRUPPENOTAT"}
    return services.meeting_record(
        group=group,
        by=world.group_leader,
        present={world.alis_a.pk} if present is None else present,
        **{**values, **kwargs},
    )


def test_an_adviser_creates_a_group_with_a_group_leader(world):
    group = services.group_create(
        by=world.adviser,
        region=world.region,
        name="Veiledningsgruppe Sogn",
        leader=world.group_leader,
        start_date=D(2025, 1, 1),
        municipalities=[world.muni_a, world.muni_b],
    )
    assert set(group.municipalities.all()) == {world.muni_a, world.muni_b}
    with pytest.raises(ValidationError) as exc:
        services.group_create(
            by=world.adviser,
            region=world.region,
            name="X",
            leader=world.alis_a,
            start_date=D(2025, 1, 1),
        )
    assert "leader" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        services.group_create(
            by=world.manager_a,
            region=world.region,
            name="X",
            leader=world.group_leader,
            start_date=D(2025, 1, 1),
        )


def test_membership_counts_as_a_group_period_in_the_plan(world):
    group = group_with_alis_a(world)
    membership = group.memberships.get()
    period = GroupSupervisionPeriod.objects.get(
        source_key=f"supervision.membership:{membership.pk}"
    )
    assert (period.alis, period.title, period.start_date, period.end_date) == (
        world.alis_a,
        group.name,
        D(2025, 1, 1),
        None,
    )
    services.membership_update(
        membership=membership, start_date=D(2025, 1, 1), end_date=D(2025, 12, 31), by=world.adviser
    )
    period.refresh_from_db()
    assert period.end_date == D(2025, 12, 31)
    services.membership_remove(membership=membership, by=world.adviser)
    assert not GroupSupervisionPeriod.objects.exists()


def test_group_periods_and_attended_hours_show_in_progress(world):
    ServicePeriodFactory(
        plan=world.plan_a, service_type=ServiceType.OPEN_UNSELECTED, start_date=D(2024, 1, 1)
    )
    group = group_with_alis_a(world)
    meeting(world, group, date=D(2025, 3, 10), minutes=180)
    meeting(world, group, date=D(2025, 4, 10), minutes=150)
    progress = plan_progress(world.plan_a, on=D(2025, 12, 31))
    assert progress.rule("group_total").done == 12
    assert progress.rule("group_in_open_practice").done == 12
    assert progress.group_hours == Decimal("5.5")
    activity = LearningActivity.objects.filter(kind=ActivityKind.GROUP_SUPERVISION).first()
    assert activity.confirmed_by == world.group_leader
    assert activity.confirmed_at is not None


def test_attendance_is_taken_by_the_leader_for_members_of_that_day(world):
    group = group_with_alis_a(world)
    services.membership_add(
        group=group, alis=world.alis_b, start_date=D(2025, 6, 1), by=world.adviser
    )
    with pytest.raises(ValidationError):  # ALIS B was not a member yet
        meeting(world, group, present={world.alis_a.pk, world.alis_b.pk})
    with pytest.raises(PermissionDenied):
        services.meeting_record(
            group=group, by=world.adviser, date=D(2025, 3, 10), minutes=60, present=set()
        )
    held = meeting(world, group, date=D(2025, 6, 5), present={world.alis_b.pk})
    attendance = {a.alis: a.present for a in held.attendances.all()}
    assert attendance == {world.alis_a: False, world.alis_b: True}
    assert list(LearningActivity.objects.values_list("alis", flat=True)) == [world.alis_b.pk]


def test_changing_attendance_and_deleting_a_meeting_update_the_ledger(world):
    group = group_with_alis_a(world)
    held = meeting(world, group)
    assert LearningActivity.objects.count() == 1
    services.meeting_update(
        meeting=held, by=world.group_leader, date=held.date, minutes=120, present=set()
    )
    assert not LearningActivity.objects.exists()
    services.meeting_update(
        meeting=held,
        by=world.group_leader,
        date=held.date,
        minutes=120,
        present={world.alis_a.pk},
    )
    assert LearningActivity.objects.get().hours == 2
    services.meeting_delete(meeting=held, by=world.group_leader)
    assert not LearningActivity.objects.exists()
    assert not GroupAttendance.objects.exists()


def test_a_member_who_attended_is_ended_not_removed(world):
    group = group_with_alis_a(world)
    meeting(world, group)
    with pytest.raises(ValidationError):
        services.membership_remove(membership=group.memberships.get(), by=world.adviser)


def test_ending_the_group_ends_open_memberships(world):
    group = group_with_alis_a(world)
    services.group_update(group=group, by=world.adviser, data={"end_date": D(2026, 6, 30)})
    assert group.memberships.get().end_date == D(2026, 6, 30)
    assert GroupSupervisionPeriod.objects.get().end_date == D(2026, 6, 30)


def test_a_member_cannot_be_in_the_same_group_twice_at_once(world):
    group = group_with_alis_a(world)
    with pytest.raises(ValidationError):
        services.membership_add(
            group=group, alis=world.alis_a, start_date=D(2025, 5, 1), by=world.adviser
        )


# Group notes: the group's leader and its members on the day, nobody else


@pytest.mark.parametrize("persona", [*PERSONAS, "group_leader", "late_member"])
def test_group_notes_for_the_leader_and_members_only(world, client_for, persona):
    group = group_with_alis_a(world)
    held = meeting(world, group)
    late = UserFactory()
    RoleAssignmentFactory(user=late, role=Role.ALIS, municipality=world.muni_b)
    services.membership_add(group=group, alis=late, start_date=D(2025, 9, 1), by=world.adviser)
    user = {"group_leader": world.group_leader, "late_member": late}.get(persona) or world.user(
        persona
    )
    client = client_for(user)
    readers = {"alis_a", "group_leader"}
    seen = False
    for url in (
        reverse("supervision:meeting_detail", args=[held.pk]),
        reverse("supervision:group_detail", args=[group.pk]),
    ):
        response = client.get(url)
        if response.status_code == 200:
            seen = True
            assert ("GRUPPENOTAT" in response.content.decode()) is (persona in readers), url
    # The office, and those who see a member's records (the late member is in municipality B),
    # see the group and its meetings, without the notes.
    sees = {"adviser", "manager_a", "manager_b", "alis_a", "supervisor_a", *readers, "late_member"}
    assert seen is (persona in sees)


def test_the_group_leader_persona_pages(world, client_for):
    group = group_with_alis_a(world)
    held = MeetingFactory(group=group)
    client = client_for(world.group_leader)
    expect = {
        reverse("supervision:group_list"): 200,
        reverse("supervision:group_detail", args=[group.pk]): 200,
        reverse("supervision:meeting_create", args=[group.pk]): 200,
        reverse("supervision:meeting_detail", args=[held.pk]): 200,
        reverse("supervision:meeting_update", args=[held.pk]): 200,
        reverse("supervision:group_update", args=[group.pk]): 403,
        reverse("supervision:membership_create", args=[group.pk]): 403,
        reverse("supervision:alis_supervision", args=[world.alis_a.pk]): 404,
        reverse("supervision:capacity"): 404,
    }
    assert {url: client.get(url).status_code for url in expect} == expect
    other_leader = UserFactory()
    RoleAssignmentFactory(user=other_leader, role=Role.GROUP_LEADER, municipality=world.muni_a)
    response = client_for(other_leader).get(reverse("supervision:group_detail", args=[group.pk]))
    assert response.status_code == 404


def test_the_leader_records_a_meeting_through_the_page(world, client_for, time_machine):
    time_machine.move_to(datetime.datetime(2025, 3, 10, 18, 0, tzinfo=datetime.UTC), tick=False)
    group = group_with_alis_a(world)
    response = client_for(world.group_leader).post(
        reverse("supervision:meeting_create", args=[group.pk]),
        {"date": "10.03.2025", "minutes": 180, "topics": "Kasus", "present": [world.alis_a.pk]},
    )
    assert response["Location"] == reverse("supervision:group_detail", args=[group.pk])
    assert LearningActivity.objects.get().hours == 3


def test_group_pages_run_a_fixed_number_of_queries(world, client_for):
    group = group_with_alis_a(world)

    def grow():
        for n in range(10):
            MeetingFactory(group=group, date=D(2025, 2, 1) + datetime.timedelta(days=n))
            alis = UserFactory()
            GroupMembership.objects.create(group=group, alis=alis, start_date=D(2025, 2, 1))
            GroupFactory(region=world.region, leader=world.group_leader)

    client = client_for(world.adviser)
    assert_constant_queries(client, reverse("supervision:group_list"), grow)
    assert_constant_queries(client, reverse("supervision:group_detail", args=[group.pk]), grow)
    assert SupervisionGroup.objects.count() == 21
