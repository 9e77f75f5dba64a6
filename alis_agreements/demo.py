"""Demo ALIS positions in Lærdal (a pilot municipality with 2 ALIS) and the people in them:
two ALIS, their supervisor and a supervision-group leader. Later apps' demo data (plans,
supervision, courses) hang off `demo.people["alis"]`, `["alis2"]`, `["supervisor"]` and
`["group_leader"]`. Names and addresses are invented.

Then the positions and agreements of the other pilot municipalities (Bergen, Bømlo, Stord,
Ullensvang (Odda), Masfjorden, Gulen, Hyllestad, Årdal, Bjørnafjorden (Fusa)), the grant
schemes, and agreements in every state: the demo ALIS's signed agreement with its frozen PDF,
a draft, one sent for signature, one ending within 90 days, one ended when the doctor left.
Dates are counted from the day the demo is made, so that "ending soon" stays true.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from accounts.models import Role
from alis_agreements import services
from alis_agreements.models import (
    Employment,
    EmploymentForm,
    GrantScheme,
    Leave,
    MeasureType,
    Position,
    PositionType,
)
from municipalities.models import Municipality, Practice

LÆRDAL = "4642"


def seed(demo):
    lærdal = Municipality.objects.get(number=LÆRDAL)
    sogndal = Municipality.objects.get(number="4640")
    alis = demo.person(
        "alis",
        "alis@laerdal.example",
        "Ola",
        "Lege",
        role=Role.ALIS,
        municipality=lærdal,
        hpr_number="9100001",
    )
    alis2 = demo.person(
        "alis2",
        "alis2@laerdal.example",
        "Ingrid",
        "Haugland",
        role=Role.ALIS,
        municipality=lærdal,
        hpr_number="9100002",
    )
    supervisor = demo.person(
        "supervisor",
        "veileder@laerdal.example",
        "Siri",
        "Veileder",
        role=Role.SUPERVISOR,
        municipality=lærdal,
        hpr_number="9100003",
    )
    group_leader = demo.person(
        "group_leader",
        "gruppeleder@sogndal.example",
        "Gunnar",
        "Gruppeleder",
        role=Role.GROUP_LEADER,
        municipality=sogndal,
        hpr_number="9100004",
    )
    demo.show("ALIS", alis)
    demo.show("supervisor", supervisor)
    demo.show("group leader", group_leader)
    practice, _ = Practice.objects.get_or_create(
        municipality=lærdal,
        name="Lærdal legekontor",
        defaults={"ownership": Practice.Ownership.MUNICIPAL},
    )
    for number, (person, start, percentage) in enumerate(
        [(alis, datetime.date(2023, 8, 15), 100), (alis2, datetime.date(2025, 1, 6), 80)], 1
    ):
        position, _ = Position.objects.get_or_create(
            municipality=lærdal,
            title=f"ALIS-stilling {number}, Lærdal legekontor",
            defaults={
                "practice": practice,
                "employment_form": EmploymentForm.FIXED_SALARY,
                "position_type": PositionType.GP_WITH_LIST,
                "list_size": 700 + 100 * number,
                "status": Position.Status.FILLED,
                "start_date": start,
            },
        )
        Employment.objects.get_or_create(
            alis=person, position=position, defaults={"start_date": start, "percentage": percentage}
        )
    _grant_schemes()
    _lærdal_agreements(demo)
    _pilot_municipalities(demo)


def _grant_schemes():
    if GrantScheme.objects.exists():
        return
    data = json.loads((Path(settings.BASE_DIR) / "data" / "grant_schemes.json").read_text("utf-8"))
    services.grant_schemes_import(data=data)


def _measures(*items):
    types = {t.name: t for t in MeasureType.objects.all()}
    result = []
    for name, quantity, amount, note in items:
        kind = types[name]
        result.append(
            services.MeasureData(
                measure_type=kind,
                element=kind.element,
                quantity=Decimal(quantity) if quantity is not None else None,
                amount=Decimal(amount) if amount is not None else None,
                note=note,
            )
        )
    return result


STANDARD = [
    ("Ekstra veiledning", 2, 24000, "Utover 4 timer i måneden"),
    ("Sykefraværsforsikring", None, 15000, ""),
    ("Kurs og veiledningsgruppe", None, 20000, "Veiledningsgruppe i regionen"),
]
REMOTE = [
    ("Inntektsgaranti", None, 150000, "De to første årene"),
    ("Kompensasjon for lav listelengde", None, 60000, "Til listen har 600 pasienter"),
]
MUNICIPAL = [
    ("Fri etter legevakt", 8, None, "Fri dagen etter nattevakt"),
    ("Vikardekning", None, 30000, "Ved kurs og permisjon"),
]


def _agreement(demo, employment, *, start, end, measures, state, signed_on=None):
    """An agreement through the services, in the state asked for (idempotent: one per
    employment)."""
    if employment.agreements.exists():
        return employment.agreements.order_by("-version").first()
    by = demo.people["adviser"]
    contact = employment.position.municipality.contacts.filter(is_active=True).first()
    agreement = services.agreement_create(
        employment=employment,
        by=by,
        measures=measures,
        template_version=services.default_template_version(),
        percentage=employment.percentage,
        start_date=start,
        end_date=end,
        contact_name=contact.name if contact else "Kommuneoverlege",
        contact_title=contact.title if contact else "Kommuneoverlege",
    )
    if state == "draft":
        return agreement
    services.agreement_send(agreement=agreement, by=by)
    if state == "sent":
        return agreement
    return services.agreement_sign(agreement=agreement, by=by, signed_on=signed_on or start)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _lærdal_agreements(demo):
    """The demo ALIS's signed agreement (its PDF frozen at signing) and the second ALIS's
    draft."""
    for key, state in (("alis", "signed"), ("alis2", "draft")):
        employment = Employment.objects.get(alis=demo.people[key])
        start = employment.start_date
        leaves = employment.leaves.all()
        end = services.rules.latest_end(
            start, employment.percentage, services.rules.leave_spans(leaves)
        )
        _agreement(
            demo,
            employment,
            start=start,
            end=end,
            measures=_measures(*STANDARD, *MUNICIPAL),
            state=state,
            signed_on=start - datetime.timedelta(days=10),
        )


# (municipality, title, position type, employment form, list size, position status,
#  the ALIS or None, start (years, days before today), percentage, agreement state)
PILOT = [
    (
        "4601",
        "ALIS-stilling 1, Bergen",
        "gp_with_list",
        "fixed_salary",
        1100,
        "filled",
        ("Marte", "Bakke", 9100011),
        (4, 100),
        100,
        "signed",
    ),
    (
        "4601",
        "ALIS-stilling 2, Bergen",
        "gp_with_list",
        "fixed_salary",
        900,
        "filled",
        ("Håkon", "Tveit", 9100012),
        (2, 30),
        80,
        "signed",
    ),
    (
        "4613",
        "ALIS-stilling 1, Bømlo",
        "gp_with_list",
        "fixed_salary",
        800,
        "filled",
        ("Sigrid", "Myklebust", 9100013),
        "ending",
        100,
        "signed",
    ),
    (
        "4613",
        "ALIS-stilling 2, Bømlo",
        "locum",
        "fixed_salary",
        None,
        "filled",
        ("Eirik", "Sæbø", 9100014),
        (0, 40),
        100,
        "draft",
    ),
    (
        "4614",
        "ALIS-stilling, Stord",
        "gp_with_list",
        "self_employed",
        1200,
        "filled",
        ("Nils", "Rørvik", 9100015),
        (3, 200),
        100,
        "signed",
    ),
    (
        "4618",
        "ALIS-stilling Odda 1",
        "gp_with_list",
        "fixed_salary",
        700,
        "filled",
        ("Hilde", "Øvrebø", 9100016),
        (1, 120),
        100,
        "signed",
    ),
    (
        "4618",
        "ALIS-stilling Odda 2",
        "gp_with_list",
        "fixed_salary",
        750,
        "vacant",
        ("Trond", "Hatlevik", 9100017),
        "left",
        100,
        "signed",
    ),
    (
        "4634",
        "ALIS-stilling, Masfjorden",
        "gp_with_list",
        "fixed_salary",
        600,
        "filled",
        ("Solveig", "Lid", 9100018),
        (1, 10),
        100,
        "signed",
    ),
    (
        "4635",
        "ALIS-stilling, Gulen",
        "gp_with_list",
        "fixed_salary",
        650,
        "filled",
        ("Bjørn", "Vik", 9100019),
        (2, 300),
        60,
        "signed",
    ),
    (
        "4637",
        "ALIS-stilling, Hyllestad",
        "gp_with_list",
        "fixed_salary",
        550,
        "advertised",
        None,
        None,
        100,
        None,
    ),
    (
        "4643",
        "ALIS-stilling, Årdal",
        "gp_with_list",
        "fixed_salary",
        900,
        "filled",
        ("Åse", "Skår", 9100020),
        (0, 60),
        100,
        "sent",
    ),
    (
        "4624",
        "ALIS-stilling Fusa",
        "introduction",
        "fixed_salary",
        None,
        "planned",
        None,
        None,
        100,
        None,
    ),
    (
        "4624",
        "ALIS-stilling Os",
        "gp_with_list",
        "self_employed",
        1000,
        "filled",
        ("Øystein", "Fjære", 9100021),
        (3, 45),
        100,
        "signed",
    ),
]


def _slug(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "aa", " ": "-"})
    return text.lower().translate(table)


def _pilot_municipalities(demo):
    today = timezone.localdate()
    for row in PILOT:
        number, title, kind, form, list_size, status, person, when, percentage, state = row
        municipality = Municipality.objects.get(number=number)
        practice = Practice.objects.filter(municipality=municipality).order_by("name").first()
        if when == "ending":
            # Five years ending 45 days from today: flagged as ending within 90 days.
            end = today + datetime.timedelta(days=45)
            start = _years_before(end, 5) + datetime.timedelta(days=1)
        elif when == "left":
            start = _years_before(today, 3)
            end = None
        elif when:
            start = _years_before(today, when[0]) - datetime.timedelta(days=when[1])
        else:
            start = None
        position, _created = Position.objects.get_or_create(
            municipality=municipality,
            title=title,
            defaults={
                "practice": practice,
                "employment_form": form,
                "position_type": kind,
                "list_size": list_size,
                "status": status,
                "start_date": start - datetime.timedelta(days=60) if start else None,
            },
        )
        if person is None:
            continue
        first, last, hpr = person
        alis = demo.person(
            f"alis-{number}-{hpr}",
            f"{_slug(first)}.{_slug(last)}@{_slug(municipality.name)}.example",
            first,
            last,
            role=Role.ALIS,
            municipality=municipality,
            hpr_number=str(hpr),
        )
        employment, _created = Employment.objects.get_or_create(
            alis=alis,
            position=position,
            defaults={"start_date": start, "percentage": Decimal(percentage)},
        )
        if hpr == 9100012 and not employment.leaves.exists():
            # Parental leave: the agreement's five years stretch by it.
            Leave.objects.create(
                employment=employment,
                kind=Leave.Kind.PARENTAL,
                start_date=start + datetime.timedelta(days=200),
                end_date=start + datetime.timedelta(days=200 + 150),
                percentage=Decimal(100),
                note="Foreldrepermisjon",
            )
        leaves = services.rules.leave_spans(employment.leaves.all())
        latest = services.rules.latest_end(start, Decimal(percentage), leaves)
        measures = list(STANDARD)
        if (municipality.centrality_class or 0) >= 6:
            measures += REMOTE
        if number in ("4601", "4618"):
            measures += MUNICIPAL
        _agreement(
            demo,
            employment,
            start=start,
            end=latest if when != "ending" else end,
            measures=_measures(*measures),
            state=state,
            signed_on=start if state == "signed" else None,
        )
        if when == "left" and employment.end_date is None:
            # The doctor moved on after two years: the agreement ended with the employment.
            services.employment_update(
                employment=employment,
                by=demo.people["adviser"],
                start_date=start,
                end_date=start + datetime.timedelta(days=730),
                percentage=employment.percentage,
                via_temp_agency=False,
            )
            services.agreements_close_expired(on=today)
