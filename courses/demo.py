"""Demo courses of ALIS Vest in 2026–2027: the 18-hour supervisor course module in Bergen,
Stavanger and Førde, train-the-trainers, the regional digital gathering, the ALIS conference
and a one-day course for ALIS that is full with a waiting list. Events over by the day of
seeding have attendance, and some their certificates; nobody is e-mailed. People without an account and their
addresses are invented."""

import datetime
import zoneinfo
from decimal import Decimal

from django.utils import timezone

from courses import services
from courses.models import (
    Course,
    CourseEvent,
    CourseKind,
    EventSession,
    Registration,
)

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
GUESTS = [
    ("Marte Sæbø", "Askøy legesenter"),
    ("Lars Tveit", "Voss legesenter"),
    ("Hilde Myklebust", "Stord legesenter"),
    ("Eirik Rørvik", "Sandnes legevakt"),
    ("Solveig Øvrebø", "Førde legekontor"),
    ("Trond Hatlevik", "Bømlo legesenter"),
    ("Ragnhild Skår", "Haugesund legesenter"),
    ("Håkon Fjære", "Sola legesenter"),
    ("Silje Brekke", "Os legesenter"),
    ("Nils Grønning", "Gulen legekontor"),
    ("Åse Vik", "Årdal legesenter"),
    ("Bjørn Lid", "Masfjorden legekontor"),
]
EMNEKURS = "Emnekurs i individuell veiledning og supervisjon for allmennleger"


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=OSLO)


def _guest(index: int) -> dict:
    name, organisation = GUESTS[index % len(GUESTS)]
    email = name.lower().replace(" ", ".").translate(str.maketrans("æøå", "aoa"))
    return {"name": name, "email": f"{email}@legesenter.example", "organisation": organisation}


def seed(demo):
    adviser = demo.people["adviser"]
    courses = {
        key: Course.objects.get_or_create(
            region=demo.region, title=title, defaults={"kind": kind, **extra}
        )[0]
        for key, title, kind, extra in [
            (
                "emnekurs",
                EMNEKURS,
                CourseKind.SUPERVISOR_COURSE,
                {
                    "hours": Decimal(18),
                    "target_group": "Veiledere for ALIS og leger som vil bli veiledere",
                    "description": (
                        "Emnekurset (18 timer) gir grunnlaget for å være individuell veileder "
                        "for leger i spesialisering i allmennmedisin: veiledningsmetoder, "
                        "veiledningsavtale, vurdering og tilbakemelding, og supervisjon i "
                        "klinisk arbeid. Kurset går over tre dager med egenarbeid mellom."
                    ),
                },
            ),
            (
                "trainers",
                "Train the trainers: kursholdere i veiledning",
                CourseKind.TRAIN_THE_TRAINERS,
                {
                    "hours": Decimal(20),
                    "target_group": "Erfarne veiledere som skal holde emnekurs",
                    "description": "Utdanning av kursholdere som skal holde emnekurs for "
                    "individuelle veiledere, sammen med de andre ALIS-kontorene.",
                },
            ),
            (
                "gathering",
                "Regional digital samling for Vestland og Rogaland",
                CourseKind.REGIONAL_GATHERING,
                {
                    "hours": Decimal(3),
                    "target_group": "Kommuneoverleger, helseledere, ALIS og veiledere",
                    "description": "Hva ALIS Vest kan bistå kommunene med, ny "
                    "spesialiseringsordning, tilskuddsordninger og avtalemaler, og "
                    "erfaringsutveksling mellom kommunene.",
                },
            ),
            (
                "conference",
                "ALIS-konferansen",
                CourseKind.CONFERENCE,
                {
                    "hours": Decimal(12),
                    "target_group": "ALIS, veiledere, kommuner og samarbeidspartnere",
                    "description": "Den årlige ALIS-konferansen, fysisk og digitalt.",
                },
            ),
            (
                "fkm",
                "Fagdag for ALIS: felles kompetansemål",
                CourseKind.OTHER,
                {
                    "hours": Decimal(6),
                    "target_group": "ALIS",
                    "description": "Læringsaktiviteter for de felles kompetansemålene "
                    "(FKM): kommunikasjon, samhandling, kvalitet og pasientsikkerhet.",
                },
            ),
        ]
    }
    alis, alis2 = demo.people["alis"], demo.people["alis2"]
    supervisor, leader = demo.people["supervisor"], demo.people["group_leader"]
    manager = demo.people["manager"]
    D = datetime.date
    events = [
        # (course, title, days, format, capacities, place, people, certificates, published)
        (
            "emnekurs",
            "vår 2026, Bergen",
            [D(2026, 3, 10), D(2026, 3, 11), D(2026, 3, 12)],
            "physical",
            (16, None),
            "Bergen legevakt, Vestre Strømkaien 19, Bergen",
            [supervisor, leader, *range(6)],
            True,
            True,
        ),
        (
            "gathering",
            "mai 2026",
            [D(2026, 5, 26)],
            "digital",
            (None, None),
            "",
            [manager, alis, alis2, supervisor, *range(3, 9)],
            False,
            True,
        ),
        (
            "conference",
            "2026, Bergen",
            [D(2026, 9, 8), D(2026, 9, 9)],
            "hybrid",
            (100, None),
            "Grieghallen, Edvard Griegs plass 1, Bergen",
            [alis, alis2, supervisor, manager, *range(4)],
            True,
            True,
        ),
        (
            "emnekurs",
            "høst 2026, Stavanger",
            [D(2026, 10, 13), D(2026, 10, 14), D(2026, 10, 15)],
            "physical",
            (16, None),
            "Stavanger universitetssjukehus, Gerd-Ragna Bloch Thorsens gate 8",
            list(range(6, 12)),
            False,
            True,
        ),
        (
            "fkm",
            "Bergen, januar 2027",
            [D(2027, 1, 19)],
            "physical",
            (6, None),
            "ALIS Vest, Bergen kommune, Rådhusgaten 10",
            [*range(6), 6, alis2, 7, alis],
            False,
            True,
        ),
        (
            "emnekurs",
            "vår 2027, Bergen",
            [D(2027, 2, 2), D(2027, 2, 3), D(2027, 2, 4)],
            "physical",
            (16, None),
            "Bergen legevakt, Vestre Strømkaien 19, Bergen",
            [supervisor, 8, 9],
            False,
            True,
        ),
        (
            "gathering",
            "mai 2027",
            [D(2027, 5, 25)],
            "digital",
            (None, None),
            "",
            [manager],
            False,
            True,
        ),
        (
            "trainers",
            "2027",
            [D(2027, 5, 31), D(2027, 6, 1), D(2027, 6, 2)],
            "physical",
            (12, None),
            "Hurdalsjøen hotell og konferansesenter, Hurdal",
            [leader],
            False,
            True,
        ),
        (
            "conference",
            "2027, Bergen",
            [D(2027, 9, 7), D(2027, 9, 8)],
            "hybrid",
            (100, None),
            "Grieghallen, Edvard Griegs plass 1, Bergen",
            [alis, 10],
            False,
            True,
        ),
        (
            "emnekurs",
            "høst 2027, Førde",
            [D(2027, 10, 12), D(2027, 10, 13), D(2027, 10, 14)],
            "physical",
            (14, None),
            "Førde sentralsjukehus, Svanehaugvegen 2, Førde",
            [],
            False,
            False,
        ),
    ]
    for course_key, title, days, fmt, capacities, place, people, certify, published in events:
        _event(
            demo,
            adviser,
            courses[course_key],
            title,
            days,
            fmt,
            capacities,
            place,
            people,
            certify,
            published,
        )


