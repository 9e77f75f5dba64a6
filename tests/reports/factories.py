"""A small region whose annual figures are known by hand (tests/reports/test_figures.py)."""

import datetime
from dataclasses import dataclass

from alis_agreements.models import AgreementStatus, EmploymentForm
from municipalities.models import RegistrationStatus
from tests.alis_agreements.factories import (
    AgreementFactory,
    AgreementMeasureFactory,
    EmploymentFactory,
    MeasureTypeFactory,
    PositionFactory,
)
from tests.municipalities.factories import (
    CountyFactory,
    FollowUpEntryFactory,
    MunicipalityFactory,
    RegionFactory,
    RegistrationStatusChangeFactory,
)

D = datetime.date


@dataclass
class Known:
    region: object
    early: object  # registered since 2019
    late: object  # not applied until 2023, registered then
    never: object  # never applied
    rogaland: object  # registered since 2019, in the other county


def known_region() -> Known:
    region = RegionFactory(code="nord", name="ALIS Nord")
    vestland = CountyFactory(number="46", name="Vestland")
    rogaland_county = CountyFactory(number="11", name="Rogaland")
    early = MunicipalityFactory(number="4601", name="Bergen", region=region, county=vestland)
    late = MunicipalityFactory(
        number="4645", name="Askvoll", region=region, county=vestland, centrality_class=6
    )
    never = MunicipalityFactory(
        number="4636", name="Solund", region=region, county=vestland, centrality_class=6
    )
    rogaland = MunicipalityFactory(
        number="1103", name="Stavanger", region=region, county=rogaland_county, centrality_class=1
    )
    for m in (early, rogaland):
        RegistrationStatusChangeFactory(
            municipality=m, status=RegistrationStatus.REGISTERED, date=D(2019, 3, 1)
        )
    RegistrationStatusChangeFactory(
        municipality=late,
        status=RegistrationStatus.NOT_APPLIED,
        date=D(2020, 1, 1),
        note="Usikker på kapasitet",
    )
    RegistrationStatusChangeFactory(
        municipality=late, status=RegistrationStatus.APPLIED, date=D(2022, 11, 1)
    )
    RegistrationStatusChangeFactory(
        municipality=late, status=RegistrationStatus.REGISTERED, date=D(2023, 3, 1)
    )
    return Known(region, early, late, never, rogaland)


def employ(municipality, start, end=None, form=EmploymentForm.FIXED_SALARY, **position):
    pos = PositionFactory(
        municipality=municipality, employment_form=form, start_date=start, **position
    )
    return EmploymentFactory(position=pos, start_date=start, end_date=end)


def agreement(employment, *, status, signed_on=None, sent_at=None, ended_on=None, **kwargs):
    """An agreement in a given state, written directly (no PDF rendering)."""
    extra = {}
    if status in (AgreementStatus.SIGNED, AgreementStatus.ENDED):
        extra = {"signed_on": signed_on, "pdf_sha256": "0" * 64}
    if status == AgreementStatus.ENDED:
        extra.update(ended_on=ended_on, end_reason=kwargs.pop("end_reason", "doctor_left"))
    return AgreementFactory(
        employment=employment, status=status, sent_at=sent_at, **extra, **kwargs
    )


def measure(agreement_, name, amount):
    return AgreementMeasureFactory(
        agreement=agreement_, measure_type=MeasureTypeFactory(name=name), amount=amount
    )


def meeting(municipality, day, kind="meeting"):
    return FollowUpEntryFactory(municipality=municipality, date=day, kind=kind)
