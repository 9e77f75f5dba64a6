"""Positions, employments, leave and registering an ALIS: the rules of one ALIS timeline."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role, RoleAssignment, User
from alis_agreements import services
from alis_agreements.models import Employment, Leave, Position
from tests.alis_agreements.factories import LeaveFactory, PositionFactory
from tests.municipalities.factories import PracticeFactory

D = datetime.date


def employ(world, position=None, **kwargs):
    values = {"start_date": D(2026, 1, 1), "end_date": None, "percentage": Decimal(100)}
    values.update(kwargs)
    return services.employment_create(
        position=position or world.position_a,
        alis=values.pop("alis", world.alis_b),
        by=world.manager_a,
        **values,
    )


# Registering an ALIS who has no account yet


def test_registering_a_new_alis_creates_a_person_without_password_and_with_the_alis_role(world):
    user, created = services.alis_register(
        email="Ny.Lege@Example.no",
        first_name="Ny",
        last_name="Lege",
        hpr_number="9876543",
        municipality=world.muni_a,
        by=world.manager_a,
    )
    assert created
    assert user.email == "ny.lege@example.no"
    assert user.hpr_number == "9876543"
    assert not user.has_usable_password()
    role = RoleAssignment.objects.get(user=user)
    assert (role.role, role.municipality, role.created_by) == (
        Role.ALIS,
        world.muni_a,
        world.manager_a,
    )


def test_registering_a_known_alis_in_a_new_municipality_adds_the_role_only(world):
    user, created = services.alis_register(
        email=world.alis_b.email,
        first_name="Anything",
        last_name="Else",
        hpr_number=world.alis_b.hpr_number,
        municipality=world.muni_a,
        by=world.manager_a,
    )
    assert not created and user == world.alis_b
    user.refresh_from_db()
    assert user.first_name == "Nora"  # a manager does not rename someone else's account
    assert RoleAssignment.objects.filter(user=user, role=Role.ALIS).count() == 2


def test_an_existing_account_with_another_hpr_number_is_not_attached(world):
    with pytest.raises(ValidationError) as error:
        services.alis_register(
            email=world.alis_b.email,
            first_name="Nora",
            last_name="Lege",
            hpr_number="1111111",
            municipality=world.muni_a,
            by=world.manager_a,
        )
    assert "hpr_number" in error.value.message_dict
    assert not RoleAssignment.objects.filter(user=world.alis_b, municipality=world.muni_a).exists()


def test_another_municipalitys_manager_cannot_register_an_alis_here(world):
    with pytest.raises(PermissionDenied):
        services.alis_register(
            email="x@example.no",
            first_name="X",
            last_name="Y",
            hpr_number="",
            municipality=world.muni_a,
            by=world.manager_b,
        )
    assert not User.objects.filter(email="x@example.no").exists()


# Employments


def test_a_move_is_a_new_employment_after_the_last_one(world):
    first = Employment.objects.get(alis=world.alis_b)
    services.employment_update(
        employment=first,
        by=world.manager_b,
        start_date=first.start_date,
        end_date=D(2025, 12, 31),
        percentage=first.percentage,
        via_temp_agency=False,
    )
    moved = employ(world, start_date=D(2026, 1, 1))
    timeline = list(Employment.objects.filter(alis=world.alis_b).order_by("start_date"))
    assert timeline == [first, moved]
    assert moved.position.municipality == world.muni_a


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2026, 1, 1), None),  # the ongoing employment in B
        (D(2023, 6, 1), D(2024, 1, 1)),  # ends the day the other starts
    ],
)
def test_overlapping_employments_of_one_alis_are_refused(world, start, end):
    position = PositionFactory(municipality=world.muni_a, start_date=D(2020, 1, 1))
    before = Employment.objects.count()
    with pytest.raises(ValidationError) as error:
        employ(world, position=position, start_date=start, end_date=end)
    assert "already employed" in str(error.value.message_dict["start_date"])
    assert Employment.objects.count() == before


@pytest.mark.parametrize("percentage", [Decimal(0), Decimal("0.5"), Decimal(101)])
def test_a_percentage_outside_1_to_100_is_refused(world, percentage):
    alis = world.outsider
    with pytest.raises(ValidationError) as error:
        employ(world, alis=alis, percentage=percentage)
    assert "percentage" in error.value.message_dict
    assert not Employment.objects.filter(alis=alis).exists()


def test_dates_in_the_wrong_order_are_refused(world):
    with pytest.raises(ValidationError) as error:
        employ(world, alis=world.outsider, start_date=D(2026, 5, 1), end_date=D(2026, 4, 30))
    assert "end_date" in error.value.message_dict


def test_an_employment_outside_the_positions_dates_is_refused(world):
    position = PositionFactory(
        municipality=world.muni_a, start_date=D(2025, 1, 1), end_date=D(2029, 12, 31)
    )
    with pytest.raises(ValidationError) as early:
        employ(world, position=position, alis=world.outsider, start_date=D(2024, 12, 31))
    assert "start_date" in early.value.message_dict
    with pytest.raises(ValidationError) as open_ended:
        employ(world, position=position, alis=world.outsider, start_date=D(2025, 1, 1))
    assert "end_date" in open_ended.value.message_dict
    assert not position.employments.exists()


def test_an_employment_fills_an_advertised_position(world):
    position = PositionFactory(
        municipality=world.muni_a, status=Position.Status.ADVERTISED, start_date=D(2025, 1, 1)
    )
    employ(world, position=position, alis=world.outsider, start_date=D(2025, 3, 1))
    position.refresh_from_db()
    assert position.status == Position.Status.FILLED


def test_another_municipalitys_manager_cannot_employ_here(world):
    with pytest.raises(PermissionDenied):
        services.employment_create(
            position=world.position_a,
            alis=world.outsider,
            by=world.manager_b,
            start_date=D(2026, 1, 1),
        )


# Positions


def test_a_position_cannot_be_shortened_past_its_employments(world):
    with pytest.raises(ValidationError) as error:
        services.position_update(
            position=world.position_a, by=world.manager_a, end_date=D(2025, 12, 31)
        )
    assert "end_date" in error.value.message_dict
    world.position_a.refresh_from_db()
    assert world.position_a.end_date is None


def test_a_position_takes_only_a_practice_of_its_municipality(world):
    elsewhere = PracticeFactory(municipality=world.muni_b)
    with pytest.raises(ValidationError) as error:
        services.position_create(
            municipality=world.muni_a,
            by=world.manager_a,
            title="Ny ALIS-stilling",
            practice=elsewhere,
            employment_form="fixed_salary",
            position_type="gp_with_list",
            status="planned",
        )
    assert "practice" in error.value.message_dict


def test_position_changes_are_in_its_history(world):
    services.position_update(position=world.position_a, by=world.adviser, list_size=900)
    latest = world.position_a.history.latest()
    assert latest.history_user == world.adviser
    assert latest.list_size == 900


# Leave


def leave(world, employment=None, **kwargs):
    values = {
        "kind": Leave.Kind.PARENTAL,
        "start_date": D(2025, 1, 1),
        "end_date": D(2025, 6, 30),
        "percentage": Decimal(100),
    }
    values.update(kwargs)
    return services.leave_save(
        employment=employment or world.employment_a, by=world.manager_a, **values
    )


def test_leave_within_the_employment_is_recorded(world):
    recorded = leave(world)
    assert list(world.employment_a.leaves.all()) == [recorded]


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (D(2023, 12, 1), D(2024, 2, 1), "start_date"),  # before the employment
        (D(2025, 3, 1), D(2025, 2, 1), "end_date"),  # wrong order
    ],
)
def test_bad_leave_is_refused(world, start, end, field):
    with pytest.raises(ValidationError) as error:
        leave(world, start_date=start, end_date=end)
    assert field in error.value.message_dict
    assert not world.employment_a.leaves.exists()


def test_overlapping_leave_is_refused(world):
    LeaveFactory(employment=world.employment_a, start_date=D(2025, 1, 1), end_date=D(2025, 3, 1))
    with pytest.raises(ValidationError):
        leave(world, start_date=D(2025, 3, 1), end_date=D(2025, 4, 1))
    assert world.employment_a.leaves.count() == 1


def test_an_employment_cannot_end_before_its_leave(world):
    LeaveFactory(employment=world.employment_a, start_date=D(2025, 1, 1), end_date=D(2025, 3, 1))
    with pytest.raises(ValidationError):
        services.employment_update(
            employment=world.employment_a,
            by=world.manager_a,
            start_date=world.employment_a.start_date,
            end_date=D(2025, 2, 1),
            percentage=Decimal(100),
            via_temp_agency=False,
        )
