"""Institution-service arrangements: coverage, parties, places, the template and the frozen
PDF, and who sees and changes what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alis_agreements.models import TemplateKind
from municipalities.models import PartnerKind
from partners.models import Arrangement, ArrangementParty, PartyStatus, uncovered_municipalities
from partners.services import arrangement_save, arrangement_sign, party_save, places_set
from tests.alis_agreements.factories import default_template_version
from tests.education_plans.factories import ObjectiveFactory
from tests.municipalities.factories import MunicipalityFactory, PartnerFactory
from tests.partners.factories import (
    ArrangementFactory,
    ArrangementPartyFactory,
    ArrangementPlacesFactory,
    InstitutionTemplateVersionFactory,
)
from tests.queries import assert_constant_queries

D = datetime.date


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC))
    return D(2026, 11, 23)


@pytest.fixture
def arrangement(world):
    return ArrangementFactory(region=world.region, valid_from=D(2021, 9, 1))


# Coverage


def test_a_joined_municipality_is_covered_from_its_joining_date(world, arrangement):
    ArrangementPartyFactory(
        arrangement=arrangement, municipality=world.muni_a, joined_on=D(2022, 1, 1)
    )

    assert ArrangementParty.objects.covering(D(2022, 1, 1)).count() == 1
    assert not ArrangementParty.objects.covering(D(2021, 12, 31)).exists()


def test_not_yet_joined_and_left_municipalities_are_not_covered(world, arrangement):
    ArrangementPartyFactory(
        arrangement=arrangement,
        municipality=world.muni_a,
        status=PartyStatus.NOT_YET,
        joined_on=None,
    )
    ArrangementPartyFactory(
        arrangement=arrangement,
        municipality=world.muni_b,
        joined_on=D(2021, 9, 1),
        left_on=D(2023, 12, 31),
    )

    assert not ArrangementParty.objects.covering(D(2024, 1, 1)).exists()
    assert [p.municipality for p in ArrangementParty.objects.covering(D(2023, 12, 31))] == [
        world.muni_b
    ]


def test_an_arrangement_outside_its_period_covers_nobody(world):
    arrangement = ArrangementFactory(
        region=world.region, valid_from=D(2021, 9, 1), valid_to=D(2024, 8, 31)
    )
    ArrangementPartyFactory(arrangement=arrangement, municipality=world.muni_a)

    assert ArrangementParty.objects.covering(D(2024, 8, 31)).exists()
    assert not ArrangementParty.objects.covering(D(2024, 9, 1)).exists()


def test_municipalities_with_no_arrangement(world, arrangement):
    ArrangementPartyFactory(arrangement=arrangement, municipality=world.muni_a)
    ArrangementPartyFactory(
        arrangement=ArrangementFactory(region=world.region),
        municipality=world.muni_b,
        status=PartyStatus.NOT_YET,
        joined_on=None,
    )

    assert list(uncovered_municipalities(region_ids=[world.region.pk], on=D(2026, 1, 1))) == [
        world.muni_b
    ]


# Parties and places


def test_joining_needs_a_date_and_leaving_comes_after(world, arrangement):
    with pytest.raises(ValidationError):
        party_save(
            arrangement=arrangement, municipality=world.muni_a, by=world.adviser, status="joined"
        )
    with pytest.raises(ValidationError):
        party_save(
            arrangement=arrangement,
            municipality=world.muni_a,
            by=world.adviser,
            status="joined",
            joined_on=D(2022, 1, 1),
            left_on=D(2021, 1, 1),
        )
    assert not ArrangementParty.objects.exists()


def test_a_municipality_is_a_party_once_and_its_status_changes(world, arrangement):
    party_save(
        arrangement=arrangement, municipality=world.muni_a, by=world.adviser, status="not_yet"
    )
    party = party_save(
        arrangement=arrangement,
        municipality=world.muni_a,
        by=world.adviser,
        status="joined",
        joined_on=D(2022, 3, 1),
    )

    assert ArrangementParty.objects.get() == party
    assert party.status == PartyStatus.JOINED and party.joined_on == D(2022, 3, 1)


def test_a_municipality_of_another_region_cannot_join(world, arrangement):
    from tests.municipalities.factories import RegionFactory

    other = MunicipalityFactory(region=RegionFactory(code="nord", name="ALIS Nord"))
    with pytest.raises(ValidationError):
        party_save(arrangement=arrangement, municipality=other, by=world.adviser, status="not_yet")


def test_places_per_year(world, arrangement):
    places_set(arrangement=arrangement, by=world.adviser, year=2026, places=4)
    places_set(arrangement=arrangement, by=world.adviser, year=2026, places=5)
    places_set(arrangement=arrangement, by=world.adviser, year=2027, places=0)

    assert [(p.year, p.places) for p in arrangement.places.all()] == [(2026, 5)]


def test_only_the_regions_advisers_write(world, arrangement):
    with pytest.raises(PermissionDenied):
        party_save(
            arrangement=arrangement, municipality=world.muni_a, by=world.manager_a, status="not_yet"
        )
    with pytest.raises(PermissionDenied):
        places_set(arrangement=arrangement, by=world.manager_a, year=2026, places=3)


# The arrangement and its template


def test_arrangement_needs_an_institution_and_an_institution_service_template(world):
    ks = PartnerFactory(region=world.region, kind=PartnerKind.ASSOCIATION)
    helse_bergen = PartnerFactory(region=world.region, kind=PartnerKind.HEALTH_TRUST)
    template = InstitutionTemplateVersionFactory()
    common = {"by": world.adviser, "region": world.region, "name": "X", "valid_from": D(2026, 1, 1)}

    with pytest.raises(ValidationError):
        arrangement_save(institution=ks, template_version=template, **common)
    with pytest.raises(ValidationError):
        arrangement_save(
            institution=helse_bergen, template_version=default_template_version(), **common
        )
    objective = ObjectiveFactory(code="ALM-055")
    arrangement = arrangement_save(
        institution=helse_bergen, template_version=template, objectives=[objective], **common
    )
    assert list(arrangement.objectives.all()) == [objective]
    assert Arrangement.objects.count() == 1


def test_signing_freezes_the_pdf(world, arrangement, today):
    ArrangementPartyFactory(arrangement=arrangement, municipality=world.muni_a)
    ArrangementPlacesFactory(arrangement=arrangement, year=2026, places=4)

    arrangement_sign(arrangement=arrangement, by=world.adviser, signed_on=D(2021, 9, 1))

    arrangement.refresh_from_db()
    assert arrangement.is_signed and len(arrangement.pdf_sha256) == 64
    with arrangement.pdf.open("rb") as f:
        assert f.read(4) == b"%PDF"
    with pytest.raises(ValidationError):
        arrangement_save(
            by=world.adviser,
            region=world.region,
            arrangement=arrangement,
            name="Endret",
        )
    # Joining after the signing is still recorded.
    party_save(
        arrangement=arrangement,
        municipality=world.muni_b,
        by=world.adviser,
        status="joined",
        joined_on=D(2026, 1, 1),
    )


def test_the_template_kind_keeps_its_own_default(world):
    assert default_template_version().template.kind == TemplateKind.ALIS_AGREEMENT
    InstitutionTemplateVersionFactory()
    from alis_agreements.services import default_template_version as default_for

    assert default_for(TemplateKind.INSTITUTION_SERVICE) is None  # none is made default yet
    assert default_for().template.kind == TemplateKind.ALIS_AGREEMENT


# Scope


def test_managers_read_the_arrangements_of_their_municipality(world, arrangement):
    ArrangementPartyFactory(arrangement=arrangement, municipality=world.muni_a)

    assert list(Arrangement.objects.visible_to(world.manager_a)) == [arrangement]
    assert list(Arrangement.objects.visible_to(world.adviser)) == [arrangement]
    for person in (world.manager_b, world.alis_a, world.outsider):
        assert not Arrangement.objects.visible_to(person).exists()


# Views


def test_municipality_page_shows_its_arrangement(world, client_for, arrangement, today):
    ArrangementPartyFactory(arrangement=arrangement, municipality=world.muni_a)
    url = reverse("municipalities:municipality_detail", args=[world.muni_a.number])

    for person in (world.adviser, world.manager_a):
        html = client_for(person).get(url).content.decode()
        assert arrangement.name in html
    html = (
        client_for(world.adviser)
        .get(reverse("municipalities:municipality_detail", args=[world.muni_b.number]))
        .content.decode()
    )
    assert "Ingen avtale om institusjonstjeneste dekker Stavanger i dag." in html


def test_arrangement_list_shows_municipalities_with_none(world, client_for, arrangement, today):
    ArrangementPartyFactory(arrangement=arrangement, municipality=world.muni_a)

    response = client_for(world.adviser).get(reverse("partners:arrangement_list"))

    assert list(response.context["uncovered"]) == [world.muni_b]


@pytest.mark.parametrize("persona", ["manager_a", "alis_a", "outsider"])
def test_only_advisers_open_the_arrangement_list(world, client_for, persona):
    response = client_for(world.user(persona)).get(reverse("partners:arrangement_list"))

    assert response.status_code == 404


def test_adviser_adds_a_party_through_the_page(world, client_for, arrangement):
    response = client_for(world.adviser).post(
        reverse("partners:party_add", args=[arrangement.pk]),
        {"municipality": world.muni_a.pk, "status": "joined", "joined_on": "01.02.2022"},
    )

    assert response.status_code == 302
    assert arrangement.parties.get().joined_on == D(2022, 2, 1)


def test_arrangement_list_query_count_stays_constant(world, client_for, today):
    ArrangementFactory(region=world.region)

    def grow():
        for _n in range(10):
            arrangement = ArrangementFactory(region=world.region)
            ArrangementPartyFactory(
                arrangement=arrangement, municipality=MunicipalityFactory(region=world.region)
            )
            ArrangementPlacesFactory(arrangement=arrangement)

    assert_constant_queries(client_for(world.adviser), reverse("partners:arrangement_list"), grow)


def test_arrangement_detail_query_count_stays_constant(world, client_for, arrangement, today):
    ArrangementPartyFactory(arrangement=arrangement, municipality=world.muni_a)
    ArrangementPlacesFactory(arrangement=arrangement, year=2025)
    arrangement.objectives.add(ObjectiveFactory())

    def grow():
        for n in range(10):
            ArrangementPartyFactory(
                arrangement=arrangement, municipality=MunicipalityFactory(region=world.region)
            )
            ArrangementPlacesFactory(arrangement=arrangement, year=2030 + n)
            arrangement.objectives.add(ObjectiveFactory())

    assert_constant_queries(
        client_for(world.adviser),
        reverse("partners:arrangement_detail", args=[arrangement.pk]),
        grow,
    )