def _event(demo, adviser, course, title, days, fmt, capacities, place, people, certify, published):
    if CourseEvent.objects.filter(course=course, title=title).exists():
        return
    first = _at(days[0], 9)
    event = CourseEvent.objects.create(
        course=course,
        title=title,
        format=fmt,
        place=place,
        online_link="https://teams.example/alisvest-kurs" if fmt != "physical" else "",
        capacity_physical=capacities[0] if fmt != "digital" else None,
        capacity_digital=capacities[1] if fmt != "physical" else None,
        registration_deadline=first - datetime.timedelta(days=14),
        cancellation_deadline=first - datetime.timedelta(days=7),
        price=Decimal(3500) if course.kind == CourseKind.SUPERVISOR_COURSE else Decimal(0),
        target_group=course.target_group,
        is_published=published,
        published_at=first - datetime.timedelta(days=90) if published else None,
        created_by=adviser,
    )
    per_day = (course.hours or Decimal(6 * len(days))) / len(days)
    for index, day in enumerate(days, 1):
        EventSession.objects.create(
            event=event,
            title=f"Dag {index}" if len(days) > 1 else "",
            starts_at=_at(day, 9),
            # A lunch break on full days.
            ends_at=_at(day, 9) + datetime.timedelta(hours=float(per_day) + (per_day > 4)),
            hours=per_day,
        )
    # Registrations came in over some weeks before the event (or before today).
    since = min(first - datetime.timedelta(days=45), timezone.now() - datetime.timedelta(days=10))
    for index, person in enumerate(people):
        participation = (
            "digital" if fmt == "digital" or (fmt == "hybrid" and index % 3 == 2) else "physical"
        )
        if isinstance(person, int):
            registration = services.registration_create(
                event=event, by=adviser, format=participation, notify=False, **_guest(person)
            )
        else:
            registration = services.registration_create(
                event=event, by=adviser, user=person, format=participation, notify=False
            )
        Registration.objects.filter(pk=registration.pk).update(
            created_at=since + datetime.timedelta(hours=5 * index)
        )
    if timezone.now() > _at(days[-1], 17):
        _attendance(event, adviser)
        if certify:
            services.certificates_issue(event=event, by=adviser, notify=False)


def _attendance(event, adviser):
    sessions = list(event.sessions.all())
    for number, registration in enumerate(event.registrations.confirmed().order_by("pk")):
        for index, session in enumerate(sessions):
            # Nearly everyone came; one person missed the last day.
            present = not (number == 3 and index == len(sessions) - 1 and index > 0)
            if present:
                services.attendance_set(
                    registration=registration, session=session, present=True, by=adviser
                )
