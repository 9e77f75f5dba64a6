"""Demo supervision: a supervisor register for a handful of municipalities (some without the
supervisor course, one in the pool), the demo ALIS's supervision log over the last twelve
months (most months met, some short, one without a session, one corrected session and one
waiting for signature), and a supervision group in Sogn led by the demo group leader with both
demo ALIS. Everything is written through the services, so the plans' ledger follows. Dates
count back from the day the demo is made; names are invented."""

import datetime

from django.utils import timezone

from accounts.models import Role
from education_plans.models import EducationPlan, LearningArena, ServicePeriod
from education_plans.models import SupervisionRelationship as Relationship
from education_plans.rules import ServiceType, add_months, month_start
from municipalities.models import Municipality, Practice
from supervision import services
from supervision.models import SUPERVISOR_COURSE, SupervisionGroup, SupervisionSession, Supervisor

# (key, e-mail, first, last, municipality, specialist since, course completed, capacity, pool)
REGISTER = [
    ("sup_ardal", "veileder@ardal.example", "Per", "Øvrebø", "4643", 2009, (2021, 10, 21), 2, True),
    (
        "sup_sogndal",
        "veileder@sogndal.example",
        "Hilde",
        "Myklebust",
        "4640",
        2012,
        (2022, 4, 8),
        2,
        False,
    ),
    ("sup_sogndal2", "veileder2@sogndal.example", "Eirik", "Tveit", "4640", 2020, None, 1, False),
    (
        "sup_bergen",
        "veileder@bergen.example",
        "Ragnhild",
        "Sæbø",
        "4601",
        2005,
        (2021, 11, 4),
        3,
        False,
    ),
    ("sup_bergen2", "veileder2@bergen.example", "Håkon", "Grønning", "4601", None, None, 1, False),
    (
        "sup_stord",
        "veileder@stord.example",
        "Solveig",
        "Fjære",
        "4614",
        2016,
        (2022, 10, 13),
        2,
        False,
    ),
    (
        "sup_masfjorden",
        "veileder@masfjorden.example",
        "Trond",
        "Hatlevik",
        "4634",
        2018,
        None,
        1,
        False,
    ),
]
# Minutes of the demo ALIS's sessions, oldest month first; the last is the current month.
MONTHS = [
    [90, 90, 60],
    [120, 120],
    [80, 80, 80],
    [90],
    [60, 60, 60, 60],
    [],
    [90, 90],
    [120, 120],
    [60, 90, 90],
    [120, 60],
    [90, 90, 60],
    [90, 60],
]
MONTHS_ALIS2 = [
    [120, 90],
    [90, 90],
    [120, 90],
    [],
    [120, 90],
    [90],
    [90, 120],
    [120, 90],
    [90, 60],
    [120, 90],
    [90, 120],
    [90],
]
TOPICS = [
    "Eksempel: prioritering av timebok og øyeblikkelig hjelp",
    "Eksempel: kasus fra legevakt – brystsmerter hos ung pasient",
    "Eksempel: samtale om krevende pasientmøter",
    "Eksempel: gjennomgang av utdanningsplanen og læringsmål",
    "Eksempel: henvisningspraksis og samhandling med sykehuset",
    "Eksempel: egen arbeidsbelastning og fri etter vakt",
]


def seed(demo):
    lærdal = Municipality.objects.get(number="4642")
    supervisor, alis, alis2 = (demo.people[k] for k in ("supervisor", "alis", "alis2"))
    adviser, manager, leader = (demo.people[k] for k in ("adviser", "manager", "group_leader"))
    today = timezone.localdate()

    practice = Practice.objects.filter(municipality=lærdal).order_by("pk").first()
    Supervisor.objects.get_or_create(
        person=supervisor,
        defaults={
            "municipality": lærdal,
            "practice": practice,
            "specialist_year": 2011,
            "course_name": SUPERVISOR_COURSE,
            "course_completed_on": datetime.date(2021, 10, 21),
            "capacity": 2,
            "created_by": manager,
        },
    )
    _register(demo, adviser)

    _plan(alis, lærdal, manager, datetime.date(2023, 8, 15), 100)
    _plan(alis2, lærdal, manager, datetime.date(2025, 1, 6), 80)
    _relationship(alis, supervisor, datetime.date(2023, 8, 15), manager)
    _relationship(alis2, supervisor, datetime.date(2025, 1, 6), manager)

    if not SupervisionSession.objects.filter(alis=alis).exists():
        _log(alis, supervisor, today)
    if not SupervisionSession.objects.filter(alis=alis2).exists():
        _log_alis2(alis2, supervisor, today)
    if not SupervisionGroup.objects.filter(name="Veiledningsgruppe Sogn").exists():
        _group(demo, adviser, leader, alis, alis2, today)


