"""Grant estimates from the advisers' rate tables: proration by position percentage and
months, no grant before signing, the scheme that applies each year, and the summary a
municipality uses for its application."""

import datetime
import io
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from alis_agreements import grants
from alis_agreements.models import Agreement, AgreementStatus, Element, GrantScheme, GrantTable
from alis_agreements.services import grant_schemes_import
from tests.alis_agreements.factories import (
    AgreementFactory,
    AgreementMeasureFactory,
    EmploymentFactory,
    GrantRateFactory,
    GrantSchemeFactory,
    GrantTableFactory,
    LeaveFactory,
    MeasureTypeFactory,
    PositionFactory,
)
from tests.municipalities.factories import MunicipalityFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def kroner(value) -> Decimal:
    return Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)


@pytest.fixture
def municipality():
    return MunicipalityFactory(number="4642", name="Lærdal", centrality_class=5)


@pytest.fixture
def pilot(municipality):
    """The pilot's economy: kr 250 000 per ALIS-year less the municipal share of kr 50 000."""
    scheme = GrantSchemeFactory(name="Pilot")
    scheme.municipalities.add(municipality)
    for year in (2021, 2022):
        table = GrantTableFactory(
            scheme=scheme, year=year, municipal_share=Decimal(50000), special_centrality_classes=[]
        )
        GrantRateFactory(table=table, label="Tilskudd per ALIS", amount=Decimal(250000))
    return scheme


def agreement(municipality, *, start, end, signed_on=None, percentage=100, **position):
    employment = EmploymentFactory(
        position=PositionFactory(municipality=municipality, start_date=D(2015, 1, 1), **position),
        start_date=start,
        percentage=Decimal(percentage),
    )
    item = AgreementFactory(
        employment=employment,
        start_date=start,
        end_date=end,
        percentage=Decimal(percentage),
    )
    if signed_on:
        Agreement.objects.filter(pk=item.pk).update(
            status=AgreementStatus.SIGNED, signed_on=signed_on, pdf_sha256="0" * 64
        )
        item.refresh_from_db()
    AgreementMeasureFactory(agreement=item)
    return Agreement.objects.with_details().get(pk=item.pk)


def estimate(item, year):
    return grants.estimate(item, year, grants.load_tables([year]))


def test_a_full_year_at_full_time_in_the_pilot_is_200_000_net(municipality, pilot):
    item = agreement(
        municipality, start=D(2021, 1, 1), end=D(2022, 12, 31), signed_on=D(2021, 1, 1)
    )
    result = estimate(item, 2021)
    assert (result.gross, result.municipal_share, result.net) == (250000, 50000, 200000)
    assert result.fte_months == 12


def test_part_time_prorates_the_grant_and_the_share(municipality, pilot):
    item = agreement(
        municipality,
        start=D(2021, 1, 1),
        end=D(2022, 12, 31),
        signed_on=D(2021, 1, 1),
        percentage=60,
    )
    result = estimate(item, 2021)
    assert (result.gross, result.municipal_share, result.net) == (150000, 30000, 120000)


def test_part_of_a_year(municipality, pilot):
    item = agreement(municipality, start=D(2021, 7, 1), end=D(2022, 3, 31), signed_on=D(2021, 6, 1))
    assert estimate(item, 2021).net == 100000  # July–December
    assert estimate(item, 2022).net == 50000  # January–March


def test_no_grant_before_the_signing_date(municipality, pilot):
    item = agreement(
        municipality, start=D(2021, 1, 1), end=D(2022, 12, 31), signed_on=D(2021, 3, 15)
    )
    result = estimate(item, 2021)
    months = Decimal(17) / 31 + 9  # 15–31 March, then April–December
    assert result.start == D(2021, 3, 15)
    assert result.gross == kroner(Decimal(250000) * months / 12)
    assert result.net == result.gross - kroner(Decimal(50000) * months / 12)


