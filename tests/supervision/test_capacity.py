"""Supervisor capacity per municipality and in the region, the register's lists, and their
query budgets."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from education_plans.models import SupervisionRelationship
from supervision import selectors
from supervision.models import Supervisor
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.alis_agreements.factories import EmploymentFactory, PositionFactory
from tests.municipalities.factories import MunicipalityFactory
from tests.queries import assert_constant_queries
from tests.supervision.factories import SupervisorFactory, supervisor_a_profile

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def alis_in(municipality, *, supervisor=None):
    alis = UserFactory()
    EmploymentFactory(alis=alis, position=PositionFactory(municipality=municipality))
    if supervisor:
        SupervisionRelationship.objects.create(
            alis=alis, supervisor=supervisor.person, start_date=TODAY
        )
    return alis


def test_capacity_per_municipality_and_in_the_region(world):
    a = supervisor_a_profile(world, capacity=3)  # supervises ALIS A
    SupervisorFactory(municipality=world.muni_a, capacity=1, course_completed_on=None)
    SupervisorFactory(municipality=world.muni_a, capacity=5, is_active=False)  # not counted
    b = SupervisorFactory(municipality=world.muni_b, capacity=1, in_pool=True)
    alis_in(world.muni_b, supervisor=b)
    alis_in(world.muni_b, supervisor=b)  # over capacity: free stays 0
    rows, total = selectors.capacity_by_municipality([world.muni_a.pk, world.muni_b.pk])

    row_a, row_b = rows[world.muni_a.pk], rows[world.muni_b.pk]
    assert (row_a.supervisors, row_a.without_course, row_a.capacity) == (2, 1, 4)
    assert (row_a.load, row_a.free, row_a.alis, row_a.alis_without_supervisor) == (1, 3, 1, 0)
    assert (row_b.supervisors, row_b.in_pool, row_b.load, row_b.free) == (1, 1, 2, 0)
    # ALIS B (employed in B, no supervisor) and the two new ALIS
    assert (row_b.alis, row_b.alis_without_supervisor) == (3, 1)
    assert (total.supervisors, total.free, total.alis, total.alis_without_supervisor) == (
        3,
        3,
        4,
        1,
    )
    assert a.pk in Supervisor.objects.with_load().filter(load=1).values_list("pk", flat=True)


def test_clinical_supervision_and_ended_relationships_do_not_take_a_place(world):
    profile = supervisor_a_profile(world)
    SupervisionRelationship.objects.create(
        alis=world.alis_b,
        supervisor=world.supervisor_a,
        kind=SupervisionRelationship.Kind.CLINICAL,
        start_date=TODAY,
    )
    alis = alis_in(world.muni_a)
    SupervisionRelationship.objects.create(
        alis=alis,
        supervisor=world.supervisor_a,
        start_date=datetime.date(2024, 1, 1),
        end_date=TODAY - datetime.timedelta(days=1),
    )
    assert Supervisor.objects.with_load().get(pk=profile.pk).load == 1


def test_an_alis_in_two_municipalities_counts_once_in_the_region(world):
    RoleAssignmentFactory(user=world.alis_a, role=Role.ALIS, municipality=world.muni_b)
    _rows, total = selectors.capacity_by_municipality([world.muni_a.pk, world.muni_b.pk])
    assert total.alis == 2


def test_the_list_of_alis_without_a_supervisor(world, client_for):
    response = client_for(world.adviser).get(reverse("supervision:alis_without_supervisor"))
    alis = list(response.context["page_obj"])
    assert alis == [world.alis_b]
    assert alis[0].municipality_name == "Stavanger"
    response = client_for(world.manager_a).get(reverse("supervision:alis_without_supervisor"))
    assert list(response.context["page_obj"]) == []


def test_managers_see_their_municipality_advisers_the_region(world, client_for):
    supervisor_a_profile(world)
    response = client_for(world.manager_a).get(reverse("supervision:capacity"))
    assert [m for m, _c in response.context["rows"]] == [world.muni_a]
    assert response.context["total"].supervisors == 1
    response = client_for(world.adviser).get(reverse("supervision:capacity"))
    assert [m.name for m, _c in response.context["rows"]] == ["Sogndal", "Stavanger"]
    assert response.context["total"].alis == 2


def test_empty_municipalities_are_hidden_until_asked_for(world, client_for):
    MunicipalityFactory(region=world.region, name="Utsira")
    client = client_for(world.adviser)
    response = client.get(reverse("supervision:capacity"))
    assert "Utsira" not in [m.name for m, _c in response.context["rows"]]
    assert response.context["hidden_count"] == 1
    response = client.get(reverse("supervision:capacity"), {"all": "1"})
    assert "Utsira" in [m.name for m, _c in response.context["rows"]]


@pytest.mark.parametrize(
    "url_name", ["capacity", "supervisor_list", "pool", "alis_without_supervisor", "alis_overview"]
)
@pytest.mark.parametrize("persona", ["alis_a", "supervisor_a", "outsider"])
def test_overviews_are_for_advisers_and_managers(world, client_for, url_name, persona):
    response = client_for(world.user(persona)).get(reverse(f"supervision:{url_name}"))
    assert response.status_code == 404


def test_register_filters(world, client_for):
    supervisor_a_profile(world, course_completed_on=None, in_pool=True)
    SupervisorFactory(municipality=world.muni_b, person__last_name="Zeta")
    client = client_for(world.adviser)
    url = reverse("supervision:supervisor_list")

    def names(**query):
        return [s.person.last_name for s in client.get(url, query).context["page_obj"]]

    assert names(course="no") == ["Veileder"]
    assert names(municipality=world.muni_b.pk) == ["Zeta"]
    assert names(in_pool="yes") == ["Veileder"]
    assert names(q="zet") == ["Zeta"]
    assert names(free="no") == []


def _grow(world):
    def grow():
        for n in range(30):
            municipality = MunicipalityFactory(region=world.region, name=f"Vekst {n:02d}")
            supervisor = SupervisorFactory(
                municipality=municipality, in_pool=n % 2 == 0, course_completed_on=None
            )
            alis_in(municipality, supervisor=supervisor)
            alis_in(municipality)

    return grow


@pytest.mark.parametrize(
    "url_name", ["capacity", "supervisor_list", "pool", "alis_without_supervisor", "alis_overview"]
)
def test_overviews_run_a_fixed_number_of_queries(world, client_for, url_name):
    supervisor_a_profile(world, in_pool=True)
    client = client_for(world.adviser)
    assert_constant_queries(client, reverse(f"supervision:{url_name}"), _grow(world))


def test_the_municipality_page_shows_its_supervisors(world, client_for):
    supervisor_a_profile(world)
    SupervisorFactory(municipality=world.muni_a, course_completed_on=None)
    url = reverse("municipalities:municipality_detail", args=[world.muni_a.number])
    html = client_for(world.manager_a).get(url).content.decode()
    assert 'id="supervisors-h"' in html
    assert "Siri Veileder" in html
    client = client_for(world.adviser)

    def grow():
        for _n in range(10):
            SupervisorFactory(municipality=world.muni_a)
            alis_in(world.muni_a)

    assert_constant_queries(client, url, grow)


def test_supervision_per_alis_shows_each_alis_strip_and_supervisor(world, client_for):
    from tests.education_plans.factories import ServicePeriodFactory

    ServicePeriodFactory(plan=world.plan_a, start_date=datetime.date(2024, 1, 1))
    response = client_for(world.manager_a).get(reverse("supervision:alis_overview"))
    ((alis, progress, supervisor),) = response.context["rows"]
    assert (alis, supervisor) == (world.alis_a, world.supervisor_a)
    assert progress.months_short == 12  # no session logged this year
    html = response.content.decode()
    assert "strip-none" in html
    rows = client_for(world.adviser).get(reverse("supervision:alis_overview")).context["rows"]
    assert [(a, s) for a, _p, s in rows] == [
        (world.alis_a, world.supervisor_a),
        (world.alis_b, None),
    ]
