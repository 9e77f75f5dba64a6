"""Demo institution service and position board: the Helse Bergen arrangement the 2021 annual
report describes (most municipalities of its area joined, two not yet), places per year, and a
few open postings. Objectives are the example catalogue's ("Eksempel")."""

import datetime

from django.utils import timezone

from alis_agreements.models import AgreementTemplate, Position, TemplateKind, TemplateVersion
from education_plans.models import Objective
from municipalities.models import Municipality, Partner
from partners.models import Arrangement, ArrangementParty, ArrangementPlaces, PartyStatus, Posting

TEMPLATE_NAME = "Institusjonstjeneste i allmennmedisin (Helse Bergen-området)"
TEMPLATE_BODY = """<h1>Avtale om institusjonstjeneste i spesialistutdanningen i allmennmedisin</h1>
<p><strong>{{ name }}</strong></p>
<h2>Parter</h2>
<p>{{ institution }}{% if other_institutions %}, {{ other_institutions|join:", " }}{% endif %},
og kommunene som har sluttet seg til avtalen:</p>
<ul>{% for m in municipalities %}<li>{{ m.name }} kommune ({{ m.number }}), fra {{ m.joined_on|date:"j. F Y" }}</li>{% endfor %}</ul>
<h2>Formål</h2>
<p>Partene legger til rette for at leger i spesialisering i allmennmedisin (ALIS) kan gjennomføre
institusjonstjeneste, slik at læringsmålene for selektert pasientpopulasjon kan oppfylles:</p>
<ul>{% for o in objectives %}<li>{{ o.code }} {{ o.title }}</li>{% empty %}<li>Læringsmål avtales særskilt.</li>{% endfor %}</ul>
<h2>Plasser</h2>
<table>{% for p in places %}<tr><td>{{ p.year }}</td><td>{{ p.places }} plasser</td></tr>{% endfor %}</table>
<h2>Varighet</h2>
<p>Avtalen gjelder fra {{ valid_from|date:"j. F Y" }}{% if valid_to %} til {{ valid_to|date:"j. F Y" }}{% endif %}.</p>
<p>Eksempeltekst laget for demonstrasjon; den er ikke en gjeldende avtale.</p>
"""
JOINED = ["4601", "4627", "4626", "4631", "4630", "4624", "4623", "4628", "4629", "4632"]
NOT_YET = ["4633", "4634"]


def seed(demo):
    region = demo.region
    adviser = demo.people.get("adviser")
    template, created = AgreementTemplate.objects.get_or_create(
        name=TEMPLATE_NAME,
        defaults={
            "kind": TemplateKind.INSTITUTION_SERVICE,
            "is_default": True,
            "description": "Eksempel etter avtalemalen fra 2021.",
        },
    )
    if created:
        TemplateVersion.objects.create(
            template=template, number=1, body=TEMPLATE_BODY, created_by=adviser
        )
    helse_bergen = Partner.objects.filter(region=region, name="Helse Bergen HF").first()
    if helse_bergen and not Arrangement.objects.exists():
        _arrangement(region, helse_bergen, template.current_version(), adviser)
    if not Posting.objects.exists():
        _postings(demo, helse_bergen)


def _arrangement(region, helse_bergen, version, adviser):
    from partners.services import arrangement_sign

    arrangement = Arrangement.objects.create(
        region=region,
        name="Institusjonstjeneste i Helse Bergens område",
        institution=helse_bergen,
        template_version=version,
        valid_from=datetime.date(2021, 9, 1),
        created_by=adviser,
    )
    haraldsplass = Partner.objects.filter(region=region, name__startswith="Haraldsplass").first()
    if haraldsplass:
        arrangement.other_institutions.add(haraldsplass)
    arrangement.objectives.set(Objective.objects.filter(code__in=["EKS-ALM-11", "EKS-ALM-14"]))
    by_number = {m.number: m for m in Municipality.objects.filter(number__in=JOINED + NOT_YET)}
    for i, number in enumerate(JOINED):
        ArrangementParty.objects.create(
            arrangement=arrangement,
            municipality=by_number[number],
            status=PartyStatus.JOINED,
            joined_on=datetime.date(2021, 9, 1) + datetime.timedelta(days=30 * (i % 4)),
        )
    for number in NOT_YET:
        ArrangementParty.objects.create(arrangement=arrangement, municipality=by_number[number])
    this_year = timezone.localdate().year
    for year, places in [(2022, 3), (2023, 4), (2024, 4), (2025, 5), (this_year + 1, 6)]:
        ArrangementPlaces.objects.get_or_create(
            arrangement=arrangement, year=year, defaults={"places": places}
        )
    arrangement_sign(arrangement=arrangement, by=adviser, signed_on=datetime.date(2021, 8, 20))


def _postings(demo, helse_bergen):
    today = timezone.localdate()
    days = datetime.timedelta
    manager = demo.people.get("manager")
    position = (
        Position.objects.filter(municipality__number="4642")
        .exclude(status=Position.Status.ENDED)
        .first()
    )
    if position is not None:
        Posting.objects.create(
            region=demo.region,
            kind="alis_position",
            position=position,
            municipality=position.municipality,
            place="Lærdal legekontor",
            period_start=today + days(90),
            percentage=100,
            description="Fastlønnet ALIS-stilling med veiledning og fri etter legevakt.",
            contact_name="Kari Kommuneoverlege",
            contact_email="kommuneoverlege@laerdal.example",
            deadline=today + days(21),
            created_by=manager,
        )
    if helse_bergen is not None:
        for title, place, start, months, deadline in [
            ("Vikariat for ALIS, medisinsk avdeling", "Haukeland universitetssjukehus", 60, 6, 14),
            ("Vikariat for ALIS, psykiatri", "Sandviken", 120, 6, 45),
            ("Vikariat for ALIS, barneavdeling", "Haukeland universitetssjukehus", 30, 3, -5),
        ]:
            Posting.objects.create(
                region=demo.region,
                kind="institution_place",
                institution=helse_bergen,
                title=title,
                place=place,
                period_start=today + days(start),
                period_end=today + days(start + 30 * months),
                percentage=100,
                contact_name="Seksjon for utdanning, Helse Bergen",
                contact_email="utdanning@helse-bergen.example",
                deadline=today + days(deadline),
                created_by=demo.people.get("adviser"),
            )
