"""Demo education plans: the example catalogues (every title starts with "Eksempel"), and plans
for the two Lærdal ALIS with service periods, supervision, activities (most confirmed, the
latest waiting) and attestations in every state. Dated back from today, so the progress page
always has a recent year to show. The manager of Lærdal is the education leader."""

import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from alisvest.tabular import read_table
from education_plans import rules
from education_plans.models import (
    ActivityKind,
    Attestation,
    Catalogue,
    EducationPlan,
    GroupSupervisionPeriod,
    LearningActivity,
    LearningArena,
    Objective,
    ServicePeriod,
    SupervisionRelationship,
)
from education_plans.rules import ServiceType
from education_plans.services import catalogue_for, catalogue_import
from municipalities.models import Municipality, Practice

EXAMPLES = Path(settings.BASE_DIR) / "data" / "examples"
CATALOGUES = [
    ("alm_eksempel_2019.csv", Catalogue.Kind.ALM, "Eksempel 2019", (2019, 3, 1), None),
    ("fkm_eksempel_2019.csv", Catalogue.Kind.FKM, "Eksempel 2019", (2019, 3, 1), (2026, 2, 28)),
    ("fkm_eksempel_2026.csv", Catalogue.Kind.FKM, "Eksempel 2026", (2026, 3, 1), None),
]
D = datetime.date


def seed(demo):
    for name, kind, version, valid_from, valid_to in CATALOGUES:
        catalogue_import(
            rows=read_table(EXAMPLES / name, name=name),
            kind=kind,
            version=version,
            valid_from=D(*valid_from),
            valid_to=D(*valid_to) if valid_to else None,
            source_name=name,
        )
    alis, alis2 = demo.people["alis"], demo.people["alis2"]
    if EducationPlan.objects.filter(alis__in=[alis, alis2]).exists():
        return
    lærdal = Municipality.objects.get(number="4642")
    manager, supervisor = demo.people["manager"], demo.people["supervisor"]
    today = timezone.localdate()
    practice = Practice.objects.filter(municipality=lærdal, name="Lærdal legekontor").first()
    _ola(alis, lærdal, manager, supervisor, practice, today)
    _ingrid(alis2, lærdal, manager, supervisor, practice, today)


def _plan(alis, municipality, manager, start):
    return EducationPlan.objects.create(
        alis=alis,
        municipality=municipality,
        start_date=start,
        rule_set=rules.rule_set_for_start(start),
        education_leader=manager,
        alm_catalogue=catalogue_for(Catalogue.Kind.ALM, start),
        fkm_catalogue=catalogue_for(Catalogue.Kind.FKM, start),
    )


def _objectives(plan) -> dict[str, Objective]:
    return {o.code: o for o in Objective.objects.filter(catalogue__in=plan.catalogues)}


def _activity(
    alis, supervisor, objectives, *, date, kind, hours, title, codes, note="", planned=False
):
    activity = LearningActivity.objects.create(
        alis=alis,
        kind=kind,
        status=LearningActivity.Status.PLANNED if planned else LearningActivity.Status.DONE,
        date=date,
        hours=Decimal(hours),
        title=title,
        note=note,
        created_by=alis,
        confirmed_by=None if planned else supervisor,
        confirmed_at=None if planned else timezone.now(),
    )
    activity.objectives.set([objectives[c] for c in codes if c in objectives])
    return activity


def _attest(plan, objective, status, manager, *, days_ago, comment="", note=""):
    now = timezone.now()
    decided = status != Attestation.Status.REQUESTED
    Attestation.objects.create(
        plan=plan,
        objective=objective,
        status=status,
        requested_at=now - datetime.timedelta(days=days_ago + 7),
        request_note=note,
        decided_by=manager if decided else None,
        decided_at=now - datetime.timedelta(days=days_ago) if decided else None,
        comment=comment,
    )


