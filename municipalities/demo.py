"""Demo follow-up data for the 66 real municipalities: registration history, contacts,
practices, meetings and next actions. The people and their words are invented."""

import datetime

from django.utils import timezone

from accounts.models import Role
from municipalities.models import (
    Contact,
    County,
    FollowUpEntry,
    FollowUpKind,
    Municipality,
    NextAction,
    Partner,
    PartnerKind,
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
    adviser2 = demo.person(
        "adviser2", "radgiver2@alisvest.example", "Odd", "Rådgiver", role=Role.ADVISER
    )
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
    _partners(demo.region, adviser, adviser2, timezone.localdate())
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
    today = timezone.localdate()
    # Most municipalities met within the last year or so, as the office aims for; a few not.
    for i, m in enumerate(rng.sample([m for m in municipalities if m != lærdal], 56)):
        _follow_up(m, adviser if i % 3 else adviser2, rng, i, today)
    _lærdal_follow_up(lærdal, adviser, adviser2, today)
    for m in municipalities:
        if m != lærdal and rng.random() < 0.6:
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


def _follow_up(m, adviser, rng, i, today):
    # Dated back from the day the demo is made, so that it always looks like a live office:
    # old actions are done, a few are overdue, the rest are coming up.
    date = today - datetime.timedelta(days=rng.randint(3, 420))
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
        due = date + datetime.timedelta(days=rng.randint(7, 120))
        done = due < today - datetime.timedelta(days=21)
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
            due_date=due,
            done_at=_at_noon(due) if done else None,
            done_by=adviser if done else None,
        )


def _at_noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _lærdal_follow_up(m, adviser, adviser2, today):
    """The demo municipality gets a story: a year of meetings, done and open actions, and
    two years of mapping."""
    days = datetime.timedelta
    story = [
        (
            today - days(330),
            FollowUpKind.MEETING,
            "Kommuneoverlege, helsesjef, Anja Rådgiver",
            "Oppstartsmøte: legetjenesten har fem fastleger og to ALIS. Ønsker hjelp med "
            "ALIS-avtale etter ny mal og med veilederkapasitet.",
            [("Send ny avtalemal fra Helsedirektoratet", adviser, days(14), True)],
        ),
        (
            today - days(150),
            FollowUpKind.DIGITAL_MEETING,
            "Kommuneoverlege, Odd Rådgiver",
            "Gjennomgang av tilskuddsordningen og søknadsfrister. Kommunen vurderer en tredje "
            "ALIS-stilling fra neste år.",
            [
                ("Sende oversikt over tilskuddssatser", adviser2, days(10), True),
                ("Formidle kontakt med veileder i Årdal", adviser, days(60), True),
            ],
        ),
        (
            today - days(20),
            FollowUpKind.PHONE,
            "Kommuneoverlege",
            "Telefon om utlysning av ny ALIS-stilling og gruppeveiledning i Sogn.",
            [
                ("Avtal samarbeidsmøte med helseleder", adviser, days(14), False),
                ("Sjekk plass i veiledningsgruppe Sogn", adviser, days(35), False),
                ("Sende eksempel på utlysningstekst", adviser2, days(30), False),
            ],
        ),
    ]
    for year, gps, alis, capacity, notes in [
        (2024, 5, 1, 1, "Én veileder med emnekurs; ALIS nr. to starter høsten 2024."),
        (2025, 5, 2, 2, "To ALIS i fastlønnsstillinger; ny veileder har tatt emnekurs."),
    ]:
        YearlyMapping.objects.create(
            municipality=m,
            year=year,
            gp_organisation=YearlyMapping.Organisation.FIXED_SALARY,
            gp_organisation_note="Kommunalt legekontor, interkommunal legevakt med Aurland.",
            number_of_gps=gps,
            number_of_alis=alis,
            supervisor_capacity=capacity,
            notes=notes,
            updated_by=adviser,
        )
    for date, kind, participants, summary, actions in story:
        entry = FollowUpEntry.objects.create(
            municipality=m,
            date=date,
            kind=kind,
            participants=participants,
            summary=summary,
            created_by=adviser,
        )
        for description, owner, after, done in actions:
            due = date + after
            NextAction.objects.create(
                entry=entry,
                owner=owner,
                description=description,
                due_date=due,
                done_at=_at_noon(due) if done else None,
                done_by=owner if done else None,
            )