def _register(demo, adviser):
    for key, email, first, last, number, year, course, capacity, pool in REGISTER:
        municipality = Municipality.objects.get(number=number)
        person = demo.person(
            key, email, first, last, role=Role.SUPERVISOR, municipality=municipality
        )
        Supervisor.objects.get_or_create(
            person=person,
            defaults={
                "municipality": municipality,
                "practice": Practice.objects.filter(municipality=municipality)
                .order_by("pk")
                .first(),
                "is_specialist": year is not None,
                "specialist_year": year,
                "course_completed_on": datetime.date(*course) if course else None,
                "capacity": capacity,
                "in_pool": pool,
                "note": "Demo: tar gjerne ALIS fra nabokommunene." if pool else "",
                "created_by": adviser,
            },
        )


def _plan(alis, municipality, leader, start, percentage):
    """The plan and its open-practice period, unless the education-plans demo made them."""
    plan, created = EducationPlan.objects.get_or_create(
        alis=alis,
        defaults={"municipality": municipality, "start_date": start, "education_leader": leader},
    )
    if created:
        ServicePeriod.objects.create(
            plan=plan,
            service_type=ServiceType.OPEN_UNSELECTED,
            arena=LearningArena.GP_PRACTICE,
            place="Lærdal legekontor",
            start_date=start,
            percentage=percentage,
        )


def _relationship(alis, supervisor, start, by):
    if not Relationship.objects.filter(alis=alis, kind=Relationship.Kind.INDIVIDUAL).exists():
        Relationship.objects.create(
            alis=alis, supervisor=supervisor, start_date=start, created_by=by
        )


def _day(month: datetime.date, day: int, today: datetime.date) -> datetime.date:
    return min(month.replace(day=day), today)


def _supervised_on(alis, supervisor, day) -> bool:
    return Relationship.objects.active(day).filter(alis=alis, supervisor=supervisor).exists()


def _log(alis, supervisor, today):
    first = add_months(month_start(today), -(len(MONTHS) - 1))
    corrected = None
    for index, minutes_list in enumerate(MONTHS):
        month = add_months(first, index)
        current_month = index == len(MONTHS) - 1
        for n, minutes in enumerate(minutes_list):
            day = _day(month, (4, 12, 20, 27)[n], today)
            if not _supervised_on(alis, supervisor, day):
                continue
            session = services.session_record(
                alis=alis,
                supervisor=supervisor,
                by=alis,
                date=day,
                minutes=minutes,
                topics=TOPICS[(index + n) % len(TOPICS)],
                private_notes="Demo: privat notat – bare ALIS og veileder ser dette.",
            )
            if current_month and n == len(minutes_list) - 1:
                continue  # waits for the supervisor's signature
            services.session_sign(session=session, by=supervisor)
            if index == 7 and n == 1:
                corrected = session
    if corrected is not None:
        correction = services.session_correct(
            session=corrected,
            by=alis,
            reason="Demo: feil varighet, økten var 30 minutter lengre.",
            date=corrected.date,
            minutes=corrected.minutes + 30,
            topics=corrected.topics,
            private_notes=corrected.private_notes,
        )
        services.session_sign(session=correction, by=supervisor)


def _log_alis2(alis, supervisor, today):
    """The second ALIS works 80 %: 3.2 hours a month are due."""
    first = add_months(month_start(today), -(len(MONTHS_ALIS2) - 1))
    for index, minutes_list in enumerate(MONTHS_ALIS2):
        month = add_months(first, index)
        for n, minutes in enumerate(minutes_list):
            day = _day(month, (8, 22)[n], today)
            if not _supervised_on(alis, supervisor, day):
                continue
            session = services.session_record(
                alis=alis,
                supervisor=supervisor,
                by=alis,
                date=day,
                minutes=minutes,
                topics=TOPICS[(index + 2 * n) % len(TOPICS)],
            )
            if index < len(MONTHS_ALIS2) - 1:
                services.session_sign(session=session, by=supervisor)


def _group(demo, adviser, leader, alis, alis2, today):
    start = add_months(month_start(today), -18)
    group = services.group_create(
        by=adviser,
        region=demo.region,
        name="Veiledningsgruppe Sogn",
        leader=leader,
        start_date=start,
        municipalities=Municipality.objects.filter(
            number__in=["4640", "4641", "4642", "4643", "4644"]
        ),
        meeting_place="Sogndal legesenter, møterom 2",
        description="Demo: gruppe for ALIS i Sogn, ett møte i måneden unntatt juli.",
    )
    services.membership_add(group=group, alis=alis, start_date=start, by=adviser)
    joined = max(start, datetime.date(2025, 2, 1))
    services.membership_add(group=group, alis=alis2, start_date=joined, by=adviser)
    month = start
    n = 0
    while month <= today:
        day = _day(month, 20, today)
        if month.month != 7 and day <= today:
            present = {alis.pk} if n % 5 == 3 or day < joined else {alis.pk, alis2.pk}
            if n % 7 == 6:
                present.discard(alis.pk)
            services.meeting_record(
                group=group,
                by=leader,
                date=day,
                minutes=180,
                topics=TOPICS[n % len(TOPICS)].replace("Eksempel: ", "Tema: "),
                notes="Demo: gruppenotat – bare gruppen og lederen ser dette.",
                present=present,
            )
            n += 1
        month = add_months(month, 1)