def _ola(alis, lærdal, manager, supervisor, practice, today):
    """Three years in: open unselected practice, a half year half-time at the nursing home,
    a hospital half-year planned."""
    start = rules.add_months(today, -39).replace(day=15)
    plan = _plan(alis, lærdal, manager, start)
    SupervisionRelationship.objects.get_or_create(
        alis=alis, supervisor=supervisor, defaults={"start_date": start}
    )
    nursing_home = rules.add_months(start, 24)
    back = rules.add_months(nursing_home, 6)
    period = ServicePeriod.objects.create
    period(
        plan=plan,
        service_type=ServiceType.OPEN_UNSELECTED,
        arena=LearningArena.GP_PRACTICE,
        place="Lærdal legekontor",
        practice=practice,
        start_date=start,
        end_date=nursing_home - rules.ONE_DAY,
    )
    period(
        plan=plan,
        service_type=ServiceType.OTHER_GP,
        arena=LearningArena.NURSING_HOME,
        place="Lærdal sjukeheim",
        start_date=nursing_home,
        end_date=back - rules.ONE_DAY,
        percentage=50,
        note="Tilsynslege, halv stilling",
    )
    period(
        plan=plan,
        service_type=ServiceType.OPEN_UNSELECTED,
        arena=LearningArena.GP_PRACTICE,
        place="Lærdal legekontor",
        practice=practice,
        start_date=nursing_home,
        end_date=back - rules.ONE_DAY,
        percentage=50,
    )
    hospital = rules.month_start(rules.add_months(today, 4))
    period(
        plan=plan,
        service_type=ServiceType.OPEN_UNSELECTED,
        arena=LearningArena.GP_PRACTICE,
        place="Lærdal legekontor",
        practice=practice,
        start_date=back,
        end_date=hospital - rules.ONE_DAY,
    )
    period(
        plan=plan,
        service_type=ServiceType.INSTITUTION,
        arena=LearningArena.HOSPITAL,
        place="Førde sentralsjukehus, medisinsk avdeling",
        start_date=hospital,
        end_date=rules.add_months(hospital, 6) - rules.ONE_DAY,
        note="Avtale med Helse Førde",
    )
    group_start = rules.add_months(start, 2)
    GroupSupervisionPeriod.objects.create(
        alis=alis,
        title="Veiledningsgruppe Sogn",
        start_date=group_start,
        end_date=rules.add_months(group_start, 24) - rules.ONE_DAY,
    )
    objectives = _objectives(plan)
    done = [
        (-30, ActivityKind.COURSE, 16, "Kurs i akuttmedisin", ["EKS-ALM-07", "EKS-ALM-08"]),
        (-26, ActivityKind.JOINT_CONSULTATION, 1, "Felleskonsultasjon", ["EKS-ALM-01"]),
        (-20, ActivityKind.COURSE, 12, "Kommunikasjonskurs", ["EKS-FKM-04", "EKS-FKM-09"]),
        (-15, ActivityKind.E_LEARNING, 4, "E-læring: helserett for leger", ["EKS-FKM-08"]),
        (-10, ActivityKind.CLINICAL_PRACTICE, 8, "Legemiddelgjennomgang", ["EKS-ALM-11"]),
        (-4, ActivityKind.OTHER, 3, "Avvikssak med veileder", ["EKS-FKM-06"]),
    ]
    for months, kind, hours, title, codes in done:
        _activity(
            alis,
            supervisor,
            objectives,
            date=rules.add_months(today, months).replace(day=10),
            kind=kind,
            hours=hours,
            title=title,
            codes=codes,
        )
    _activity(
        alis,
        supervisor,
        objectives,
        date=rules.add_months(today, 2).replace(day=12),
        kind=ActivityKind.COURSE,
        hours=8,
        title="Kurs i trygdemedisin",
        codes=["EKS-ALM-15", "EKS-ALM-16"],
        planned=True,
    )
    attested = Attestation.Status.ATTESTED
    for code, days in [("EKS-ALM-01", 700), ("EKS-ALM-07", 800), ("EKS-FKM-04", 500)]:
        _attest(plan, objectives[code], attested, manager, days_ago=days)
    _attest(plan, objectives["EKS-FKM-08"], attested, manager, days_ago=400)
    _attest(
        plan,
        objectives["EKS-ALM-11"],
        Attestation.Status.REQUESTED,
        manager,
        days_ago=5,
        note="Legemiddelgjennomganger på sjukeheimen, drøftet med veileder.",
    )
    _attest(
        plan,
        objectives["EKS-FKM-06"],
        Attestation.Status.RETURNED,
        manager,
        days_ago=20,
        comment="Legg ved oppfølgingen av avviket og hva legekontoret endret.",
    )


def _ingrid(alis, lærdal, manager, supervisor, practice, today):
    """Started almost two years ago at 80 %."""
    start = rules.add_months(today, -22).replace(day=6)
    plan = _plan(alis, lærdal, manager, start)
    SupervisionRelationship.objects.get_or_create(
        alis=alis, supervisor=supervisor, defaults={"start_date": start}
    )
    ServicePeriod.objects.create(
        plan=plan,
        service_type=ServiceType.OPEN_UNSELECTED,
        arena=LearningArena.GP_PRACTICE,
        place="Lærdal legekontor",
        practice=practice,
        start_date=start,
        percentage=80,
    )
    objectives = _objectives(plan)
    _activity(
        alis,
        supervisor,
        objectives,
        date=rules.add_months(today, -6).replace(day=3),
        kind=ActivityKind.COURSE,
        hours=12,
        title="Kommunikasjonskurs",
        codes=["EKS-FKM-04"],
    )
    _attest(
        plan,
        objectives["EKS-FKM-04"],
        Attestation.Status.REQUESTED,
        manager,
        days_ago=3,
        note="Kommunikasjonskurs og felleskonsultasjoner.",
    )
