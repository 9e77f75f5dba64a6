import datetime

import factory

from alis_agreements.models import AgreementTemplate, TemplateKind, TemplateVersion
from partners.models import (
    Arrangement,
    ArrangementParty,
    ArrangementPlaces,
    PartyStatus,
    Posting,
    PostingKind,
)
from tests.alis_agreements.factories import PositionFactory
from tests.municipalities.factories import MunicipalityFactory, PartnerFactory, RegionFactory

BODY = (
    "<h1>{{ name }}</h1><p>{{ institution }}</p>"
    "{% for m in municipalities %}<p>{{ m.name }} {{ m.joined_on|date:'d.m.Y' }}</p>{% endfor %}"
    "{% for o in objectives %}<p>{{ o.code }}</p>{% endfor %}"
    "{% for p in places %}<p>{{ p.year }}: {{ p.places }}</p>{% endfor %}"
)


class InstitutionTemplateVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateVersion

    template = factory.LazyFunction(
        lambda: AgreementTemplate.objects.get_or_create(
            name="Institusjonstjeneste", defaults={"kind": TemplateKind.INSTITUTION_SERVICE}
        )[0]
    )
    number = factory.Sequence(lambda n: n + 1)
    body = BODY


class ArrangementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Arrangement

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Institusjonstjeneste {n}")
    institution = factory.SubFactory(PartnerFactory, region=factory.SelfAttribute("..region"))
    template_version = factory.SubFactory(InstitutionTemplateVersionFactory)
    valid_from = datetime.date(2021, 9, 1)


class ArrangementPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArrangementParty

    arrangement = factory.SubFactory(ArrangementFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    status = PartyStatus.JOINED
    joined_on = datetime.date(2021, 9, 1)


class ArrangementPlacesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArrangementPlaces

    arrangement = factory.SubFactory(ArrangementFactory)
    year = 2026
    places = 4


class PostingFactory(factory.django.DjangoModelFactory):
    """An ALIS position of a municipality, posted."""

    class Meta:
        model = Posting

    region = factory.SubFactory(RegionFactory)
    kind = PostingKind.ALIS_POSITION
    position = factory.SubFactory(
        PositionFactory, municipality=factory.SubFactory(MunicipalityFactory)
    )
    municipality = factory.SelfAttribute("position.municipality")
    place = "Sentrum legekontor"
    period_start = datetime.date(2027, 1, 1)
    percentage = 100
    contact_name = "Kari Kommuneoverlege"
    contact_email = "kommuneoverlege@kommune.example.no"
    deadline = datetime.date(2026, 12, 15)