# The partners named in the office's 2021 annual report (data/…/seeds: "Årsrapport 2021").
PARTNERS = [
    (
        "Helsedirektoratet",
        PartnerKind.DIRECTORATE,
        None,
        "Oppdragsgiver; faste møter med ALIS-kontorene.",
    ),
    ("Statsforvalteren i Vestland", PartnerKind.COUNTY_GOVERNOR, "Vestland", ""),
    ("Statsforvalteren i Rogaland", PartnerKind.COUNTY_GOVERNOR, "Rogaland", ""),
    (
        "Helse Vest RHF",
        PartnerKind.HEALTH_TRUST,
        None,
        "Portal for midlertidige stillinger i institusjonstjenesten.",
    ),
    (
        "Helse Bergen HF",
        PartnerKind.HEALTH_TRUST,
        "Vestland",
        "Avtalemal for institusjonstjeneste (ALM 055 og 085).",
    ),
    ("Helse Stavanger HF", PartnerKind.HEALTH_TRUST, "Rogaland", ""),
    ("Haraldsplass Diakonale Sykehus", PartnerKind.PRIVATE_INSTITUTION, "Vestland", ""),
    (
        "RegUt Vest (Regionalt senter for utdanning av leger i spesialisering)",
        PartnerKind.OTHER,
        "Vestland",
        "",
    ),
    ("Legeforeningen – spesialitetskomiteen i allmennmedisin", PartnerKind.ASSOCIATION, None, ""),
    ("Norsk forening for allmennmedisin", PartnerKind.ASSOCIATION, None, ""),
    ("Legeforeningen – ALIS-utvalget", PartnerKind.ASSOCIATION, None, ""),
    ("KS", PartnerKind.ASSOCIATION, None, ""),
    ("SKIL – Senter for kvalitet i legekontor", PartnerKind.OTHER, None, ""),
    ("ALIS Nord", PartnerKind.ALIS_OFFICE, None, ""),
    ("ALIS Midt", PartnerKind.ALIS_OFFICE, None, ""),
    ("ALIS Sør", PartnerKind.ALIS_OFFICE, None, "Ledet kurskomiteen for ALIS-konferansen 2021."),
    ("ALIS Øst", PartnerKind.ALIS_OFFICE, None, ""),
    ("Universitetet i Bergen", PartnerKind.UNIVERSITY, "Vestland", ""),
]


def _partners(region, adviser, adviser2, today):
    """The partners, and (once) a few meetings with them: the 2021 ones of the report and
    recent ones with next actions."""
    counties = {c.name: c for c in County.objects.all()}
    partners = {}
    for name, kind, county, description in PARTNERS:
        partners[name], _created = Partner.objects.get_or_create(
            region=region,
            name=name,
            defaults={"kind": kind, "county": counties.get(county), "description": description},
        )
    if FollowUpEntry.objects.filter(partner__isnull=False).exists():
        return
    days = datetime.timedelta
    meetings = [
        (
            "Statsforvalteren i Vestland",
            datetime.date(2021, 10, 27),
            FollowUpKind.DIGITAL_MEETING,
            "Kontaktmøte med representanter fra Statsforvalteren i Rogaland og Vestland.",
            [],
        ),
        (
            "Statsforvalteren i Rogaland",
            datetime.date(2021, 10, 27),
            FollowUpKind.DIGITAL_MEETING,
            "Kontaktmøte med representanter fra Statsforvalteren i Rogaland og Vestland.",
            [],
        ),
        (
            "Helse Bergen HF",
            datetime.date(2021, 5, 12),
            FollowUpKind.MEETING,
            "Arbeidsmøte om avtalemal for institusjonstjeneste sammen med kommunene.",
            [],
        ),
        (
            "RegUt Vest (Regionalt senter for utdanning av leger i spesialisering)",
            datetime.date(2021, 9, 8),
            FollowUpKind.DIGITAL_MEETING,
            "Presentasjon av ALIS Vest og mandatet vårt.",
            [],
        ),
        (
            "ALIS Sør",
            datetime.date(2021, 6, 2),
            FollowUpKind.DIGITAL_MEETING,
            "Arbeidsgruppe for den nasjonale ALIS-konferansen 21. oktober.",
            [],
        ),
        (
            "Helsedirektoratet",
            datetime.date(2021, 11, 30),
            FollowUpKind.DIGITAL_MEETING,
            "Fast møte mellom ALIS-kontorene og Helsedirektoratet.",
            [],
        ),
        (
            "Helse Vest RHF",
            today - days(40),
            FollowUpKind.MEETING,
            "Utlysning av midlertidige stillinger i institusjonstjenesten på stillingstavla.",
            [("Sende oversikt over plasser for neste år", adviser, today + days(10))],
        ),
        (
            "Helse Bergen HF",
            today - days(20),
            FollowUpKind.DIGITAL_MEETING,
            "Evaluering av avtalen om institusjonstjeneste; to kommuner har ikke sluttet seg til.",
            [
                ("Kontakte kommunene som ikke har sluttet seg til", adviser, today - days(2)),
                ("Oppdatere plasstallet for neste år", adviser2, today + days(30)),
            ],
        ),
        (
            "KS",
            today - days(70),
            FollowUpKind.EMAIL,
            "Innspill til fastlegeordningen og ALIS-tilskudd.",
            [],
        ),
    ]
    for name, date, kind, summary, actions in meetings:
        entry = FollowUpEntry.objects.create(
            partner=partners[name], date=date, kind=kind, summary=summary, created_by=adviser
        )
        for description, owner, due in actions:
            NextAction.objects.create(
                entry=entry, owner=owner, description=description, due_date=due
            )
