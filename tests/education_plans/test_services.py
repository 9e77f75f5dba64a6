"""The plan's writes and who may make them: plans, service periods, activities and their
confirmation, attestation in its steps, and moving a plan to another catalogue version."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from education_plans import services
from education_plans.models import (
    ActivityKind,
    Attestation,
    Catalogue,
    EducationPlan,
    LearningActivity,
    ServicePeriod,
)
from education_plans.progress import plan_progress
from education_plans.rules import RuleSet, ServiceType
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.education_plans.factories import (
    CatalogueFactory,
    ObjectiveFactory,
    ServicePeriodFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate


def errors(exc_info) -> dict:
    return exc_info.value.message_dict


# Plans


def new_alis(world, municipality=None):
    from accounts.models import Role

    alis = UserFactory()
    RoleAssignmentFactory(user=alis, role=Role.ALIS, municipality=municipality or world.muni_a)
    return alis


def test_the_manager_makes_a_plan_and_the_rule_set_follows_the_start(world):
    alis = new_alis(world)
    old = new_alis(world)
    plan = services.plan_create(
        alis=alis, municipality=world.muni_a, start_date=D(2024, 8, 1), by=world.manager_a
    )
    assert plan.rule_set == RuleSet.RULES_2019
    plan = services.plan_create(
        alis=old, municipality=world.muni_a, start_date=D(2018, 8, 1), by=world.manager_a
    )
    assert plan.rule_set == RuleSet.OLD


def test_a_plan_starts_with_the_catalogue_versions_in_force_then(world):
    old = CatalogueFactory(kind="fkm", version="2019", valid_to=D(2026, 2, 28))
    new = CatalogueFactory(kind="fkm", version="2026", valid_from=D(2026, 3, 1))
    plan = services.plan_create(
        alis=new_alis(world), municipality=world.muni_a, start_date=D(2025, 1, 6), by=world.adviser
    )
    assert plan.fkm_catalogue == old
    plan = services.plan_create(
        alis=new_alis(world), municipality=world.muni_a, start_date=D(2026, 9, 1), by=world.adviser
    )
    assert plan.fkm_catalogue == new


def test_one_plan_per_alis(world):
    with pytest.raises(ValidationError) as caught:
        services.plan_create(
            alis=world.alis_a, municipality=world.muni_a, start_date=D(2024, 1, 1), by=world.adviser
        )
    assert "alis" in errors(caught)


def test_old_rules_only_for_those_who_started_before_march_2019(world):
    with pytest.raises(ValidationError) as caught:
        services.plan_create(
            alis=new_alis(world),
            municipality=world.muni_a,
            start_date=D(2019, 3, 1),
            rule_set=RuleSet.OLD,
            by=world.manager_a,
        )
    assert "rule_set" in errors(caught)


def test_the_education_leader_is_a_manager_or_supervisor_of_the_municipality(world):
    alis = new_alis(world)
    with pytest.raises(ValidationError) as caught:
        services.plan_create(
            alis=alis,
            municipality=world.muni_a,
            start_date=D(2024, 1, 1),
            education_leader=world.manager_b,
            by=world.manager_a,
        )
    assert "education_leader" in errors(caught)
    plan = services.plan_create(
        alis=alis,
        municipality=world.muni_a,
        start_date=D(2024, 1, 1),
        education_leader=world.supervisor_a,
        by=world.manager_a,
    )
    assert plan.education_leader == world.supervisor_a


@pytest.mark.parametrize("persona", ["manager_b", "alis_a", "supervisor_a", "outsider"])
def test_only_the_municipalitys_managers_and_advisers_make_plans(world, persona):
    with pytest.raises(PermissionDenied):
        services.plan_create(
            alis=new_alis(world),
            municipality=world.muni_a,
            start_date=D(2024, 1, 1),
            by=world.user(persona),
        )


def test_a_plan_is_made_only_for_an_alis_of_the_municipalities_one_follows(world):
    stranger = UserFactory()
    with pytest.raises(ValidationError) as caught:
        services.plan_create(
            alis=stranger, municipality=world.muni_a, start_date=D(2024, 1, 1), by=world.adviser
        )
    assert "alis" in errors(caught)
    with pytest.raises(ValidationError):
        services.plan_create(
            alis=new_alis(world, world.muni_b),
            municipality=world.muni_a,
            start_date=D(2024, 1, 1),
            by=world.manager_a,
        )


def test_alis_candidates_are_the_municipalitys_alis_without_a_plan(world):
    alis = new_alis(world)
    new_alis(world, world.muni_b)
    assert list(services.alis_candidates(world.manager_a)) == [alis]


def test_updating_a_plan_keeps_history_and_checks_the_rule_set(world):
    plan = world.plan_a
    services.plan_update(
        plan=plan,
        by=world.manager_a,
        municipality=world.muni_a,
        start_date=D(2024, 2, 1),
        rule_set=RuleSet.RULES_2019,
        education_leader=world.supervisor_a,
    )
    plan.refresh_from_db()
    assert plan.education_leader == world.supervisor_a
    assert plan.history.count() == 2
    with pytest.raises(PermissionDenied):
        services.plan_update(
            plan=plan,
            by=world.alis_a,
            municipality=world.muni_a,
            start_date=D(2024, 2, 1),
            rule_set=RuleSet.RULES_2019,
        )


# Service periods


def period(world, **values):
    base = {
        "service_type": ServiceType.OPEN_UNSELECTED,
        "arena": "gp_practice",
        "place": "Sogndal legekontor",
        "start_date": D(2024, 1, 1),
        "end_date": D(2024, 12, 31),
        "percentage": Decimal(100),
    }
    return services.service_period_add(plan=world.plan_a, by=world.alis_a, **{**base, **values})


def test_the_alis_adds_a_service_period(world):
    period(world)
    assert plan_progress(world.plan_a, on=D(2025, 1, 1)).credited_months == 12


def test_dates_out_of_order_are_refused(world):
    with pytest.raises(ValidationError) as caught:
        period(world, end_date=D(2023, 12, 31))
    assert "end_date" in errors(caught)
    assert not ServicePeriod.objects.exists()


@pytest.mark.parametrize("percentage", [0, Decimal("100.5"), -5])
def test_the_percentage_is_from_1_to_100(world, percentage):
    with pytest.raises(ValidationError) as caught:
        period(world, percentage=percentage)
    assert "percentage" in errors(caught)


def test_overlapping_periods_may_not_exceed_100_percent_together(world):
    period(world, percentage=60)
    period(world, service_type=ServiceType.OTHER_GP, start_date=D(2024, 6, 1), percentage=40)
    with pytest.raises(ValidationError) as caught:
        period(world, start_date=D(2024, 11, 1), end_date=None, percentage=10)
    message = errors(caught)["percentage"][0]
    assert "110" in message and "01.11.2024" in message
    # After the others end, there is room again.
    period(world, start_date=D(2025, 1, 1), end_date=None, percentage=100)


def test_an_ongoing_period_blocks_a_full_time_one_later(world):
    period(world, end_date=None)
    with pytest.raises(ValidationError):
        period(world, start_date=D(2026, 1, 1), end_date=D(2026, 6, 30))


def test_editing_a_period_does_not_count_it_against_itself(world):
    p = period(world)
    services.service_period_update(
        period=p,
        by=world.alis_a,
        service_type=p.service_type,
        arena=p.arena,
        place=p.place,
        start_date=p.start_date,
        end_date=D(2025, 6, 30),
        percentage=Decimal(80),
    )
    p.refresh_from_db()
    assert (p.end_date, p.percentage) == (D(2025, 6, 30), 80)


def test_hospital_service_of_the_old_rules_only_in_old_rules_plans(world):
    with pytest.raises(ValidationError) as caught:
        period(world, service_type=ServiceType.OLD_HOSPITAL, arena="hospital")
    assert "service_type" in errors(caught)
    EducationPlan.objects.filter(pk=world.plan_a.pk).update(rule_set=RuleSet.OLD)
    world.plan_a.refresh_from_db()
    period(world, service_type=ServiceType.OLD_HOSPITAL, arena="hospital")


def test_a_supervisor_does_not_change_service_periods(world):
    with pytest.raises(PermissionDenied):
        services.service_period_add(
            plan=world.plan_a,
            by=world.supervisor_a,
            service_type=ServiceType.OPEN_UNSELECTED,
            arena="gp_practice",
            place="x",
            start_date=D(2024, 1, 1),
            percentage=100,
        )


# Learning activities


@pytest.fixture
def catalogue(world):
    catalogue = CatalogueFactory()
    world.plan_a.alm_catalogue = catalogue
    world.plan_a.save()
    return catalogue


def activity(world, by=None, **values):
    base = {
        "status": LearningActivity.Status.DONE,
        "kind": ActivityKind.INDIVIDUAL_SUPERVISION,
        "date": TODAY() - datetime.timedelta(days=3),
        "hours": Decimal(2),
        "title": "Veiledning",
    }
    return services.activity_create(plan=world.plan_a, by=by or world.alis_a, **{**base, **values})


def test_an_activity_links_only_to_the_plans_objectives(world, catalogue):
    mine = ObjectiveFactory(catalogue=catalogue)
    foreign = ObjectiveFactory(catalogue__kind="fkm", catalogue__version="annen")
    created = activity(world, objectives=[mine])
    assert list(created.objectives.all()) == [mine]
    with pytest.raises(ValidationError) as caught:
        activity(world, objectives=[foreign])
    assert "objectives" in errors(caught)


def test_a_done_activity_is_not_in_the_future(world):
    with pytest.raises(ValidationError) as caught:
        activity(world, date=TODAY() + datetime.timedelta(days=1))
    assert "date" in errors(caught)
    planned = activity(
        world, status=LearningActivity.Status.PLANNED, date=TODAY() + datetime.timedelta(days=9)
    )
    assert planned.pk


def test_an_attachment_is_checked_and_stored(world):
    pdf = SimpleUploadedFile("kursbevis.pdf", b"%PDF-1.7 kursbevis", "application/pdf")
    created = activity(world, attachment=pdf)
    assert created.attachment.read() == b"%PDF-1.7 kursbevis"
    fake = SimpleUploadedFile("virus.pdf", b"MZ not a pdf", "application/pdf")
    with pytest.raises(ValidationError) as caught:
        activity(world, attachment=fake)
    assert "attachment" in errors(caught)


def test_the_active_supervisor_confirms_and_only_they_recall(world):
    created = activity(world)
    for persona in ["alis_a", "manager_a", "adviser", "alis_b"]:
        with pytest.raises(PermissionDenied):
            services.activity_confirm(activity=created, by=world.user(persona))
    services.activity_confirm(activity=created, by=world.supervisor_a)
    created.refresh_from_db()
    assert created.confirmed_by == world.supervisor_a
    with pytest.raises(PermissionDenied):
        services.activity_unconfirm(activity=created, by=world.manager_a)
    services.activity_unconfirm(activity=created, by=world.supervisor_a)
    created.refresh_from_db()
    assert created.confirmed_at is None
    assert [h.confirmed_by_id for h in created.history.order_by("history_date")] == [
        None,
        world.supervisor_a.pk,
        None,
    ]


def test_a_former_supervisor_cannot_confirm(world):
    from education_plans.models import SupervisionRelationship

    created = activity(world)
    SupervisionRelationship.objects.update(end_date=TODAY() - datetime.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        services.activity_confirm(activity=created, by=world.supervisor_a)


def test_confirmed_supervision_counts_in_progress(world):
    ServicePeriodFactory(plan=world.plan_a, start_date=D(2024, 1, 1))
    created = activity(world)
    before = plan_progress(world.plan_a).supervision.done
    services.activity_confirm(activity=created, by=world.supervisor_a)
    assert plan_progress(world.plan_a).supervision.done == before + 2


def test_a_planned_activity_cannot_be_confirmed(world):
    planned = activity(
        world, status=LearningActivity.Status.PLANNED, date=TODAY() + datetime.timedelta(days=9)
    )
    with pytest.raises(ValidationError):
        services.activity_confirm(activity=planned, by=world.supervisor_a)


def test_changing_what_was_confirmed_withdraws_the_confirmation_but_a_note_does_not(world):
    created = activity(world)
    services.activity_confirm(activity=created, by=world.supervisor_a)
    fields = {
        "status": created.status,
        "kind": created.kind,
        "date": created.date,
        "hours": created.hours,
        "title": created.title,
    }
    created = services.activity_update(
        activity=created, plan=world.plan_a, by=world.alis_a, note="God samtale", **fields
    )
    assert created.confirmed_at is not None
    created = services.activity_update(
        activity=created, plan=world.plan_a, by=world.alis_a, **{**fields, "hours": Decimal(3)}
    )
    assert created.confirmed_at is None


def test_a_confirmed_activity_is_not_deleted(world):
    created = activity(world)
    services.activity_confirm(activity=created, by=world.supervisor_a)
    with pytest.raises(ValidationError):
        services.activity_delete(activity=created, plan=world.plan_a, by=world.alis_a)
    services.activity_unconfirm(activity=created, by=world.supervisor_a)
    services.activity_delete(activity=created, plan=world.plan_a, by=world.alis_a)
    assert not LearningActivity.objects.exists()


def test_external_activities_are_read_only_here(world):
    external = services.activity_record_external(
        alis=world.alis_a,
        source_key="supervision.session:9",
        kind=ActivityKind.INDIVIDUAL_SUPERVISION,
        date=D(2026, 1, 5),
        hours=Decimal(1),
        title="Veiledning",
    )
    with pytest.raises(PermissionDenied):
        services.activity_delete(activity=external, plan=world.plan_a, by=world.alis_a)
    with pytest.raises(PermissionDenied):
        services.activity_confirm(activity=external, by=world.supervisor_a)


def test_a_manager_enters_an_activity_for_their_alis(world):
    created = activity(world, by=world.manager_a)
    assert (created.alis, created.created_by) == (world.alis_a, world.manager_a)
    with pytest.raises(PermissionDenied):
        activity(world, by=world.manager_b)


# Attestation


@pytest.fixture
def objective(world, catalogue):
    return ObjectiveFactory(catalogue=catalogue)


def request_attestation(world, objective):
    return services.attestation_request(
        plan=world.plan_a, objective=objective, by=world.alis_a, note="Kurs og veiledning"
    )


def test_the_alis_requests_and_the_leader_attests(world, objective):
    attestation = request_attestation(world, objective)
    assert attestation.status == Attestation.Status.REQUESTED
    attestation = services.attestation_attest(
        attestation=attestation, by=world.manager_a, comment="Bra"
    )
    assert attestation.status == Attestation.Status.ATTESTED
    assert plan_progress(world.plan_a).objectives[0].done == 1


@pytest.mark.parametrize("persona", ["alis_a", "supervisor_a", "adviser", "manager_b"])
def test_only_the_education_leader_attests(world, objective, persona):
    attestation = request_attestation(world, objective)
    with pytest.raises(PermissionDenied):
        services.attestation_attest(attestation=attestation, by=world.user(persona))


@pytest.mark.parametrize("persona", ["manager_a", "supervisor_a", "adviser"])
def test_only_the_alis_requests(world, objective, persona):
    with pytest.raises(PermissionDenied):
        services.attestation_request(plan=world.plan_a, objective=objective, by=world.user(persona))


def test_a_return_needs_a_comment_and_the_alis_asks_again(world, objective):
    attestation = request_attestation(world, objective)
    with pytest.raises(ValidationError) as caught:
        services.attestation_return(attestation=attestation, by=world.manager_a, comment=" ")
    assert "comment" in errors(caught)
    attestation = services.attestation_return(
        attestation=attestation, by=world.manager_a, comment="Mangler vurdering"
    )
    assert attestation.status == Attestation.Status.RETURNED
    again = request_attestation(world, objective)
    assert (again.pk, again.status, again.comment) == (
        attestation.pk,
        Attestation.Status.REQUESTED,
        "",
    )


def test_only_the_one_who_attested_recalls_and_every_step_is_in_the_history(world, objective):
    attestation = request_attestation(world, objective)
    services.attestation_attest(attestation=attestation, by=world.manager_a)
    # Another leader later: they did not attest it, so they cannot recall it.
    world.plan_a.education_leader = world.supervisor_a
    world.plan_a.save()
    with pytest.raises(PermissionDenied):
        services.attestation_recall(attestation=attestation, by=world.supervisor_a)
    attestation = services.attestation_recall(
        attestation=attestation, by=world.manager_a, comment="Feil mål"
    )
    assert attestation.status == Attestation.Status.RECALLED
    assert [h.status for h in attestation.history.order_by("history_date")] == [
        "requested",
        "attested",
        "recalled",
    ]


def test_attesting_twice_or_an_undecided_recall_is_refused(world, objective):
    attestation = request_attestation(world, objective)
    with pytest.raises(ValidationError):
        request_attestation(world, objective)
    with pytest.raises(PermissionDenied):
        services.attestation_recall(attestation=attestation, by=world.manager_a)
    services.attestation_attest(attestation=attestation, by=world.manager_a)
    with pytest.raises(ValidationError):
        services.attestation_attest(attestation=attestation, by=world.manager_a)


def test_the_alis_withdraws_a_waiting_request(world, objective):
    attestation = request_attestation(world, objective)
    services.attestation_withdraw(attestation=attestation, by=world.alis_a)
    assert not Attestation.objects.exists()


def test_an_objective_outside_the_plans_catalogues_cannot_be_requested(world, catalogue):
    foreign = ObjectiveFactory(catalogue__kind="fkm", catalogue__version="annen")
    with pytest.raises(ValidationError):
        request_attestation(world, foreign)


# Moving to a new catalogue version


def test_moving_maps_objectives_by_code_and_lists_those_without_a_match(world):
    old = CatalogueFactory(kind=Catalogue.Kind.FKM, version="2019")
    new = CatalogueFactory(kind=Catalogue.Kind.FKM, version="2026", valid_from=D(2026, 3, 1))
    kept = ObjectiveFactory(catalogue=old, code="FKM-01")
    dropped = ObjectiveFactory(catalogue=old, code="FKM-07")
    target = ObjectiveFactory(catalogue=new, code="FKM-01")
    added = ObjectiveFactory(catalogue=new, code="FKM-14")
    plan = world.plan_a
    plan.fkm_catalogue = old
    plan.save()
    attested = request_attestation(world, kept)
    services.attestation_attest(attestation=attested, by=world.manager_a)
    lost = request_attestation(world, dropped)
    linked = activity(world, objectives=[kept, dropped])

    preview = services.plan_catalogue_move_preview(plan=plan, catalogue=new)
    assert preview.matched == [(kept, target)]
    assert preview.unmatched == [dropped]
    assert preview.unmatched_in_use == {dropped.pk}
    assert preview.added == [added]
    plan.refresh_from_db()
    assert plan.fkm_catalogue == old  # a preview changes nothing

    move = services.plan_catalogue_move(plan=plan, catalogue=new, by=world.manager_a)

    plan.refresh_from_db()
    attested.refresh_from_db()
    lost.refresh_from_db()
    assert plan.fkm_catalogue == new
    assert attested.objective == target and attested.status == Attestation.Status.ATTESTED
    assert lost.objective == dropped  # kept on the old objective, listed
    assert move.attestations_moved == 1
    assert set(linked.objectives.all()) == {target, dropped}
    fkm = plan_progress(plan).rule("objectives_fkm")
    assert (fkm.done, fkm.target) == (1, 2)


def test_moving_to_the_same_version_is_refused(world, catalogue):
    with pytest.raises(ValidationError):
        services.plan_catalogue_move(plan=world.plan_a, catalogue=catalogue, by=world.manager_a)


def test_only_managers_and_advisers_move_a_plan(world, catalogue):
    new = CatalogueFactory(version="2030")
    with pytest.raises(PermissionDenied):
        services.plan_catalogue_move(plan=world.plan_a, catalogue=new, by=world.alis_a)
