"""The yearly mapping (kartlegging): one per municipality and year, last year as the start."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from municipalities.models import YearlyMapping
from municipalities.services import mapping_create, mapping_initial, mapping_update
from tests.municipalities.factories import MunicipalityFactory, YearlyMappingFactory
from tests.queries import assert_constant_queries


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC))


def history_url(m):
    return reverse("municipalities:mapping_list", args=[m.number])


def create_url(m):
    return reverse("municipalities:mapping_create", args=[m.number])


def detail_url(m):
    return reverse("municipalities:municipality_detail", args=[m.number])


def test_one_mapping_per_municipality_and_year(world):
    YearlyMappingFactory(municipality=world.muni_a, year=2026)
    with pytest.raises(ValidationError) as exc:
        mapping_create(municipality=world.muni_a, by=world.adviser, year=2026, data={})
    assert "year" in exc.value.message_dict
    mapping_create(municipality=world.muni_b, by=world.adviser, year=2026, data={})
    assert YearlyMapping.objects.count() == 2


def test_last_years_values_are_the_starting_point(world):
    YearlyMappingFactory(municipality=world.muni_a, year=2023, number_of_gps=5)
    YearlyMappingFactory(
        municipality=world.muni_a, year=2025, number_of_gps=14, notes="To nye fastleger"
    )
    YearlyMappingFactory(municipality=world.muni_b, year=2025, number_of_gps=99)

    initial, source = mapping_initial(municipality=world.muni_a, year=2026)

    assert source.year == 2025
    assert initial["number_of_gps"] == 14 and initial["notes"] == "To nye fastleger"
    assert initial["year"] == 2026
    assert mapping_initial(municipality=world.muni_a, year=2022) == ({"year": 2022}, None)


def test_managers_may_not_write_mappings(world):
    with pytest.raises(PermissionDenied):
        mapping_create(municipality=world.muni_a, by=world.manager_a, year=2026, data={})
    mapping = YearlyMappingFactory(municipality=world.muni_a)
    with pytest.raises(PermissionDenied):
        mapping_update(mapping=mapping, by=world.manager_a, data={"number_of_gps": 1})


def test_the_create_form_is_pre_filled_from_last_year(world, client_for, today):
    YearlyMappingFactory(municipality=world.muni_a, year=2025, number_of_gps=14)

    response = client_for(world.adviser).get(create_url(world.muni_a))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["year"] == 2026 and form.initial["number_of_gps"] == 14
    assert "2025" in response.content.decode()


def test_the_create_form_takes_the_year_from_the_address(world, client_for, today):
    YearlyMappingFactory(municipality=world.muni_a, year=2023, number_of_alis=1)
    response = client_for(world.adviser).get(create_url(world.muni_a), {"year": "2024"})
    assert response.context["form"].initial["year"] == 2024
    assert response.context["form"].initial["number_of_alis"] == 1


def test_saving_a_new_year(world, client_for, today):
    response = client_for(world.adviser).post(
        create_url(world.muni_a),
        {
            "year": "2026",
            "gp_organisation": "mixed",
            "number_of_gps": "14",
            "number_of_alis": "3",
            "supervisor_capacity": "2",
            "notes": "Ny legevakt",
        },
    )
    assert response.status_code == 302 and response["Location"].startswith(detail_url(world.muni_a))
    mapping = YearlyMapping.objects.get()
    assert (mapping.year, mapping.number_of_alis, mapping.updated_by) == (2026, 3, world.adviser)


def test_a_year_already_mapped_is_shown_beside_the_year(world, client_for, today):
    YearlyMappingFactory(municipality=world.muni_a, year=2026)
    response = client_for(world.adviser).post(
        create_url(world.muni_a), {"year": "2026", "number_of_gps": "-1"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["year"] and errors["number_of_gps"]
    assert YearlyMapping.objects.count() == 1


def test_editing_a_mapping_keeps_its_year(world, client_for):
    mapping = YearlyMappingFactory(municipality=world.muni_a, year=2025)
    url = reverse("municipalities:mapping_update", args=[mapping.pk])
    client = client_for(world.adviser)
    assert client.get(url).status_code == 200

    response = client.post(url, {"year": "1999", "number_of_gps": "20", "notes": "Rettet"})

    assert response.status_code == 302
    mapping.refresh_from_db()
    assert (mapping.year, mapping.number_of_gps, mapping.notes) == (2025, 20, "Rettet")


def test_the_municipality_page_shows_the_latest_year(world, client_for):
    YearlyMappingFactory(municipality=world.muni_a, year=2024, notes="Eldre")
    YearlyMappingFactory(municipality=world.muni_a, year=2025, notes="Nyeste kartlegging")

    for persona in ["adviser", "manager_a"]:
        response = client_for(world.user(persona)).get(detail_url(world.muni_a))
        html = response.content.decode()
        assert response.context["mapping"].year == 2025
        assert "Nyeste kartlegging" in html and history_url(world.muni_a) in html
        assert (create_url(world.muni_a) in html) == (persona == "adviser")


def test_managers_read_the_history(world, client_for):
    YearlyMappingFactory(municipality=world.muni_a, year=2024)
    newest = YearlyMappingFactory(municipality=world.muni_a, year=2025)
    update = reverse("municipalities:mapping_update", args=[newest.pk])

    response = client_for(world.manager_a).get(history_url(world.muni_a))

    assert response.status_code == 200
    assert [m.year for m in response.context["mappings"]] == [2025, 2024]
    assert update not in response.content.decode()
    assert update in client_for(world.adviser).get(history_url(world.muni_a)).content.decode()


def test_history_query_count_stays_constant(world, client_for):
    YearlyMappingFactory(municipality=world.muni_a, year=2000, updated_by=world.adviser)

    def grow():
        for year in range(2001, 2011):
            YearlyMappingFactory(municipality=world.muni_a, year=year, updated_by=world.adviser)
        YearlyMappingFactory(municipality=MunicipalityFactory(region=world.region))

    assert_constant_queries(client_for(world.adviser), history_url(world.muni_a), grow)