def test_an_unsigned_agreement_has_no_grant_unless_asked_to_assume_it_is_signed(
    municipality, pilot
):
    item = agreement(municipality, start=D(2021, 1, 1), end=D(2022, 12, 31))
    assert estimate(item, 2021).net == 0
    assert "signing date" in estimate(item, 2021).notes[0]
    assumed = grants.estimate(item, 2021, grants.load_tables([2021]), assume_signed=True)
    assert assumed.net == 200000


def test_the_scheme_changes_between_years(municipality, pilot):
    national = GrantSchemeFactory(name="Nasjonal ALIS og veiledning")
    for year in (2022, 2023):
        table = GrantTableFactory(scheme=national, year=year, special_centrality_classes=[6])
        GrantRateFactory(
            table=table,
            label="ALIS-avtale",
            position_type="gp_with_list",
            min_percentage=Decimal(80),
            amount=Decimal(180000),
            prorate_by_percentage=False,
        )
    item = agreement(
        municipality, start=D(2022, 1, 1), end=D(2023, 12, 31), signed_on=D(2022, 1, 1)
    )
    in_2022, in_2023 = estimate(item, 2022), estimate(item, 2023)
    # 2022: the pilot's own table wins for a pilot municipality; 2023: the pilot is over.
    assert (in_2022.table.scheme, in_2022.net) == (pilot, 200000)
    assert (in_2023.table.scheme, in_2023.net, in_2023.municipal_share) == (national, 180000, 0)
    other = MunicipalityFactory(name="Ikke pilot")
    elsewhere = agreement(other, start=D(2022, 1, 1), end=D(2022, 12, 31), signed_on=D(2022, 1, 1))
    assert estimate(elsewhere, 2022).table.scheme == national


def test_rates_change_between_years_of_one_scheme(municipality, pilot):
    table = GrantTable.objects.get(scheme=pilot, year=2022)
    table.rates.update(amount=Decimal(300000))
    item = agreement(municipality, start=D(2021, 7, 1), end=D(2022, 6, 30), signed_on=D(2021, 7, 1))
    assert estimate(item, 2021).gross == 125000
    assert estimate(item, 2022).gross == 150000


def test_fixed_amounts_by_position_share(municipality):
    table = GrantTableFactory(year=2024, special_centrality_classes=[6])
    for share, amount in ((80, 200000), (50, 120000)):
        GrantRateFactory(
            table=table,
            label="ALIS-avtale",
            position_type="gp_with_list",
            min_percentage=Decimal(share),
            amount=Decimal(amount),
            prorate_by_percentage=False,
        )
    GrantRateFactory(
        table=table,
        label="ALIS-avtale",
        position_type="locum",
        min_percentage=Decimal(50),
        amount=Decimal(150000),
        prorate_by_percentage=False,
    )

    def net(percentage, position_type="gp_with_list"):
        item = agreement(
            municipality,
            start=D(2024, 1, 1),
            end=D(2024, 12, 31),
            signed_on=D(2024, 1, 1),
            percentage=percentage,
            position_type=position_type,
        )
        return estimate(item, 2024).net

    assert net(100) == 200000
    assert net(80) == 200000
    assert net(60) == 120000
    assert net(40) == 0  # below every band: no rate
    assert net(60, "locum") == 150000


def test_additional_elements_need_special_recruitment_challenges_and_such_measures():
    table = GrantTableFactory(year=2024, special_centrality_classes=[6])
    GrantRateFactory(table=table, label="ALIS-avtale", amount=Decimal(100000))
    GrantRateFactory(
        table=table, element=Element.ADDITIONAL, label="Tilleggselementer", amount=Decimal(60000)
    )
    guarantee = MeasureTypeFactory(name="Inntektsgaranti", element=Element.ADDITIONAL)

    def result(centrality, with_additional):
        place = MunicipalityFactory(centrality_class=centrality)
        item = agreement(place, start=D(2024, 1, 1), end=D(2024, 12, 31), signed_on=D(2024, 1, 1))
        if with_additional:
            AgreementMeasureFactory(agreement=item, measure_type=guarantee)
            item = Agreement.objects.with_details().get(pk=item.pk)
        return estimate(item, 2024)

    assert result(6, True).by_element(Element.ADDITIONAL) == 60000
    assert result(6, False).by_element(Element.ADDITIONAL) == 0
    central = result(3, True)
    assert central.by_element(Element.ADDITIONAL) == 0
    assert central.gross == 100000
    assert "centrality class 3" in central.notes[0]


