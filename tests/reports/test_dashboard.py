"""The dashboard (`/rapporter/oversikt/`) and the map (`/rapporter/kart/`) per persona, their
filters, and their query budgets."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation

from alis_agreements.models import Position
from alisvest.charts import NO_DATA
from municipalities.models import RegistrationStatus
from reports.maps import REGISTRATION_COLOURS, RISK_COLOURS
from tests.alis_agreements.factories import EmploymentFactory, PositionFactory
from tests.courses.factories import event_with_sessions
from tests.education_plans.factories import (
    EducationPlanFactory,
    SupervisionRelationshipFactory,
)
from tests.municipalities.factories import (
    CountyFactory,
    FollowUpEntryFactory,
    MunicipalityFactory,
    NextActionFactory,
    PopulationFactory,
    RegistrationStatusChangeFactory,
    YearlyMappingFactory,
)
from tests.queries import assert_constant_queries
from tests.supervision.factories import SupervisorFactory

DASHBOARD = reverse("reports:dashboard")
MAP = reverse("reports:region_map")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC))


@pytest.fixture(autouse=True)
def registered(world):
    """Both municipalities registered: A is then to watch (no meeting recorded), B at risk
    (ALIS B has no supervisor)."""
    for m in (world.muni_a, world.muni_b):
        RegistrationStatusChangeFactory(municipality=m, status=RegistrationStatus.REGISTERED)


def _paths(response):
    return list(ET.fromstring(str(response.context["map"])).iter(f"{SVG}path"))


def names(response):
    return [r.municipality.name for r in response.context["risks"]]


@pytest.mark.parametrize("persona", ["alis_a", "alis_b", "supervisor_a", "outsider"])
@pytest.mark.parametrize("url", [DASHBOARD, MAP])
def test_who_has_no_municipalities_gets_404(world, client_for, persona, url):
    assert client_for(world.user(persona)).get(url).status_code == 404


@pytest.mark.parametrize("url", [DASHBOARD, MAP])
def test_anonymous_is_sent_to_log_in(world, client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_the_adviser_sees_the_region_with_the_follow_up(world, client_for):
    entry = FollowUpEntryFactory(
        municipality=world.muni_a, date=datetime.date(2026, 10, 1), created_by=world.adviser
    )
    NextActionFactory(entry=entry, owner=world.adviser, description="Ring kommuneoverlegen")
    response = client_for(world.adviser).get(DASHBOARD)
    assert response.status_code == 200
    assert names(response) == ["Stavanger", "Sogndal"]  # at risk first
    content = response.content.decode()
    assert "Ring kommuneoverlegen" in content
    assert "o=meeting" in content  # the column of days since the last meeting
    assert response.context["counts"] == {"at_risk": 1, "watch": 0, "ok": 1}  # A met in October
    assert "region-map" in content


def test_manager_a_sees_only_a_and_nothing_of_the_follow_up_log(world, client_for):
    entry = FollowUpEntryFactory(municipality=world.muni_a, created_by=world.adviser)
    NextActionFactory(entry=entry, owner=world.adviser, description="Ring kommuneoverlegen")
    response = client_for(world.manager_a).get(DASHBOARD)
    assert response.status_code == 200
    assert names(response) == ["Sogndal"]
    content = response.content.decode()
    assert f'href="/kommuner/{world.muni_b.number}/"' not in content
    assert "Ring kommuneoverlegen" not in content
    assert "o=meeting" not in content
    assert response.context.get("actions") is None


def test_manager_b_sees_only_b(world, client_for):
    assert names(client_for(world.manager_b).get(DASHBOARD)) == ["Stavanger"]


def test_the_table_filters_by_status_and_county(world, client_for):
    client = client_for(world.adviser)
    assert names(client.get(DASHBOARD, {"status": "at_risk"})) == ["Stavanger"]
    assert names(client.get(DASHBOARD, {"status": "watch"})) == ["Sogndal"]
    assert names(client.get(DASHBOARD, {"status": "ok"})) == []
    assert names(client.get(DASHBOARD, {"county": world.muni_a.county_id})) == ["Sogndal"]


def test_bad_filter_values_show_the_whole_table_with_a_message(world, client_for):
    response = client_for(world.adviser).get(DASHBOARD, {"status": "nonsense", "county": "x"})
    assert response.status_code == 200
    assert len(response.context["risks"]) == 2
    assert response.context["form"].errors


def test_the_table_sorts(world, client_for):
    client = client_for(world.adviser)
    assert names(client.get(DASHBOARD, {"o": "name"})) == ["Sogndal", "Stavanger"]
    assert names(client.get(DASHBOARD, {"o": "-name"})) == ["Stavanger", "Sogndal"]
    PositionFactory(municipality=world.muni_a, status=Position.Status.VACANT)
    assert names(client.get(DASHBOARD, {"o": "-open"})) == ["Sogndal", "Stavanger"]
    assert names(client.get(DASHBOARD, {"o": "bogus"})) == ["Stavanger", "Sogndal"]


def test_htmx_gets_only_the_table(world, client_for):
    response = client_for(world.adviser).get(
        DASHBOARD, {"status": "at_risk"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="risk-table"
    )
    assert [t.name for t in response.templates][0] == "reports/_risk_table.html"
    assert "<html" not in response.content.decode()


def test_plans_behind_on_supervision_are_listed_for_their_municipalities(world, client_for):
    from tests.education_plans.factories import ServicePeriodFactory

    # A year of full-time service and no supervision hours: behind.
    ServicePeriodFactory(plan=world.plan_a, start_date=datetime.date(2025, 11, 1), end_date=None)
    response = client_for(world.adviser).get(DASHBOARD)
    assert [p.plan for p in response.context["behind"]] == [world.plan_a]
    assert client_for(world.manager_b).get(DASHBOARD).context["behind"] == []


def test_upcoming_courses_are_listed(world, client_for):
    event = event_with_sessions(is_published=True)
    response = client_for(world.manager_a).get(DASHBOARD)
    assert list(response.context["events"]) == [event]


def test_the_map_colours_by_the_chosen_figure(world, client_for):
    RegistrationStatusChangeFactory(
        municipality=world.muni_a, status=RegistrationStatus.APPLIED, date=datetime.date(2026, 1, 1)
    )
    client = client_for(world.adviser)
    for figure in ["risk", "registration", "alis"]:
        response = client.get(MAP, {"figure": figure})
        assert response.status_code == 200
        assert response.context["figure"] == figure
        assert "© Kartverket" in response.content.decode()
    response = client.get(MAP, {"figure": "registration"})
    with translation.override("en"):
        expected = {
            "Sogndal": str(RegistrationStatus.APPLIED.label),
            "Stavanger": str(RegistrationStatus.REGISTERED.label),
        }
    assert {r.municipality.name: value for r, value in response.context["rows"]} == expected
    fills = {p.find(f"{SVG}title").text.split(":")[0]: p.get("fill") for p in _paths(response)}
    assert fills["Sogndal"] == REGISTRATION_COLOURS["applied"]
    assert fills["Stavanger"] == REGISTRATION_COLOURS["registered"]
    assert fills["Bergen"] == NO_DATA


def test_an_unknown_figure_falls_back_to_risk(world, client_for):
    response = client_for(world.adviser).get(MAP, {"figure": "<script>"})
    assert response.status_code == 200
    assert response.context["figure"] == "risk"
    assert "<script>" not in response.content.decode()


def test_the_map_links_only_the_managers_municipalities(world, client_for):
    response = client_for(world.manager_a).get(MAP)
    content = response.content.decode()
    assert f'href="/kommuner/{world.muni_a.number}/"' in content
    assert f'href="/kommuner/{world.muni_b.number}/"' not in content
    titles = [p.find(f"{SVG}title").text for p in _paths(response)]
    assert "Stavanger" in titles  # the shape's name only, no figure
    assert [r.municipality for r, _value in response.context["rows"]] == [world.muni_a]


def test_the_map_shows_alis_per_10000_inhabitants(world, client_for):
    PopulationFactory(municipality=world.muni_a, year=2026, population=5000)
    response = client_for(world.adviser).get(MAP, {"figure": "alis"})
    [(risk, value)] = [
        row for row in response.context["rows"] if row[0].municipality == world.muni_a
    ]
    assert risk.alis_per_10000 == 2.0
    assert "2,0" in value


def test_the_map_is_valid_svg_with_titles_and_links(world, client_for):
    response = client_for(world.adviser).get(MAP, {"figure": "risk"})
    paths = {p.find(f"{SVG}title").text.split(":")[0]: p for p in _paths(response)}
    assert len(paths) == 66
    assert paths["Stavanger"].get("fill") == RISK_COLOURS["at_risk"]
    assert paths["Sogndal"].get("fill") == RISK_COLOURS["watch"]
    assert paths["Stavanger"].find(f"{SVG}title").text.count(":") == 2  # status: reasons


def test_htmx_gets_only_the_map(world, client_for):
    response = client_for(world.adviser).get(
        MAP, {"figure": "alis"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="region-map"
    )
    assert [t.name for t in response.templates][0] == "reports/_map.html"


def test_navigation_and_home_link_the_overview(world, client_for):
    for persona in ["adviser", "manager_a"]:
        response = client_for(world.user(persona)).get(reverse("home"))
        assert DASHBOARD in [i.url for i in response.context["nav_items"]], persona
        assert f'href="{DASHBOARD}"' in response.content.decode()
    response = client_for(world.alis_a).get(reverse("home"))
    assert DASHBOARD not in [i.url for i in response.context["nav_items"]]
    assert DASHBOARD not in response.content.decode()


# Query budgets: the same number of queries with ten times the data


def _grow(world):
    def grow():
        county = CountyFactory(number="11", name="Rogaland")
        for i in range(10):
            m = MunicipalityFactory(region=world.region, county=county)
            RegistrationStatusChangeFactory(municipality=m)
            YearlyMappingFactory(municipality=m)
            PopulationFactory(municipality=m)
            employment = EmploymentFactory(position=PositionFactory(municipality=m))
            SupervisionRelationshipFactory(alis=employment.alis, supervisor=world.supervisor_a)
            EducationPlanFactory(alis=employment.alis, municipality=m)
            PositionFactory(municipality=m, status=Position.Status.ADVERTISED)
            SupervisorFactory(municipality=m)
            entry = FollowUpEntryFactory(municipality=m, created_by=world.adviser)
            NextActionFactory(entry=entry, owner=world.adviser)
            event_with_sessions(is_published=True, days=((2027, 1, 10 + i), (2027, 1, 11 + i)))

    return grow


@pytest.mark.parametrize("url", [DASHBOARD, MAP])
def test_the_adviser_pages_run_constant_queries(world, client_for, url):
    assert_constant_queries(client_for(world.adviser), url, _grow(world))


def test_the_manager_dashboard_runs_constant_queries(world, client_for):
    assert_constant_queries(client_for(world.manager_a), DASHBOARD, _grow(world))
