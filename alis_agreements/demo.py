"""Demo ALIS positions in Lærdal (a pilot municipality with 2 ALIS) and the people in them:
two ALIS, their supervisor and a supervision-group leader. Later apps' demo data (plans,
supervision, courses) hang off `demo.people["alis"]`, `["alis2"]`, `["supervisor"]` and
`["group_leader"]`. Names and addresses are invented."""

import datetime

from accounts.models import Role
from alis_agreements.models import Employment, EmploymentForm, Position, PositionType
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
