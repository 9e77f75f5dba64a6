"""The supervisor register and the supervision relationships (assign, change, end)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role, RoleAssignment, User
from education_plans.models import EducationPlan, SupervisionRelationship
from supervision import services
from supervision.models import Supervisor
from tests.accounts.factories import UserFactory
from tests.municipalities.factories import MunicipalityFactory, PracticeFactory, RegionFactory
from tests.supervision.factories import SupervisorFactory, supervisor_a_profile

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = datetime.date.today()


def data(world, **changes):
    return {
        "municipality": world.muni_a,
        "practice": None,
        "is_specialist": True,
        "specialist_year": 2014,
        "course_name": "Emnekurs",
        "course_completed_on": D(2022, 3, 1),
        "capacity": 2,
        "in_pool": False,
        "note": "",
        **changes,
    }


# The register


def test_a_manager_registers_a_new_doctor_as_supervisor(world):
    supervisor = services.supervisor_register(
        by=world.manager_a,
        email="Ny.Veileder@Kommune-A.example",
        first_name="Ny",
        last_name="Veileder",
        hpr_number="1112223",
        data=data(world),
    )
    person = supervisor.person
    assert person.email == "ny.veileder@kommune-a.example"
    assert not person.has_usable_password()  # set through an invitation or a reset
    assert (
        RoleAssignment.objects.active()
        .filter(user=person, role=Role.SUPERVISOR, municipality=world.muni_a)
        .exists()
    )
    assert supervisor.created_by == world.manager_a


def test_an_existing_person_is_registered_once(world):
    services.supervisor_register(
        by=world.manager_a,
        email=world.supervisor_a.email.upper(),
        first_name="x",
        last_name="y",
        data=data(world),
    )
    assert Supervisor.objects.get().person == world.supervisor_a
    assert User.objects.filter(email__iexact=world.supervisor_a.email).count() == 1
    with pytest.raises(ValidationError) as exc:
        services.supervisor_register(
            by=world.adviser,
            email=world.supervisor_a.email,
            first_name="x",
            last_name="y",
            data=data(world),
        )
    assert "email" in exc.value.error_dict


def test_a_manager_registers_only_in_their_own_municipality(world):
    with pytest.raises(ValidationError) as exc:
        services.supervisor_register(
            by=world.manager_a,
            email="b@example.no",
            first_name="B",
            last_name="B",
            data=data(world, municipality=world.muni_b),
        )
    assert "municipality" in exc.value.error_dict
    # The region's adviser may register anywhere in the region.
    services.supervisor_register(
        by=world.adviser,
        email="b@example.no",
        first_name="B",
        last_name="B",
        data=data(world, municipality=world.muni_b),
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"is_specialist": False, "specialist_year": 2010}, "specialist_year"),
        ({"course_completed_on": TODAY + datetime.timedelta(days=3)}, "course_completed_on"),
    ],
)
def test_register_entries_are_checked(world, changes, field):
    with pytest.raises(ValidationError) as exc:
        services.supervisor_register(
            by=world.adviser,
            email="c@example.no",
            first_name="C",
            last_name="C",
            data=data(world, **changes),
        )
    assert field in exc.value.error_dict
    assert not Supervisor.objects.exists()


def test_the_workplace_must_be_in_the_municipality(world, client_for):
    practice = PracticeFactory(municipality=world.muni_b)
    response = client_for(world.adviser).post(
        reverse("supervision:supervisor_create"),
        {
            "first_name": "D",
            "last_name": "D",
            "email": "d@example.no",
            "municipality": world.muni_a.pk,
            "practice": practice.pk,
            "is_specialist": "on",
            "course_name": "Emnekurs",
            "capacity": 1,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["practice"]
    assert not Supervisor.objects.exists()


def test_registering_through_the_page(world, client_for):
    practice = PracticeFactory(municipality=world.muni_a)
    response = client_for(world.manager_a).post(
        reverse("supervision:supervisor_create"),
        {
            "first_name": "Eli",
            "last_name": "Eide",
            "email": "eli@kommune-a.example",
            "hpr_number": "5556667",
            "municipality": world.muni_a.pk,
            "practice": practice.pk,
            "is_specialist": "on",
            "specialist_year": 2012,
            "course_name": "Emnekurs",
            "course_completed_on": "01.10.2021",
            "capacity": 3,
            "in_pool": "on",
        },
    )
    supervisor = Supervisor.objects.get()
    assert response["Location"] == reverse("supervision:supervisor_detail", args=[supervisor.pk])
    assert (supervisor.practice, supervisor.capacity, supervisor.in_pool) == (practice, 3, True)
    assert supervisor.course_completed_on == D(2021, 10, 1)
    assert supervisor.person.hpr_number == "5556667"


def test_the_register_page_lists_municipality_choices_by_scope(world, client_for):
    form = client_for(world.manager_a).get(reverse("supervision:supervisor_create")).context["form"]
    assert list(form.fields["municipality"].queryset) == [world.muni_a]
    for persona in ("alis_a", "supervisor_a", "outsider"):
        response = client_for(world.user(persona)).get(reverse("supervision:supervisor_create"))
        assert response.status_code == 404


def test_a_supervisor_keeps_their_own_entry_up_to_date(world, client_for):
    profile = supervisor_a_profile(world, capacity=1, in_pool=False)
    client = client_for(world.supervisor_a)
    assert client.get(reverse("supervision:my_profile"))["Location"] == reverse(
        "supervision:supervisor_detail", args=[profile.pk]
    )
    response = client.post(
        reverse("supervision:supervisor_update", args=[profile.pk]),
        {
            "municipality": world.muni_a.pk,
            "is_specialist": "on",
            "specialist_year": 2015,
            "course_name": "Emnekurs",
            "course_completed_on": "2021-10-15",
            "capacity": 3,
            "in_pool": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.capacity, profile.in_pool) == (3, True)
    assert profile.history.count() == 2  # the change is in the history


def test_a_supervisor_cannot_edit_a_colleagues_entry(world):
    colleague = SupervisorFactory(municipality=world.muni_a)
    with pytest.raises(PermissionDenied):
        services.supervisor_update(supervisor=colleague, by=world.supervisor_a, data={})


def test_moving_to_another_municipality_gives_the_role_there(world):
    profile = supervisor_a_profile(world)
    services.supervisor_update(
        supervisor=profile, by=world.adviser, data={"municipality": world.muni_b}
    )
    assert (
        RoleAssignment.objects.active()
        .filter(user=world.supervisor_a, role=Role.SUPERVISOR, municipality=world.muni_b)
        .exists()
    )


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("adviser", True),
        ("manager_a", True),
        ("manager_b", False),
        ("supervisor_a", True),
        ("alis_a", False),
        ("outsider", False),
    ],
)
def test_who_sees_a_register_entry(world, persona, sees):
    profile = supervisor_a_profile(world)
    assert Supervisor.objects.visible_to(world.user(persona)).filter(pk=profile.pk).exists() is sees


def test_the_pool_is_visible_to_managers_elsewhere_in_the_region(world, client_for):
    profile = supervisor_a_profile(world, in_pool=True)
    nord = MunicipalityFactory(region=RegionFactory(code="nord", name="ALIS Nord"))
    SupervisorFactory(in_pool=True, municipality=nord)  # another region's pool
    assert Supervisor.objects.visible_to(world.manager_b).filter(pk=profile.pk).exists()
    response = client_for(world.manager_b).get(reverse("supervision:pool"))
    assert list(response.context["page_obj"]) == [profile]


# Relationships


def test_assigning_changing_and_ending_a_supervisor_keeps_the_history(world):
    supervisor_a_profile(world)
    new = SupervisorFactory(municipality=world.muni_b)
    plan_b = EducationPlan.objects.get(alis=world.alis_b)
    first = services.relationship_start(
        alis=world.alis_b,
        supervisor=new.person,
        kind=SupervisionRelationship.Kind.INDIVIDUAL,
        start_date=D(2025, 1, 1),
        by=world.manager_b,
    )
    assert EducationPlan.objects.visible_to(new.person).filter(pk=plan_b.pk).exists()

    other = SupervisorFactory(municipality=world.muni_b)
    second = services.relationship_change(
        relationship=first, supervisor=other.person, start_date=TODAY, by=world.adviser
    )
    first.refresh_from_db()
    assert first.end_date == TODAY - datetime.timedelta(days=1)
    assert (second.start_date, second.end_date, second.kind) == (TODAY, None, first.kind)
    assert not EducationPlan.objects.visible_to(new.person).filter(pk=plan_b.pk).exists()
    assert EducationPlan.objects.visible_to(other.person).filter(pk=plan_b.pk).exists()

    services.relationship_end(relationship=second, end_date=TODAY, by=world.manager_b)
    rows = SupervisionRelationship.objects.filter(alis=world.alis_b).order_by("start_date")
    assert [(r.supervisor, r.end_date) for r in rows] == [
        (new.person, TODAY - datetime.timedelta(days=1)),
        (other.person, TODAY),
    ]


def test_an_alis_has_one_supervisor_of_a_kind_at_a_time(world):
    other = SupervisorFactory(municipality=world.muni_a)
    with pytest.raises(ValidationError) as exc:
        services.relationship_start(
            alis=world.alis_a,
            supervisor=other.person,
            kind=SupervisionRelationship.Kind.INDIVIDUAL,
            start_date=D(2025, 6, 1),
            by=world.manager_a,
        )
    assert "start_date" in exc.value.error_dict
    clinical = services.relationship_start(
        alis=world.alis_a,
        supervisor=other.person,
        kind=SupervisionRelationship.Kind.CLINICAL,
        start_date=D(2025, 6, 1),
        by=world.manager_a,
    )
    assert clinical.kind == "clinical"


@pytest.mark.parametrize("persona", ["alis_a", "supervisor_a", "manager_b", "outsider"])
def test_only_managers_and_advisers_assign(world, persona):
    other = SupervisorFactory(municipality=world.muni_a)
    with pytest.raises(PermissionDenied):
        services.relationship_start(
            alis=world.alis_a,
            supervisor=other.person,
            kind=SupervisionRelationship.Kind.CLINICAL,
            start_date=TODAY,
            by=world.user(persona),
        )


def test_the_supervisor_must_be_in_the_register_the_manager_sees(world):
    elsewhere = SupervisorFactory(municipality=world.muni_b)  # not in the pool
    with pytest.raises(ValidationError) as exc:
        services.relationship_start(
            alis=world.alis_a,
            supervisor=elsewhere.person,
            kind=SupervisionRelationship.Kind.CLINICAL,
            start_date=TODAY,
            by=world.manager_a,
        )
    assert "supervisor" in exc.value.error_dict
    elsewhere.in_pool = True
    elsewhere.save()
    services.relationship_start(
        alis=world.alis_a,
        supervisor=elsewhere.person,
        kind=SupervisionRelationship.Kind.CLINICAL,
        start_date=TODAY,
        by=world.manager_a,
    )
    unregistered = UserFactory()
    with pytest.raises(ValidationError):
        services.relationship_start(
            alis=world.alis_b,
            supervisor=unregistered,
            kind=SupervisionRelationship.Kind.INDIVIDUAL,
            start_date=TODAY,
            by=world.adviser,
        )


def test_change_through_the_page_warns_when_over_capacity(world, client_for):
    full = SupervisorFactory(municipality=world.muni_a, capacity=0)
    relationship = SupervisionRelationship.objects.get(alis=world.alis_a)
    response = client_for(world.manager_a).post(
        reverse("supervision:relationship_change", args=[relationship.pk]),
        {"supervisor": full.pk, "start_date": TODAY.isoformat()},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("capacity" in m or "kapasitet" in m for m in messages), messages
    assert SupervisionRelationship.objects.active().get(alis=world.alis_a).supervisor == (
        full.person
    )


def test_a_change_must_start_after_the_current_relationship(world):
    other = SupervisorFactory(municipality=world.muni_a)
    relationship = SupervisionRelationship.objects.get(alis=world.alis_a)
    with pytest.raises(ValidationError):
        services.relationship_change(
            relationship=relationship,
            supervisor=other.person,
            start_date=relationship.start_date,
            by=world.manager_a,
        )
    with pytest.raises(ValidationError):
        services.relationship_end(
            relationship=relationship, end_date=D(2023, 1, 1), by=world.manager_a
        )