def test_no_grant_through_a_temp_agency_when_the_table_says_so(municipality):
    table = GrantTableFactory(year=2025, excludes_temp_agency=True)
    GrantRateFactory(table=table, amount=Decimal(100000))
    item = agreement(
        municipality, start=D(2025, 1, 1), end=D(2025, 12, 31), signed_on=D(2025, 1, 1)
    )
    assert estimate(item, 2025).net == 100000
    item.employment.via_temp_agency = True
    item.employment.save()
    result = estimate(item, 2025)
    assert result.net == 0
    assert "temp agency" in result.notes[0]


def test_leave_is_not_paid_for(municipality, pilot):
    item = agreement(
        municipality, start=D(2021, 1, 1), end=D(2021, 12, 31), signed_on=D(2021, 1, 1)
    )
    LeaveFactory(
        employment=item.employment,
        start_date=D(2021, 4, 1),
        end_date=D(2021, 6, 30),
        percentage=Decimal(100),
    )
    item = Agreement.objects.with_details().get(pk=item.pk)
    assert estimate(item, 2021).net == 150000  # nine months


def test_no_table_for_the_year_is_said_so(municipality):
    item = agreement(
        municipality, start=D(2030, 1, 1), end=D(2030, 12, 31), signed_on=D(2030, 1, 1)
    )
    result = estimate(item, 2030)
    assert result.net == 0 and "no grant rate table" in result.notes[0]


def test_the_municipality_summary_adds_up_signed_agreements_and_lists_pending_ones(
    municipality, pilot
):
    agreement(municipality, start=D(2021, 1, 1), end=D(2022, 12, 31), signed_on=D(2021, 1, 1))
    agreement(
        municipality,
        start=D(2021, 7, 1),
        end=D(2022, 12, 31),
        signed_on=D(2021, 7, 1),
        percentage=50,
    )
    agreement(municipality, start=D(2021, 9, 1), end=D(2022, 12, 31))  # a draft
    agreement(
        MunicipalityFactory(), start=D(2021, 1, 1), end=D(2021, 12, 31), signed_on=D(2021, 1, 1)
    )
    agreements = Agreement.objects.filter(employment__position__municipality=municipality)
    summary = grants.municipality_summary(
        municipality, 2021, agreements.for_grant_year(2021).with_details()
    )
    assert len(summary.signed) == 2 and len(summary.pending) == 1
    assert summary.net == 200000 + 50000
    assert summary.municipal_share == 50000 + 12500
    # Grant and share are each rounded to whole kroner before the share is deducted.
    assert summary.pending_net == kroner(Decimal(250000) * 4 / 12) - kroner(Decimal(50000) * 4 / 12)


def test_the_initial_tables_load_once_and_leave_the_advisers_changes_alone():
    for number in ("4601", "4642"):
        MunicipalityFactory(number=number)
    data = json.loads(Path("data/grant_schemes.json").read_text(encoding="utf-8"))
    first = grant_schemes_import(data=data)
    assert first.schemes == 2 and first.tables == 6 + 5
    pilot = GrantScheme.objects.get(name="ALIS-Vest-piloten")
    assert set(pilot.municipalities.values_list("number", flat=True)) == {"4601", "4642"}
    table = GrantTable.objects.get(scheme=pilot, year=2020)
    assert (table.municipal_share, table.rates.get().amount) == (50000, 250000)
    national = GrantTable.objects.filter(scheme__name="Nasjonal ALIS og veiledning")
    assert all(t.is_example for t in national)

    table.rates.update(amount=Decimal(260000))
    out = io.StringIO()
    call_command("import_grant_schemes", stdout=out)
    assert "0 schemes and 0 rate tables" in out.getvalue()
    assert table.rates.get().amount == 260000
