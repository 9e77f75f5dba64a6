"""Synthetic education plans: a marked catalogue pair, one plan per ALIS from the start of their
employment, service periods, learning activities (some waiting for confirmation) and
godkjenning of objectives, all bulk-inserted.

Individual supervision is not made here: the supervision generator records the sessions and
their ledger rows, as the portal does.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from alisvest.scale import Context, bulk
from education_plans.models import (
    ActivityKind,
    Attestation,
    Catalogue,
    EducationPlan,
    LearningActivity,
    LearningArena,
    Objective,
    ServicePeriod,
)
from education_plans.rules import ServiceType

VERSION = "syntetisk"
OBJECTIVES = {Catalogue.Kind.ALM: 40, Catalogue.Kind.FKM: 20}
OTHER_KINDS = [
    (ActivityKind.COURSE, Decimal(15)),
    (ActivityKind.GROUP_SUPERVISION, Decimal(3)),
    (ActivityKind.CLINICAL_PRACTICE, Decimal(4)),
    (ActivityKind.E_LEARNING, Decimal(2)),
]


def generate(ctx: Context) -> None:
    catalogues = _catalogues(ctx)
    starts = ctx.extra.get("alis_start", {})
    default = ctx.today - datetime.timedelta(days=365 * ctx.scale.plan_years)
    plans = bulk(
        EducationPlan,
        [
            EducationPlan(
                alis_id=alis,
                municipality_id=ctx.alis_municipality[alis],
                start_date=starts.get(alis, default),
                education_leader_id=ctx.manager_ids.get(ctx.alis_municipality[alis]),
                alm_catalogue=catalogues[Catalogue.Kind.ALM],
                fkm_catalogue=catalogues[Catalogue.Kind.FKM],
            )
            for alis in ctx.alis_ids
        ],
        ctx,
        "education plans",
    )
    _service_periods(ctx, plans)
    _activities(ctx, plans)
    _attestations(ctx, plans, catalogues)


def _catalogues(ctx: Context) -> dict:
    catalogues = {}
    for kind, count in OBJECTIVES.items():
        catalogue, created = Catalogue.objects.get_or_create(
            kind=kind,
            version=VERSION,
            defaults={"valid_from": datetime.date(2019, 3, 1), "source_name": "syntetisk"},
        )
        if created:
            bulk(
                Objective,
                [
                    Objective(
                        catalogue=catalogue,
                        code=f"{kind}-S{n:03d}",
                        title=f"Syntetisk læringsmål {n}",
                        theme=f"Syntetisk tema {n % 5 + 1}",
                    )
                    for n in range(1, count + 1)
                ],
                ctx,
                "objectives",
            )
        catalogues[kind] = catalogue
    return catalogues


def _service_periods(ctx: Context, plans) -> None:
    periods = []
    for plan in plans:
        periods.append(
            ServicePeriod(
                plan=plan,
                service_type=ServiceType.OPEN_UNSELECTED,
                arena=LearningArena.GP_PRACTICE,
                place="Syntetisk legekontor",
                start_date=plan.start_date,
                percentage=Decimal(100),
            )
        )
        if ctx.rng.random() < 0.3:
            start = plan.start_date + datetime.timedelta(days=365 * 2)
            if start < ctx.today:
                periods.append(
                    ServicePeriod(
                        plan=plan,
                        service_type=ServiceType.INSTITUTION,
                        arena=LearningArena.HOSPITAL,
                        place="Syntetisk sjukehus",
                        start_date=start,
                        end_date=start + datetime.timedelta(days=182),
                        percentage=Decimal(100),
                    )
                )
    bulk(ServicePeriod, periods, ctx, "service periods")


def _activities(ctx: Context, plans) -> None:
    """About ten activities a year besides supervision; done ones in the past (a tenth of them
    still waiting for the supervisor's confirmation), planned ones ahead."""
    rng = ctx.rng
    now = timezone.now()
    supervisor_of = ctx.supervisor_of
    activities = []
    for plan in plans:
        days = max((ctx.today - plan.start_date).days, 1)
        for _n in range(max(days * 10 // 365, 1)):
            kind, hours = rng.choice(OTHER_KINDS)
            confirmed = rng.random() > 0.1
            activities.append(
                LearningActivity(
                    alis_id=plan.alis_id,
                    kind=kind,
                    status=LearningActivity.Status.DONE,
                    date=plan.start_date + datetime.timedelta(days=rng.randrange(days)),
                    hours=hours,
                    title=f"Syntetisk aktivitet: {kind.value}",
                    confirmed_by_id=supervisor_of.get(plan.alis_id) if confirmed else None,
                    confirmed_at=now if confirmed else None,
                    created_by_id=plan.alis_id,
                )
            )
        for _n in range(3):
            kind, hours = rng.choice(OTHER_KINDS)
            activities.append(
                LearningActivity(
                    alis_id=plan.alis_id,
                    kind=kind,
                    status=LearningActivity.Status.PLANNED,
                    date=ctx.today + datetime.timedelta(days=rng.randrange(1, 365)),
                    hours=hours,
                    title=f"Syntetisk aktivitet: {kind.value}",
                    created_by_id=plan.alis_id,
                )
            )
    bulk(LearningActivity, activities, ctx, "learning activities")


def _attestations(ctx: Context, plans, catalogues) -> None:
    """Objectives approved in proportion to the time in training, a few waiting."""
    now = timezone.now()
    objectives = list(
        Objective.objects.filter(catalogue__in=catalogues.values())
        .order_by("catalogue__kind", "code")
        .values_list("pk", flat=True)
    )
    rows = []
    for plan in plans:
        years = (ctx.today - plan.start_date).days / 365
        done = min(int(len(objectives) * years / 5), len(objectives))
        for n, objective in enumerate(objectives[: done + 2]):
            approved = n < done
            rows.append(
                Attestation(
                    plan=plan,
                    objective_id=objective,
                    status=(
                        Attestation.Status.ATTESTED if approved else Attestation.Status.REQUESTED
                    ),
                    requested_at=now,
                    decided_by_id=plan.education_leader_id if approved else None,
                    decided_at=now if approved else None,
                )
            )
    bulk(Attestation, rows, ctx, "godkjenning")
