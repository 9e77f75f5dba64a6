"""Demo follow-up data for the 66 real municipalities: registration history, contacts,
practices, meetings and next actions. The people and their words are invented."""

import datetime

from accounts.models import Role
from municipalities.models import (
    Contact,
    FollowUpEntry,
    FollowUpKind,
    Municipality,
    NextAction,
    Practice,
    RegistrationStatus,
    RegistrationStatusChange,
    YearlyMapping,
)

FIRST = [
    "Kari",
    "Ingrid",
    "Ola",
    "Lars",
    "Marte",
    "Sigrid",
    "Eirik",
    "Nils",
    "Hilde",
    "Tone",
    "Bjørn",
    "Åse",
    "Øystein",
    "Solveig",
    "Trond",
    "Ragnhild",
    "Håkon",
    "Silje",
]
LAST = [
    "Haugland",
    "Nordstrøm",
    "Bakke",
    "Lid",
    "Sæbø",
    "Tveit",
    "Myklebust",
    "Rørvik",
    "Øvrebø",
    "Grønning",
    "Hatlevik",
    "Aase",
    "Vik",
    "Skår",
    "Fjære",
    "Brekke",
]
DEMO_MUNICIPALITY = "4642"  # Lærdal, a pilot municipality


def seed(demo):
    lærdal = Municipality.objects.get(number=DEMO_MUNICIPALITY)
    adviser = demo.person(
        "adviser", "radgiver@alisvest.example", "Anja", "Rådgiver", role=Role.ADVISER
    )
    demo.person("adviser2", "radgiver2@alisvest.example", "Odd", "Rådgiver", role=Role.ADVISER)
    manager = demo.person(
        "manager",
        "kommuneoverlege@laerdal.example",
        "Kari",
        "Kommuneoverlege",
        role=Role.MANAGER,
        municipality=lærdal,
    )
    demo.show("adviser", adviser)
    demo.show("municipal manager", manager)
    if RegistrationStatusChange.objects.exists():
        return
    rng = demo.rng
    municipalities = list(Municipality.objects.prefetch_related("predecessors").order_by("number"))
    not_applied = set(
        rng.sample([m.number for m in municipalities if (m.centrality_class or 0) >= 5], 12)
    )
    for m in municipalities:
        _registration_history(m, m.number in not_applied, rng)
        _contacts_and_practices(m, rng)
    for i, m in enumerate(rng.sample(municipalities, 40)):
        _follow_up(m, adviser, rng, i)
    for m in municipalities:
        if rng.random() < 0.6:
            YearlyMapping.objects.create(
                municipality=m,
                year=2025,
                gp_organisation=rng.choice(["private", "mixed", "fixed_salary"]),
                number_of_gps=rng.randint(2, 40),
                number_of_alis=rng.randint(0, 6),
                supervisor_capacity=rng.randint(0, 5),
                notes="Demo: kartlegging 2025.",
            )


def _registration_history(m, not_applied_2021, rng):
    merged = len(m.predecessors.all()) >= 2
    add = RegistrationStatusChange.objects.create
    if merged:
        add(
            municipality=m,
            status=RegistrationStatus.LOST_BY_MERGER,
            date=datetime.date(2020, 1, 1),
            note="Ny kommune fra 2020: registreringen falt bort ved sammenslåingen.",
        )
    if not_applied_2021:
        add(
            municipality=m,
            status=RegistrationStatus.NOT_APPLIED,
            date=datetime.date(2021, 12, 1),
            note="Liten kommune; usikker på om de kan ta imot ALIS.",
        )
        if rng.random() < 0.5:
            add(municipality=m, status=RegistrationStatus.APPLIED, date=datetime.date(2023, 4, 1))
            add(
                municipality=m,
                status=RegistrationStatus.REGISTERED,
                date=datetime.date(2023, 4, 1),
                note="Registrert fra søknadsdato.",
            )
        return
    applied = datetime.date(2021, rng.randint(1, 6), 1) if merged else datetime.date(2019, 3, 1)
    add(municipality=m, status=RegistrationStatus.APPLIED, date=applied)
    if rng.random() < 0.9:
        add(
            municipality=m,
            status=RegistrationStatus.REGISTERED,
            date=applied if not merged else applied + datetime.timedelta(days=rng.randint(30, 200)),
        )


def _contacts_and_practices(m, rng):
    slug = m.name.lower().replace("æ", "ae").replace("ø", "o").replace("å", "aa").replace(" ", "-")
    Contact.objects.create(
        municipality=m,
        name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        function=Contact.Function.CHIEF_MEDICAL_OFFICER,
        title="Kommuneoverlege",
        email=f"kommuneoverlege@{slug}.kommune.example",
        phone=f"55 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
    )
    Contact.objects.create(
        municipality=m,
        name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        function=Contact.Function.HEALTH_LEADER,
        title="Kommunalsjef helse",
        email=f"helse@{slug}.kommune.example",
    )
    Practice.objects.create(
        municipality=m, name=f"{m.name} legekontor", ownership=Practice.Ownership.MUNICIPAL
    )
    if rng.random() < 0.5:
        Practice.objects.create(
            municipality=m, name=f"{m.name} legesenter", ownership=Practice.Ownership.PRIVATE
        )


def _follow_up(m, adviser, rng, i):
    date = datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randint(0, 680))
    entry = FollowUpEntry.objects.create(
        municipality=m,
        date=date,
        kind=rng.choice([FollowUpKind.MEETING, FollowUpKind.DIGITAL_MEETING, FollowUpKind.PHONE]),
        participants=f"Kommuneoverlege, {adviser}",
        summary=rng.choice(
            [
                "Samarbeidsmøte: organisering av legetjenesten, antall ALIS og veilederkapasitet.",
                "Gjennomgang av ALIS-avtale og tilskuddsordning for neste år.",
                "Status for registrering som utdanningsvirksomhet og læringsarenaer.",
            ]
        ),
        created_by=adviser,
    )
    if i % 2 == 0:
        NextAction.objects.create(
            entry=entry,
            owner=adviser,
            description=rng.choice(
                [
                    "Send avtalemal",
                    "Følg opp søknad om registrering",
                    "Avtal nytt møte",
                    "Formidle kontakt med veileder",
                ]
            ),
            due_date=date + datetime.timedelta(days=rng.randint(7, 120)),
        )
