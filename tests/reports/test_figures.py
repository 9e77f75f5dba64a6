"""Each figure of the annual report from a small known region: the numbers are counted by
hand, and every year's figures are as of 31 December of that year (from dated records)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alis_agreements.models import AgreementStatus, EmploymentForm
from education_plans.models import SupervisionRelationship
from municipalities.models import PartnerKind
from reports.figures import annual_figures, year_end
from tests.courses.factories import AttendanceFactory, RegistrationFactory, event_with_sessions
from tests.education_plans.factories import (
    EducationPlanFactory,
    LearningActivityFactory,
    ServicePeriodFactory,
)
from tests.municipalities.factories import FollowUpEntryFactory, PartnerFactory
from tests.reports.factories import agreement, employ, known_region, measure, meeting
from tests.supervision.factories import GroupFactory, MeetingFactory, SupervisorFactory

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    k = known_region()
    k.e1 = employ(k.early, D(2020, 1, 1))
    k.e2 = employ(k.late, D(2021, 3, 1), D(2021, 6, 30))
    k.e3 = employ(k.rogaland, D(2022, 1, 1), form=EmploymentForm.SELF_EMPLOYED)
    k.a1 = agreement(k.e1, status=AgreementStatus.SIGNED, signed_on=D(2020, 2, 1))
    measure(k.a1, "Ekstra veiledning", Decimal(20000))
    k.a2 = agreement(
        k.e2,
        status=AgreementStatus.ENDED,
        signed_on=D(2021, 3, 1),
        ended_on=D(2021, 6, 30),
    )
    measure(k.a2, "Inntektsgaranti", Decimal(100000))
    k.a3 = agreement(
        k.e3,
        status=AgreementStatus.SIGNED,
        sent_at=datetime.datetime(2022, 1, 5, 12, tzinfo=datetime.UTC),
        signed_on=D(2022, 2, 1),
    )
    meeting(k.early, D(2021, 5, 1))
    meeting(k.late, D(2021, 6, 1), kind="phone")
    meeting(k.rogaland, D(2022, 1, 10), kind="digital_meeting")
    return k


def test_the_day_is_31_december_or_today_in_the_current_year():
    assert year_end(2021, today=D(2026, 11, 23)) == D(2021, 12, 31)
    assert year_end(2026, today=D(2026, 11, 23)) == D(2026, 11, 23)


def test_registration_status_as_of_the_years_end(known):
    def by_status(year):
        table = annual_figures(known.region, year).table("registration")
        return dict(zip(table.column("Status"), table.column("Municipalities"), strict=True))

    # Askvoll registered in 2023: not registered in the 2021 report.
    assert by_status(2021) == {
        "Registered": 2,
        "Applied": 0,
        "Not applied": 2,
        "Lost by merger": 0,
    }
    assert by_status(2022)["Applied"] == 1
    assert by_status(2023)["Registered"] == 3
    assert by_status(2023)["Not applied"] == 1


def test_registration_by_county_and_the_municipalities_that_had_not_applied(known):
    figures = annual_figures(known.region, 2021)
    county = figures.table("registration_county")
    assert county.row("Vestland")[1:] == [1, 0, 2, 0, 3]
    assert county.row("Rogaland")[1:] == [1, 0, 0, 0, 1]
    not_applied = figures.table("not_applied")
    assert not_applied.column("Municipality") == ["Askvoll", "Solund"]
    assert not_applied.row("Askvoll")[-1] == "Usikker på kapasitet"
    centrality = figures.table("registration_centrality")
    assert centrality.row("Class 6")[1:] == [0, 0, 2, 0, 2]
    assert "2 of 4" in figures.table("registration").note
    chart = figures.table("registration").chart
    assert chart.colours["4645"] != chart.colours["4601"]  # not applied vs registered


def test_alis_on_31_december_and_during_the_year(known):
    figures = annual_figures(known.region, 2021)
    municipality = figures.table("alis_municipality")
    assert municipality.rows == [["Askvoll", 0, 1], ["Bergen", 1, 1]]
    assert municipality.total[1:] == [1, 2]
    assert figures.table("alis_county").rows == [["Vestland", 1, 2]]
    assert figures.table("alis_form").rows == [["Fixed salary", 1, 2]]

    later = annual_figures(known.region, 2022)
    assert later.table("alis_form").rows == [["Fixed salary", 1, 1], ["Self-employed GP", 1, 1]]
    assert later.table("alis_centrality").row("Class 1") == ["Class 1", 1, 1]


def test_positions_new_ended_filled_and_vacant(known):
    positions = annual_figures(known.region, 2021).table("positions")
    # Bergen's (filled), Askvoll's (new in 2021, vacant since its ALIS left in June).
    assert positions.row("Vestland")[1:] == [2, 1, 1, 1, 0]
    assert positions.row("Rogaland")[1:] == [0, 0, 0, 0, 0]


def test_agreements_by_status_as_of_the_years_end(known):
    def statuses(year):
        table = annual_figures(known.region, year).table("agreements_status")
        return dict(zip(table.column("Status"), table.column("Agreements"), strict=True))

    # The agreement signed in February 2022 does not exist in the 2021 report.
    assert statuses(2021) == {"Draft": 0, "Sent for signature": 0, "Signed": 1, "Ended": 1}
    assert statuses(2022) == {"Draft": 0, "Sent for signature": 0, "Signed": 2, "Ended": 1}
    table = annual_figures(known.region, 2021).table("agreements_status")
    assert "Signed during the year: 1; ended during the year: 1" in table.note


def test_a_replaced_version_counts_once(known):
    known.a1.status = AgreementStatus.ENDED
    known.a1.ended_on = D(2021, 9, 1)
    known.a1.end_reason = "replaced"
    known.a1.save()
    agreement(known.e1, status=AgreementStatus.SIGNED, signed_on=D(2021, 9, 1), version=2)
    table = annual_figures(known.region, 2021).table("agreements_status")
    assert table.row("Signed")[1] == 1
    assert table.row("Ended")[1] == 1  # the one that ended when its doctor left


def test_measures_of_the_agreements_in_force(known):
    measures = annual_figures(known.region, 2021).table("agreements_measures")
    assert measures.rows == [["Ekstra veiledning", "Standard element", 1, Decimal(20000)]]


def test_supervisors_capacity_and_alis_without_a_supervisor(known):
    supervisor = SupervisorFactory(municipality=known.early, capacity=3)
    SupervisionRelationship.objects.create(
        alis=known.e1.alis, supervisor=supervisor.person, start_date=D(2020, 1, 1)
    )
    figures = annual_figures(known.region, 2021)
    table = figures.table("supervisors")
    # Entered in the register only now, but supervising in 2021: counted (from their first ALIS).
    assert table.row("Vestland")[1:] == [1, 1, 0, 3, 1, 2]
    assert "without an individual supervisor: 0 of 1" in table.note
    later = annual_figures(known.region, 2022).table("supervisors")
    assert "without an individual supervisor: 1 of 2" in later.note


def test_supervision_groups(known):
    leader = SupervisorFactory(municipality=known.early).person
    group = GroupFactory(region=known.region, leader=leader, start_date=D(2021, 1, 1))
    group.memberships.create(alis=known.e1.alis, start_date=D(2021, 2, 1))
    MeetingFactory(group=group, date=D(2021, 3, 1), minutes=90)
    MeetingFactory(group=group, date=D(2021, 4, 1), minutes=90)
    MeetingFactory(group=group, date=D(2022, 4, 1), minutes=90)
    table = annual_figures(known.region, 2021).table("groups")
    assert table.rows == [[group.name, 1, 2, Decimal(3)]]


def test_share_meeting_the_supervision_requirement(known):
    for employment, hours in ((known.e1, 42), (known.e3, 10)):
        plan = EducationPlanFactory(
            alis=employment.alis, municipality=known.early, start_date=D(2022, 1, 1)
        )
        ServicePeriodFactory(plan=plan, start_date=D(2022, 1, 1))
        LearningActivityFactory(
            alis=employment.alis,
            date=D(2022, 6, 1),
            hours=hours,
            status="done",
            confirmed_at=datetime.datetime(2022, 6, 2, tzinfo=datetime.UTC),
        )
    table = annual_figures(known.region, 2022).table("education")
    assert table.rows[0][1] == 2
    # 4 hours a month in 10.5 of 12 months: 42 hours due in 2022.
    assert table.rows[1][1:] == [1, Decimal("0.5")]
    assert table.rows[2][1] == 0


def test_courses_held_and_attendance(known):
    held = event_with_sessions(course__region=known.region, days=((2021, 5, 3),))
    for fmt, present in (("physical", True), ("digital", True), ("physical", False)):
        registration = RegistrationFactory(event=held, format=fmt)
        AttendanceFactory(registration=registration, present=present)
    event_with_sessions(course=held.course, days=((2022, 5, 3),))
    table = annual_figures(known.region, 2021).table("courses")
    assert table.rows == [
        [held.course.title, "Supervisor course module", 1, 3, 1, 1, 2],
    ]


def test_follow_up_meetings_and_municipalities_without_one(known):
    figures = annual_figures(known.region, 2021)
    follow_up = figures.table("follow_up")
    assert follow_up.row("Meeting")[1] == 1
    assert follow_up.row("Phone call")[1] == 1
    assert follow_up.total[1] == 2
    assert "1 of 4 municipalities" in follow_up.note
    assert figures.table("without_meeting").column("Municipality") == [
        "Askvoll",
        "Solund",
        "Stavanger",
    ]


def test_the_years_partner_meetings_by_partner(known):
    bergen = PartnerFactory(region=known.region, name="Helse Bergen")
    kommuneforeningen = PartnerFactory(
        region=known.region, name="KS Vestland", kind=PartnerKind.ASSOCIATION
    )
    elsewhere = PartnerFactory(name="Helse Nord")  # another region's partner
    for partner, date, kind in [
        (bergen, D(2021, 3, 2), "meeting"),
        (bergen, D(2021, 9, 14), "digital_meeting"),
        (bergen, D(2021, 10, 1), "phone"),  # not a meeting
        (bergen, D(2022, 1, 5), "meeting"),  # next year
        (kommuneforeningen, D(2021, 6, 1), "meeting"),
        (elsewhere, D(2021, 6, 1), "meeting"),
    ]:
        FollowUpEntryFactory(municipality=None, partner=partner, date=date, kind=kind)
    table = annual_figures(known.region, 2021).table("partner_meetings")
    assert table.rows == [
        ["Helse Bergen", "Health trust or hospital", 2, "02.03, 14.09"],
        ["KS Vestland", "Association", 1, "01.06"],
    ]
    assert table.total[2] == 3


def test_the_figures_take_a_fixed_number_of_queries(known):
    def queries():
        with CaptureQueriesContext(connection) as context:
            annual_figures(known.region, 2021)
        return len(context.captured_queries)

    before = queries()
    for n in range(10):
        e = employ(known.late, D(2021, 1, 1))
        agreement(e, status=AgreementStatus.SIGNED, signed_on=D(2021, 2, 1))
        meeting(known.never, D(2021, 3, n + 1))
    assert queries() == before


def test_the_register_as_it_stood_on_the_day(known, time_machine):
    time_machine.move_to(datetime.datetime(2021, 6, 1, 12, tzinfo=datetime.UTC))
    kept = SupervisorFactory(municipality=known.early, capacity=2)
    left = SupervisorFactory(municipality=known.late, capacity=1)
    time_machine.move_to(datetime.datetime(2022, 3, 1, 12, tzinfo=datetime.UTC))
    left.is_active = False
    left.save()
    kept.capacity = 5
    kept.save()
    time_machine.move_to(datetime.datetime(2022, 3, 2, 12, tzinfo=datetime.UTC))
    SupervisorFactory(municipality=known.early)  # registered after both years

    def vestland(year):
        return annual_figures(known.region, year).table("supervisors").row("Vestland")[1:5]

    # supervisors, with the course (by 31 Dec), in the pool, capacity
    assert vestland(2021) == [2, 2, 0, 3]
    assert vestland(2022) == [2, 2, 0, 7]


def test_a_measure_without_an_amount_has_none(known):
    from tests.alis_agreements.factories import AgreementMeasureFactory, MeasureTypeFactory

    AgreementMeasureFactory(
        agreement=known.a1,
        measure_type=MeasureTypeFactory(name="Fri etter legevakt"),
        amount=None,
        quantity=Decimal(8),
    )
    measures = annual_figures(known.region, 2021).table("agreements_measures")
    assert measures.row("Fri etter legevakt")[2:] == [1, None]
    assert measures.total[3] == Decimal(20000)
