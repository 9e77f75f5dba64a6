"""The recruitment-risk rules (reports/risk.py): each rule at its boundary, then the facts as
`municipality_risks` gathers them from the database for all municipalities at once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alis_agreements.models import AgreementStatus, Position
from municipalities.models import Municipality, RegistrationStatus
from reports.risk import (
    RiskFacts,
    RiskStatus,
    Thresholds,
    assess,
    municipality_risks,
)
from tests.alis_agreements.factories import AgreementFactory, EmploymentFactory, PositionFactory
from tests.education_plans.factories import SupervisionRelationshipFactory
from tests.municipalities.factories import (
    FollowUpEntryFactory,
    MunicipalityFactory,
    PopulationFactory,
    RegistrationStatusChangeFactory,
    YearlyMappingFactory,
)
from tests.supervision.factories import SupervisorFactory

TODAY = datetime.date(2026, 11, 22)


def facts(**changes) -> RiskFacts:
    """A municipality with nothing to worry about: registered, two ALIS with supervisors, no
    open position, agreements far from their end, a meeting last month."""
    values = {
        "registration_status": RegistrationStatus.REGISTERED,
        "alis_in_position": 2,
        "open_positions": 0,
        "gps": 12,
        "mapping_year": 2025,
        "agreements_ending": 0,
        "first_agreement_end": None,
        "supervisor_capacity": 3,
        "supervisor_load": 2,
        "alis_without_supervisor": 0,
        "days_since_meeting": 30,
        "meeting_known": True,
    }
    values.update(changes)
    return RiskFacts(**values)


def keys(result):
    return [reason.key for reason in result.reasons]


def test_a_municipality_with_nothing_to_worry_about_is_ok_without_reasons():
    result = assess(facts())
    assert result.status == RiskStatus.OK
    assert result.reasons == []


# Registration as education institution


def test_registered_is_no_reason():
    assert "registration" not in keys(assess(facts()))


def test_applied_is_watched():
    result = assess(facts(registration_status=RegistrationStatus.APPLIED))
    assert result.status == RiskStatus.WATCH
    assert keys(result) == ["registration"]


@pytest.mark.parametrize(
    "status", [RegistrationStatus.NOT_APPLIED, RegistrationStatus.LOST_BY_MERGER, None]
)
def test_not_registered_without_alis_is_watched(status):
    result = assess(facts(registration_status=status, alis_in_position=0))
    assert result.status == RiskStatus.WATCH
    assert keys(result) == ["registration"]


@pytest.mark.parametrize(
    "status", [RegistrationStatus.NOT_APPLIED, RegistrationStatus.LOST_BY_MERGER, None]
)
def test_not_registered_with_an_alis_in_position_is_at_risk(status):
    result = assess(facts(registration_status=status, alis_in_position=1))
    assert result.status == RiskStatus.AT_RISK
    assert "1" in str(result.reasons[0].text)


def test_applied_with_alis_is_only_watched_service_counts_from_the_application():
    result = assess(facts(registration_status=RegistrationStatus.APPLIED, alis_in_position=3))
    assert result.status == RiskStatus.WATCH


# Open positions against ALIS in position and GPs from the mapping


def test_an_open_position_beside_alis_in_position_is_watched():
    result = assess(facts(open_positions=1, alis_in_position=2, gps=12, supervisor_capacity=5))
    assert result.status == RiskStatus.WATCH
    assert keys(result) == ["positions"]


def test_open_positions_and_no_alis_in_position_is_at_risk():
    result = assess(facts(open_positions=1, alis_in_position=0, gps=40, supervisor_load=0))
    assert result.status == RiskStatus.AT_RISK
    assert keys(result) == ["positions"]


def test_open_positions_a_quarter_of_the_gps_is_at_risk():
    # 3 of 12 GPs is exactly a quarter: the boundary is at risk.
    result = assess(facts(open_positions=3, gps=12, supervisor_capacity=5))
    assert result.status == RiskStatus.AT_RISK
    assert keys(result) == ["positions"]


def test_open_positions_just_below_a_quarter_of_the_gps_is_watched():
    result = assess(facts(open_positions=3, gps=13, supervisor_capacity=5))
    assert result.status == RiskStatus.WATCH


def test_open_positions_without_a_mapping_compare_only_with_alis():
    result = assess(facts(open_positions=3, gps=None, mapping_year=None, supervisor_capacity=5))
    assert result.status == RiskStatus.WATCH


def test_no_open_position_and_no_alis_is_no_reason():
    result = assess(facts(alis_in_position=0, supervisor_load=0))
    assert result.status == RiskStatus.OK


# Agreements ending


def test_agreements_ending_within_the_window_are_watched():
    result = assess(facts(agreements_ending=2, first_agreement_end=datetime.date(2027, 1, 10)))
    assert result.status == RiskStatus.WATCH
    assert keys(result) == ["agreements"]
    assert "10.01.2027" in str(result.reasons[0].text)


def test_no_agreement_ending_is_no_reason():
    assert "agreements" not in keys(assess(facts(agreements_ending=0)))


# Supervisor capacity


def test_load_equal_to_capacity_is_ok():
    assert assess(facts(supervisor_capacity=2, supervisor_load=2)).status == RiskStatus.OK


def test_load_one_above_capacity_is_at_risk():
    result = assess(facts(supervisor_capacity=2, supervisor_load=3))
    assert result.status == RiskStatus.AT_RISK
    assert keys(result) == ["capacity"]


def test_an_alis_without_a_supervisor_is_at_risk():
    result = assess(facts(alis_without_supervisor=1))
    assert result.status == RiskStatus.AT_RISK
    assert keys(result) == ["supervisor"]


def test_free_capacity_equal_to_the_open_positions_is_enough():
    # capacity 3, load 2: one free place for one open position.
    result = assess(facts(open_positions=1, supervisor_capacity=3, supervisor_load=2))
    assert keys(result) == ["positions"]


def test_free_capacity_below_the_open_positions_is_watched():
    result = assess(facts(open_positions=2, supervisor_capacity=3, supervisor_load=2, gps=20))
    assert result.status == RiskStatus.WATCH
    assert keys(result) == ["positions", "capacity"]


# Days since the last follow-up meeting


def test_a_meeting_exactly_a_year_ago_is_ok():
    assert assess(facts(days_since_meeting=365)).status == RiskStatus.OK


def test_a_meeting_a_year_and_a_day_ago_is_watched():
    result = assess(facts(days_since_meeting=366))
    assert result.status == RiskStatus.WATCH
    assert keys(result) == ["meeting"]
    assert "366" in str(result.reasons[0].text)


def test_never_a_meeting_is_watched():
    result = assess(facts(days_since_meeting=None))
    assert result.status == RiskStatus.WATCH
    assert keys(result) == ["meeting"]


def test_the_meeting_rule_is_skipped_for_who_may_not_see_the_follow_up_log():
    assert assess(facts(days_since_meeting=None, meeting_known=False)).status == RiskStatus.OK


def test_thresholds_can_be_changed():
    strict = Thresholds(meeting_days=30)
    assert assess(facts(days_since_meeting=31), strict).status == RiskStatus.WATCH


# Several reasons: the worst decides, every reason is listed


def test_the_worst_reason_decides_and_all_are_listed_worst_first():
    result = assess(
        facts(
            registration_status=RegistrationStatus.APPLIED,
            days_since_meeting=400,
            alis_without_supervisor=1,
        )
    )
    assert result.status == RiskStatus.AT_RISK
    assert keys(result) == ["supervisor", "registration", "meeting"]
    assert [r.status for r in result.reasons] == [
        RiskStatus.AT_RISK,
        RiskStatus.WATCH,
        RiskStatus.WATCH,
    ]


# Gathered from the database


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC))
    return TODAY


def _risk(rows, municipality):
    return next(r for r in rows if r.municipality.pk == municipality.pk)


def test_facts_are_gathered_as_they_stand_today(world, today):
    a = world.muni_a  # ALIS A in position, with supervisor A
    RegistrationStatusChangeFactory(
        municipality=a, status="not_applied", date=datetime.date(2020, 1, 1)
    )
    RegistrationStatusChangeFactory(
        municipality=a, status="registered", date=datetime.date(2022, 5, 1)
    )
    YearlyMappingFactory(municipality=a, year=2024, number_of_gps=9)
    YearlyMappingFactory(municipality=a, year=2026, number_of_gps=11)
    YearlyMappingFactory(municipality=a, year=2027, number_of_gps=99)  # not yet
    PositionFactory(municipality=a, status=Position.Status.ADVERTISED)
    PositionFactory(municipality=a, status=Position.Status.VACANT)
    PositionFactory(municipality=a, status=Position.Status.PLANNED)
    EmploymentFactory(position=PositionFactory(municipality=a), end_date=datetime.date(2025, 1, 1))
    AgreementFactory(
        employment=world.employment_a,
        status=AgreementStatus.SIGNED,
        signed_on=datetime.date(2024, 1, 1),
        pdf_sha256="0" * 64,
        start_date=datetime.date(2024, 1, 1),
        end_date=today + datetime.timedelta(days=90),
    )
    SupervisorFactory(person=world.supervisor_a, municipality=a, capacity=1)
    FollowUpEntryFactory(municipality=a, date=datetime.date(2025, 11, 21))  # 366 days
    FollowUpEntryFactory(municipality=a, date=datetime.date(2026, 1, 5), kind="phone")
    PopulationFactory(municipality=a, year=2025, population=8000)
    PopulationFactory(municipality=a, year=2026, population=8100)

    rows = municipality_risks(Municipality.objects.all(), user=world.adviser)
    risk = _risk(rows, a)
    assert risk.facts == RiskFacts(
        registration_status="registered",
        alis_in_position=1,
        open_positions=2,
        gps=11,
        mapping_year=2026,
        agreements_ending=1,
        first_agreement_end=today + datetime.timedelta(days=90),
        supervisor_capacity=1,
        supervisor_load=1,
        alis_without_supervisor=0,
        days_since_meeting=366,
        meeting_known=True,
    )
    assert risk.population == 8100
    assert risk.alis_per_10000 == pytest.approx(1 / 8100 * 10000)
    # Two open positions (fewer than a quarter of 11 GPs) and no free supervisor: to watch.
    assert risk.status == RiskStatus.WATCH
    assert keys(risk) == ["positions", "agreements", "capacity", "meeting"]


def test_an_agreement_ending_the_day_after_the_window_is_not_counted(world, today):
    AgreementFactory(
        employment=world.employment_a,
        status=AgreementStatus.SIGNED,
        signed_on=datetime.date(2024, 1, 1),
        pdf_sha256="0" * 64,
        start_date=datetime.date(2024, 1, 1),
        end_date=today + datetime.timedelta(days=91),
    )
    risk = _risk(municipality_risks(Municipality.objects.all(), user=world.adviser), world.muni_a)
    assert risk.facts.agreements_ending == 0


def test_alis_without_supervisor_is_counted(world, today):
    risk = _risk(municipality_risks(Municipality.objects.all(), user=world.adviser), world.muni_b)
    assert risk.facts.alis_in_position == 1
    assert risk.facts.alis_without_supervisor == 1
    assert "supervisor" in keys(risk)
    SupervisionRelationshipFactory(alis=world.alis_b, supervisor=world.supervisor_a)
    risk = _risk(municipality_risks(Municipality.objects.all(), user=world.adviser), world.muni_b)
    assert risk.facts.alis_without_supervisor == 0


def test_managers_get_no_meeting_facts(world, today):
    FollowUpEntryFactory(municipality=world.muni_a, date=datetime.date(2020, 1, 1))
    visible = Municipality.objects.visible_to(world.manager_a)
    [risk] = municipality_risks(visible, user=world.manager_a)
    assert risk.municipality == world.muni_a
    assert risk.facts.meeting_known is False
    assert risk.facts.days_since_meeting is None
    assert "meeting" not in keys(risk)


def test_the_queries_do_not_grow_with_the_municipalities(world, today):
    def run():
        with CaptureQueriesContext(connection) as context:
            municipality_risks(Municipality.objects.all(), user=world.adviser)
        return len(context.captured_queries)

    run()  # the person's scope is cached after the first
    before = run()
    for _i in range(10):
        m = MunicipalityFactory(region=world.region)
        RegistrationStatusChangeFactory(municipality=m)
        YearlyMappingFactory(municipality=m)
        employment = EmploymentFactory(position=PositionFactory(municipality=m))
        SupervisionRelationshipFactory(alis=employment.alis, supervisor=world.supervisor_a)
        PositionFactory(municipality=m, status=Position.Status.VACANT)
        SupervisorFactory(municipality=m)
        FollowUpEntryFactory(municipality=m)
    assert run() == before
