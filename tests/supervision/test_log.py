"""The supervision log: logging, signing, locking, corrections, the ledger, and the months of
the strip (DOMAIN.md: 4 hours a month from 1 January 2021, 3 hours before)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from education_plans.models import ActivityKind, LearningActivity, SupervisionRelationship
from education_plans.progress import plan_progress
from education_plans.rules import MonthStatus
from supervision import services
from supervision.models import SupervisionSession, hours_from_minutes
from tests.accounts.factories import UserFactory
from tests.education_plans.factories import (
    CatalogueFactory,
    ObjectiveFactory,
    ServicePeriodFactory,
)
from tests.supervision.factories import signed_session

pytestmark = pytest.mark.django_db
D = datetime.date


def log(world, **kwargs) -> SupervisionSession:
    values = {
        "alis": world.alis_a,
        "supervisor": world.supervisor_a,
        "by": world.alis_a,
        "date": D(2026, 1, 15),
        "minutes": 60,
        "topics": "Eksempel: timebok",
        "private_notes": "Privat",
    }
    return services.session_record(**{**values, **kwargs})


def strip(world, on):
    return {m.month: m for m in plan_progress(world.plan_a, on=on).supervision_strip}


# Logging and signing


def test_the_alis_logs_and_the_supervisor_signs_into_the_ledger(world):
    objective = ObjectiveFactory()
    world.plan_a.alm_catalogue = objective.catalogue
    world.plan_a.save()
    session = log(world, objectives=[objective], minutes=90)
    assert not session.is_signed
    waiting = LearningActivity.objects.get()  # shown as waiting, counted nowhere
    assert (waiting.confirmed_by, waiting.confirmed_at) == (None, None)

    services.session_sign(session=session, by=world.supervisor_a)

    activity = LearningActivity.objects.get(source_key=f"supervision.session:{session.pk}")
    assert activity.kind == ActivityKind.INDIVIDUAL_SUPERVISION
    assert (activity.alis, activity.date, activity.hours) == (
        world.alis_a,
        D(2026, 1, 15),
        Decimal("1.5"),
    )
    assert activity.confirmed_by == world.supervisor_a
    assert activity.confirmed_at is not None
    assert list(activity.objectives.all()) == [objective]
    assert activity.title == "Eksempel: timebok"
    assert "Privat" not in (activity.title + activity.note)


def test_only_the_supervisor_of_the_session_signs(world):
    session = log(world)
    for person in (world.alis_a, world.manager_a, world.adviser, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.session_sign(session=session, by=person)
    assert not SupervisionSession.objects.get(pk=session.pk).is_signed


def test_the_supervisor_may_log_and_sign_at_once(world):
    session = log(world, by=world.supervisor_a, sign=True)
    assert session.is_signed
    assert LearningActivity.objects.filter(source_key=session.ledger_key).exists()


def test_the_alis_cannot_sign_their_own_session_even_when_logging(world):
    with pytest.raises(PermissionDenied):
        log(world, sign=True)
    assert not SupervisionSession.objects.exists()  # one transaction: nothing is kept


def test_others_cannot_log_for_an_alis(world):
    with pytest.raises(PermissionDenied):
        log(world, by=world.manager_a)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": D(2023, 12, 31)}, "date"),  # before the relationship
        ({"date": datetime.date.today() + datetime.timedelta(days=1)}, "date"),
    ],
)
def test_a_session_must_be_with_the_supervisor_of_that_day_and_not_in_the_future(
    world, change, field
):
    with pytest.raises(ValidationError) as exc:
        log(world, **change)
    assert field in exc.value.error_dict


def test_objectives_must_come_from_the_plans_catalogues(world):
    world.plan_a.alm_catalogue = CatalogueFactory()
    world.plan_a.save()
    other = ObjectiveFactory(catalogue__version="Eksempel annen")
    with pytest.raises(ValidationError) as exc:
        log(world, objectives=[other])
    assert "objectives" in exc.value.error_dict


def test_a_later_supervisor_cannot_be_named_for_an_earlier_session(world):
    later = UserFactory()
    SupervisionRelationship.objects.filter(alis=world.alis_a).update(end_date=D(2026, 1, 31))
    SupervisionRelationship.objects.create(
        alis=world.alis_a, supervisor=later, start_date=D(2026, 2, 1)
    )
    with pytest.raises(ValidationError):
        log(world, supervisor=later, date=D(2026, 1, 20))
    assert log(world, supervisor=later, date=D(2026, 2, 2)).supervisor == later


# Locking and corrections


def test_a_signed_session_is_locked(world):
    session = signed_session(world)
    with pytest.raises(ValidationError):
        services.session_update(
            session=session, by=world.alis_a, date=session.date, minutes=120, topics="x"
        )
    with pytest.raises(ValidationError):
        services.session_delete(session=session, by=world.supervisor_a)
    with pytest.raises(ValidationError):
        services.session_sign(session=session, by=world.supervisor_a)
    session.refresh_from_db()
    assert session.minutes == 60


def test_a_signed_session_cannot_be_changed_through_the_page(world, client_for):
    session = signed_session(world)
    url = reverse("supervision:session_update", args=[session.pk])
    client = client_for(world.alis_a)
    response = client.post(
        url, {"date": "2026-01-15", "minutes": 240, "topics": "Endret", "supervisor": ""}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.minutes, session.topics) == (60, "Eksempel: vanskelige samtaler")


def test_an_unsigned_session_can_be_changed_and_deleted_by_its_parties(world):
    session = log(world)
    services.session_update(
        session=session, by=world.supervisor_a, date=D(2026, 1, 16), minutes=75, topics="Nytt"
    )
    session.refresh_from_db()
    assert (session.date, session.minutes, session.topics) == (D(2026, 1, 16), 75, "Nytt")
    with pytest.raises(PermissionDenied):
        services.session_delete(session=session, by=world.manager_a)
    services.session_delete(session=session, by=world.alis_a)
    assert not SupervisionSession.objects.exists()
    assert not LearningActivity.objects.exists()


def test_a_correction_is_a_new_version_and_the_ledger_follows_it(world):
    session = signed_session(world, minutes=60)
    correction = services.session_correct(
        session=session,
        by=world.alis_a,
        reason="Feil varighet",
        date=session.date,
        minutes=90,
        topics=session.topics,
        private_notes=session.private_notes,
    )
    session.refresh_from_db()
    assert not session.is_current and session.is_signed and session.minutes == 60
    assert (correction.replaces, correction.version, correction.is_current) == (session, 2, True)
    assert not correction.is_signed
    # Until the supervisor signs the correction, the session does not count.
    waiting = LearningActivity.objects.get()
    assert waiting.source_key == correction.ledger_key
    assert waiting.confirmed_at is None

    services.session_sign(session=correction, by=world.supervisor_a)

    activity = LearningActivity.objects.get()
    assert activity.source_key == f"supervision.session:{correction.pk}"
    assert activity.hours == Decimal("1.5")
    assert list(SupervisionSession.objects.current()) == [correction]


def test_only_the_newest_version_can_be_corrected_and_with_a_reason(world):
    session = signed_session(world)
    values = {"date": session.date, "minutes": 90, "topics": "x"}
    with pytest.raises(ValidationError):
        services.session_correct(session=session, by=world.alis_a, reason=" ", **values)
    correction = services.session_correct(session=session, by=world.alis_a, reason="r", **values)
    with pytest.raises(ValidationError):
        services.session_correct(session=session, by=world.alis_a, reason="r", **values)
    with pytest.raises(ValidationError):  # unsigned: change it instead
        services.session_correct(session=correction, by=world.alis_a, reason="r", **values)
    with pytest.raises(PermissionDenied):
        services.session_correct(
            session=SupervisionSession.objects.get(pk=correction.pk),
            by=world.manager_a,
            reason="r",
            **values,
        )


def test_withdrawing_a_correction_restores_the_signed_version(world):
    session = signed_session(world)
    correction = services.session_correct(
        session=session, by=world.alis_a, reason="r", date=session.date, minutes=90, topics="x"
    )
    restored = services.session_delete(session=correction, by=world.alis_a)
    assert restored == session
    session.refresh_from_db()
    assert session.is_current
    activity = LearningActivity.objects.get()
    assert activity.source_key == session.ledger_key
    assert activity.confirmed_by == world.supervisor_a


def test_the_session_page_shows_the_chain_of_versions(world, client_for):
    session = signed_session(world)
    correction = services.session_correct(
        session=session,
        by=world.alis_a,
        reason="Feil dato",
        date=D(2026, 1, 14),
        minutes=60,
        topics="x",
    )
    response = client_for(world.manager_a).get(
        reverse("supervision:session_detail", args=[session.pk])
    )
    versions = [v for v, _readable in response.context["versions"]]
    assert versions == [correction, session]
    assert response.context["current"] == correction
    assert "Feil dato" in response.content.decode()


# Sign and next


def test_sign_and_next_signs_one_session_at_a_time(world, client_for):
    first = log(world, date=D(2026, 1, 5), topics="Første")
    second = log(world, date=D(2026, 1, 20), topics="Andre")
    client = client_for(world.supervisor_a)
    queue = reverse("supervision:sign_queue")

    response = client.get(queue)
    assert response.context["session"] == first
    assert (response.context["position"], response.context["count"]) == (1, 2)
    assert "Signer og gå til neste" in response.content.decode()  # "Sign and next"

    response = client.post(reverse("supervision:session_sign", args=[first.pk]), {"next": "queue"})
    assert response["Location"] == queue
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_signed and not second.is_signed  # never a blind sign-all

    response = client.get(queue)
    assert response.context["session"] == second
    assert response.context["count"] == 1


def test_skip_shows_the_next_session_without_signing(world, client_for):
    first = log(world, date=D(2026, 1, 5))
    second = log(world, date=D(2026, 1, 20))
    client = client_for(world.supervisor_a)
    response = client.get(reverse("supervision:sign_queue"), {"after": first.pk})
    assert response.context["session"] == second
    response = client.get(reverse("supervision:sign_queue"), {"after": second.pk})
    assert response.context["session"] == first  # round again
    assert not SupervisionSession.objects.signed().exists()


def test_the_queue_holds_only_the_supervisors_own_sessions(world, client_for):
    log(world)
    other = UserFactory()
    SupervisionRelationship.objects.create(
        alis=world.alis_b, supervisor=other, start_date=D(2024, 1, 1)
    )
    services.session_record(
        alis=world.alis_b,
        supervisor=other,
        by=world.alis_b,
        date=D(2026, 1, 2),
        minutes=60,
        topics="B",
    )
    response = client_for(world.supervisor_a).get(reverse("supervision:sign_queue"))
    assert response.context["count"] == 1
    assert response.context["session"].alis == world.alis_a


# Hours per month (the strip comes from education_plans.progress)


def test_hours_are_rounded_up_so_that_whole_minutes_never_fall_short():
    assert hours_from_minutes(60) == Decimal("1")
    assert hours_from_minutes(45) == Decimal("0.75")
    assert hours_from_minutes(80) == Decimal("1.34")
    assert hours_from_minutes(50) == Decimal("0.84")


def test_three_sessions_of_80_minutes_meet_four_hours(world):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2024, 1, 1))
    for day in (5, 12, 19):
        signed_session(world, date=D(2026, 3, day), minutes=80)
    month = strip(world, D(2026, 3, 31))[D(2026, 3, 1)]
    assert month.status == MonthStatus.MET


def test_monthly_sums_split_at_the_month_boundary(world):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2024, 1, 1))
    signed_session(world, date=D(2026, 1, 31), minutes=240)
    signed_session(world, date=D(2026, 2, 1), minutes=120)
    months = strip(world, D(2026, 2, 28))
    assert (months[D(2026, 1, 1)].hours, months[D(2026, 1, 1)].status) == (4, MonthStatus.MET)
    assert (months[D(2026, 2, 1)].hours, months[D(2026, 2, 1)].status) == (2, MonthStatus.SHORT)
    assert months[D(2025, 12, 1)].status == MonthStatus.NONE


def test_pending_sessions_do_not_count_in_the_month(world):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2024, 1, 1))
    log(world, date=D(2026, 1, 10), minutes=240)
    progress = plan_progress(world.plan_a, on=D(2026, 1, 31))
    assert progress.supervision_strip[-1].status == MonthStatus.NONE
    assert progress.supervision_pending_hours == 4


def test_a_session_at_23_30_on_the_last_day_of_the_month_belongs_to_that_month(
    world, client_for, time_machine
):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2024, 1, 1))
    # 22:30 UTC on 31 January is 23:30 in Oslo: the form offers 31 January.
    time_machine.move_to(datetime.datetime(2026, 1, 31, 22, 30, tzinfo=datetime.UTC), tick=False)
    client = client_for(world.alis_a)
    url = reverse("supervision:session_create", args=[world.alis_a.pk])
    assert client.get(url).context["form"]["date"].value() == D(2026, 1, 31)
    response = client.post(
        url,
        {
            "date": "31.01.2026",
            "minutes": 240,
            "topics": "Sen økt",
            "supervisor": world.supervisor_a.pk,
        },
    )
    assert response.status_code == 302
    session = SupervisionSession.objects.get()
    assert session.date == D(2026, 1, 31)
    services.session_sign(session=session, by=world.supervisor_a)
    months = strip(world, D(2026, 2, 28))
    assert months[D(2026, 1, 1)].hours == 4
    assert months[D(2026, 2, 1)].hours == 0
    # 23:30 UTC is 00:30 on 1 February in Oslo: a new month.
    time_machine.move_to(datetime.datetime(2026, 1, 31, 23, 30, tzinfo=datetime.UTC), tick=False)
    assert client.get(url).context["form"]["date"].value() == D(2026, 2, 1)


def test_three_hours_meet_december_2020_but_not_january_2021(world, client_for, time_machine):
    SupervisionRelationship.objects.filter(alis=world.alis_a).update(start_date=D(2019, 3, 1))
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2019, 3, 1))
    time_machine.move_to(datetime.datetime(2021, 2, 10, 12, 0, tzinfo=datetime.UTC), tick=False)
    signed_session(world, date=D(2020, 12, 10), minutes=180)
    signed_session(world, date=D(2021, 1, 12), minutes=180)
    response = client_for(world.alis_a).get(
        reverse("supervision:alis_supervision", args=[world.alis_a.pk])
    )
    months = {m.month: m for m in response.context["progress"].supervision_strip}
    assert (months[D(2020, 12, 1)].required, months[D(2020, 12, 1)].status) == (
        3,
        MonthStatus.MET,
    )
    assert (months[D(2021, 1, 1)].required, months[D(2021, 1, 1)].status) == (
        4,
        MonthStatus.SHORT,
    )
    html = response.content.decode()
    assert 'class="strip-month strip-met"' in html
    assert 'class="strip-month strip-short"' in html
