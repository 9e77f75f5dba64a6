import datetime

import factory

from alis_agreements.models import Employment, EmploymentForm, Leave, Position, PositionType
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
