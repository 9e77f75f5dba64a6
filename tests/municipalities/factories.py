import datetime

import factory

from municipalities.models import (
    Contact,
    County,
    FollowUpEntry,
    Municipality,
    NextAction,
    Partner,
    PartnerKind,
    Population,
    Practice,
    Region,
    RegistrationStatusChange,
    YearlyMapping,
)
from tests.accounts.factories import UserFactory


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "vest"
    name = "ALIS Vest"


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ["name"]

    number = "46"
    name = "Vestland"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    number = factory.Sequence(lambda n: f"{3000 + n % 6000:04d}")
    name = factory.Sequence(lambda n: f"Testkommune {n}")
    county = factory.SubFactory(CountyFactory)
    region = factory.SubFactory(RegionFactory)
    centrality_class = 4
    centrality_version = "2024"


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Population

    municipality = factory.SubFactory(MunicipalityFactory)
    year = 2025
    population = 5000


class RegistrationStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistrationStatusChange

    municipality = factory.SubFactory(MunicipalityFactory)
    status = "registered"
    date = datetime.date(2020, 3, 1)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Faker("name", locale="no_NO")
    function = Contact.Function.CHIEF_MEDICAL_OFFICER
    email = factory.Sequence(lambda n: f"kontakt{n}@kommune.example.no")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Helseforetak {n}")
    kind = PartnerKind.HEALTH_TRUST


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Legesenter {n}")
    ownership = Practice.Ownership.PRIVATE


class FollowUpEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpEntry

    municipality = factory.SubFactory(MunicipalityFactory)
    date = datetime.date(2026, 10, 1)
    kind = "meeting"
    summary = "Samarbeidsmøte om ALIS-stillinger"
    created_by = factory.SubFactory(UserFactory)


class NextActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NextAction

    entry = factory.SubFactory(FollowUpEntryFactory)
    description = "Send avtalemal"
    owner = factory.SubFactory(UserFactory)
    due_date = datetime.date(2026, 12, 1)


class YearlyMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YearlyMapping

    municipality = factory.SubFactory(MunicipalityFactory)
    year = 2025
    gp_organisation = YearlyMapping.Organisation.MIXED
    number_of_gps = 12
    number_of_alis = 2
    supervisor_capacity = 3
    notes = "Kartlegging"
