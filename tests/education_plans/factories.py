import datetime
from decimal import Decimal

import factory

from education_plans.models import (
    ActivityKind,
    Attestation,
    Catalogue,
    EducationPlan,
    GroupSupervisionPeriod,
    LearningActivity,
    LearningArena,
    Objective,
    ServicePeriod,
    SupervisionRelationship,
)
from education_plans.rules import ServiceType
from tests.accounts.factories import UserFactory
from tests.municipalities.factories import MunicipalityFactory


class CatalogueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Catalogue
        django_get_or_create = ["kind", "version"]

    kind = Catalogue.Kind.ALM
    version = "Eksempel 2019"
    valid_from = datetime.date(2019, 3, 1)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    catalogue = factory.SubFactory(CatalogueFactory)
    code = factory.Sequence(lambda n: f"ALM-{n:03d}")
    title = factory.Sequence(lambda n: f"Eksempel: læringsmål {n}")
    theme = "Eksempeltema"


class EducationPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EducationPlan

    alis = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    start_date = datetime.date(2022, 1, 1)


class ServicePeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePeriod

    plan = factory.SubFactory(EducationPlanFactory)
    service_type = ServiceType.OPEN_UNSELECTED
    arena = LearningArena.GP_PRACTICE
    place = "Eksempel legekontor"
    start_date = datetime.date(2022, 1, 1)
    percentage = 100


class SupervisionRelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionRelationship

    alis = factory.SubFactory(UserFactory)
    supervisor = factory.SubFactory(UserFactory)
    start_date = datetime.date(2022, 1, 1)


class LearningActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningActivity

    alis = factory.SubFactory(UserFactory)
    kind = ActivityKind.INDIVIDUAL_SUPERVISION
    date = datetime.date(2026, 1, 15)
    hours = Decimal(4)
    title = "Veiledning"


class GroupSupervisionPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupSupervisionPeriod

    alis = factory.SubFactory(UserFactory)
    title = "Veiledningsgruppe Sogn"
    start_date = datetime.date(2022, 1, 1)


class AttestationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attestation

    plan = factory.SubFactory(EducationPlanFactory)
    objective = factory.SubFactory(ObjectiveFactory)
    status = Attestation.Status.ATTESTED
