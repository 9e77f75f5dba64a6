"""The office's demo annual wheel, a weekly-digest preference, and today's reminders recorded
(not e-mailed: `manage.py send_reminders` sends them) so that "Varsler" has content.

So that the other kinds have something to say on the day of seeding: the agreement sent for
signature in Årdal was drafted five weeks ago, the sessions waiting for the supervisor's
signature were recorded on the day they took place, and the new ALIS in Årdal has had a
supervisor since she started, with no session logged yet. (Course deadlines and a month short
of supervision depend on the day; see `manage.py send_reminders --dry-run --date …`.)

The tasks are the kind the 2021 annual report describes (grant deadlines, the auditor's
report, the regional gathering, the annual report to Helsedirektoratet, supervisor courses,
the ALIS conference); their dates and texts are invented for the demo.
"""

import datetime

from django.utils import timezone

from accounts.models import User
from alis_agreements.models import OPEN_STATUSES, Agreement, Employment
from education_plans.models import SupervisionRelationship
from reminders.models import (
    DigestPreference,
    Frequency,
    Weekday,
    WeekOfMonth,
    WheelCompletion,
    WheelTask,
)
from reminders.services import kind_settings, reminders_record
from supervision.models import SupervisionSession

# (title, description, month, day | (week, weekday), lead days, owner keys)
WHEEL = [
    (
        "Årsrapport til Helsedirektoratet",
        "Kontorets årsrapport for fjoråret: ansatte, mandat, kartlegging, kurs og samlinger, "
        "samarbeidspartnere og planer.",
        3,
        1,
        [60, 14, 0],
        ["adviser"],
    ),
    (
        "Revisorerklæring for ALIS-tilskudd",
        "Minn kommunene på revisorerklæring for fjorårets tilskudd; frist 1. april.",
        4,
        1,
        [30, 7],
        ["adviser2"],
    ),
    (
        "Planlegge regional samling",
        "Digital samling for hele regionen: tilskuddsordninger, avtalemaler og "
        "erfaringsutveksling. Sett dato, program og send invitasjon.",
        2,
        (WeekOfMonth.FIRST, Weekday.MONDAY),
        [14, 0],
        [],
    ),
    (
        "Emnekurs i veiledning: utlysning for høsten",
        "Emnekurs (18 timer) i individuell veiledning og supervisjon for allmennleger.",
        5,
        15,
        [],
        ["adviser2"],
    ),
    (
        "ALIS-konferansen: program og påmelding",
        "Programkomiteen leverer program; påmeldingen åpnes.",
        6,
        1,
        [30, 7],
        ["adviser", "adviser2"],
    ),
    (
        "Søknadsfrist tilskudd",
        "Kommunenes søknadsfrist for tilskudd til ALIS-avtaler (Nasjonal ALIS og veiledning). "
        "Send påminnelse til kommunene tre uker før.",
        8,
        31,
        [30, 7, 0],
        ["adviser"],
    ),
    (
        "Kartlegging av kommunene",
        "Årlig kartlegging: organisering av legetjenesten, antall ALIS, veilederkapasitet.",
        9,
        15,
        [14],
        [],
    ),
    (
        "Kontaktmøte med Statsforvalteren",
        "Statsforvalteren i Vestland og Rogaland.",
        10,
        (WeekOfMonth.LAST, Weekday.MONDAY),
        [21, 7],
        ["adviser"],
    ),
    (
        "Emnekurs i veiledning: utlysning for våren",
        "",
        11,
        15,
        [],
        ["adviser2"],
    ),
    (
        "Budsjett og plan for neste år",
        "Budsjett, bemanning og årshjul for neste år.",
        12,
        1,
        [14],
        ["adviser"],
    ),
]


def seed(demo):
    advisers = {key: demo.people[key] for key in ("adviser", "adviser2") if key in demo.people}
    if not WheelTask.objects.filter(region=demo.region).exists():
        for title, description, month, date_rule, lead_days, owner_keys in WHEEL:
            if isinstance(date_rule, tuple):
                rule = {"week": date_rule[0], "weekday": date_rule[1]}
            else:
                rule = {"day": date_rule}
            task = WheelTask.objects.create(
                region=demo.region,
                title=title,
                description=description,
                month=month,
                lead_days=lead_days,
                created_by=advisers.get("adviser"),
                **rule,
            )
            task.owners.set([advisers[key] for key in owner_keys if key in advisers])
        # Backdated so that this year's earlier dates are real occurrences in the calendar.
        WheelTask.objects.filter(region=demo.region).update(
            created_at=timezone.make_aware(datetime.datetime(2022, 1, 3, 9))
        )
        today = timezone.localdate()
        for task in WheelTask.objects.filter(region=demo.region):
            date = task.date_in(today.year)
            if date < today:
                WheelCompletion.objects.create(
                    task=task,
                    year=today.year,
                    done_by=advisers.get("adviser"),
                    done_at=timezone.make_aware(datetime.datetime.combine(date, datetime.time(12))),
                )
    if (
        "adviser2" in advisers
        and not DigestPreference.objects.filter(user=advisers["adviser2"]).exists()
    ):
        DigestPreference.objects.create(
            user=advisers["adviser2"], frequency=Frequency.WEEKLY, weekday=Weekday.MONDAY
        )
    # The office began meeting every municipality in 2022 (annual report 2021, plans for 2022),
    # and following up supervision in the portal at the same time.
    settings = kind_settings()
    for code in ("municipality_no_meeting", "supervision_no_session"):
        if settings[code].counted_from != datetime.date(2022, 1, 1):
            settings[code].counted_from = datetime.date(2022, 1, 1)
            settings[code].save(update_fields=["counted_from"])
    _waiting_work(demo)
    reminders_record(on=timezone.localdate())


def _waiting_work(demo):
    """Backdate what waits for someone, so that the reminders of it are due today."""
    today = timezone.localdate()
    drafted = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=35), datetime.time(10))
    )
    Agreement.objects.filter(
        status__in=OPEN_STATUSES, employment__alis__email="aase.skaar@aardal.example"
    ).update(created_at=drafted)
    for session in SupervisionSession.objects.pending().filter(date__lte=today):
        recorded = timezone.make_aware(datetime.datetime.combine(session.date, datetime.time(16)))
        if session.recorded_at != recorded:
            SupervisionSession.objects.filter(pk=session.pk).update(recorded_at=recorded)
    employment = (
        Employment.objects.filter(alis__email="aase.skaar@aardal.example")
        .select_related("alis")
        .first()
    )
    supervisor = User.objects.filter(email="veileder@ardal.example").first()
    if (
        employment
        and supervisor
        and not SupervisionRelationship.objects.filter(alis=employment.alis).exists()
    ):
        SupervisionRelationship.objects.create(
            alis=employment.alis,
            supervisor=supervisor,
            start_date=employment.start_date,
            created_by=demo.people.get("adviser"),
        )
