import datetime
from decimal import Decimal

import factory

from alis_agreements.models import (
    Agreement,
    AgreementMeasure,
    AgreementTemplate,
    Element,
    Employment,
    EmploymentForm,
    GrantRate,
    GrantScheme,
    GrantTable,
    Leave,
    MeasureType,
    Position,
    PositionType,
)
from tests.accounts.factories import UserFactory
from tests.municipalities.factories import MunicipalityFactory


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"ALIS-stilling {n}")
    employment_form = EmploymentForm.FIXED_SALARY
    position_type = PositionType.GP_WITH_LIST
    status = Position.Status.FILLED
    start_date = datetime.date(2023, 1, 1)


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    alis = factory.SubFactory(UserFactory)
    position = factory.SubFactory(PositionFactory)
    start_date = datetime.date(2023, 1, 1)
    percentage = 100


class LeaveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leave

    employment = factory.SubFactory(EmploymentFactory)
    kind = Leave.Kind.PARENTAL
    start_date = datetime.date(2024, 1, 1)
    end_date = datetime.date(2024, 3, 31)
    percentage = 100


class MeasureTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureType
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Tiltak {n}")
    element = Element.STANDARD
    measured_in = MeasureType.MeasuredIn.AMOUNT


def default_template_version():
    """The default template's newest version (the data migration made it)."""
    return AgreementTemplate.objects.get(is_default=True).current_version()


class AgreementFactory(factory.django.DjangoModelFactory):
    """A draft agreement for an employment, from the default template."""

    class Meta:
        model = Agreement

    employment = factory.SubFactory(EmploymentFactory)
    template_version = factory.LazyFunction(default_template_version)
    percentage = factory.LazyAttribute(lambda o: o.employment.percentage)
    start_date = factory.LazyAttribute(lambda o: o.employment.start_date)
    end_date = factory.LazyAttribute(lambda o: o.start_date.replace(year=o.start_date.year + 4))
    contact_name = "Kari Kommuneoverlege"
    contact_title = "Kommuneoverlege"


class AgreementMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementMeasure

    agreement = factory.SubFactory(AgreementFactory)
    measure_type = factory.SubFactory(MeasureTypeFactory)
    element = factory.LazyAttribute(lambda o: o.measure_type.element)
    amount = Decimal(50000)


def signed_agreement(employment=None, *, signed_on=None, **kwargs) -> Agreement:
    """A signed agreement as the services make one (frozen PDF and checksum), with one
    measure. Runs WeasyPrint: use it where a real signed agreement matters."""
    from alis_agreements import services

    employment = employment or EmploymentFactory()
    agreement = AgreementFactory(employment=employment, **kwargs)
    AgreementMeasureFactory(agreement=agreement)
    manager = _editor_for(employment.position.municipality)
    services.agreement_send(agreement=agreement, by=manager)
    return services.agreement_sign(
        agreement=agreement, by=manager, signed_on=signed_on or agreement.start_date
    )


def _editor_for(municipality):
    from accounts.models import Role
    from tests.accounts.factories import RoleAssignmentFactory

    return RoleAssignmentFactory(
        role=Role.MANAGER, municipality=municipality, valid_from=datetime.date(2000, 1, 1)
    ).user


class GrantSchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrantScheme
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Tilskuddsordning {n}")


class GrantTableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrantTable

    scheme = factory.SubFactory(GrantSchemeFactory)
    year = 2026
    special_centrality_classes = [5, 6]


class GrantRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrantRate

    table = factory.SubFactory(GrantTableFactory)
    element = Element.STANDARD
    label = "ALIS-avtale"
    amount = Decimal(240000)
