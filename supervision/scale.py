"""Synthetic supervisor register, supervision relationships and the supervision log, with the
signed sessions in the ledger, all bulk-inserted (150,000 sessions at national scale).

If an earlier generator already gave the ALIS their supervisors, those relationships are used;
otherwise each ALIS gets `ctx.supervisor_of[alis]` from the start of their employment.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import Role, RoleAssignment
from alisvest.scale import Context, bulk
from education_plans.models import ActivityKind, LearningActivity, SupervisionRelationship
from supervision.models import SUPERVISOR_COURSE, SupervisionSession, Supervisor, hours_from_minutes

MINUTES = [45, 60, 60, 60, 90, 90, 120]
SIGNED_SHARE = 0.9


def generate(ctx: Context) -> None:
    _register(ctx)
    starts = _relationships(ctx)
    _sessions(ctx, starts)


def _register(ctx: Context) -> None:
    rng = ctx.rng
    where = dict(
        RoleAssignment.objects.filter(
            role=Role.SUPERVISOR, user_id__in=ctx.supervisor_ids
        ).values_list("user_id", "municipality_id")
    )
    supervisors = []
    for pk in ctx.supervisor_ids:
        course = rng.random() < 0.7
        specialist = rng.random() < 0.9
        supervisors.append(
            Supervisor(
                person_id=pk,
                municipality_id=where.get(pk) or rng.choice(ctx.municipality_ids),
                is_specialist=specialist,
                specialist_year=rng.randrange(1995, 2024) if specialist else None,
                course_name=SUPERVISOR_COURSE,
                course_completed_on=(
                    datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(2500))
                    if course
                    else None
                ),
                capacity=rng.choice([1, 1, 2, 2, 3]),
                in_pool=rng.random() < 0.25,
            )
        )
    bulk(Supervisor, supervisors, ctx, "supervisors")


def _relationships(ctx: Context) -> dict[int, tuple[int, datetime.date]]:
    """Each ALIS's individual supervisor and since when."""
    existing = {
        r["alis_id"]: (r["supervisor_id"], r["start_date"])
        for r in SupervisionRelationship.objects.filter(
            alis_id__in=ctx.alis_ids, kind=SupervisionRelationship.Kind.INDIVIDUAL
        )
        .order_by("start_date")
        .values("alis_id", "supervisor_id", "start_date")
    }
    if existing:
        return existing
    alis_start = ctx.extra.get("alis_start", {})
    default = ctx.today - datetime.timedelta(days=365 * ctx.scale.plan_years)
    starts = {
        alis: (ctx.supervisor_of[alis], alis_start.get(alis, default)) for alis in ctx.alis_ids
    }
    bulk(
        SupervisionRelationship,
        [
            SupervisionRelationship(alis_id=alis, supervisor_id=supervisor, start_date=start)
            for alis, (supervisor, start) in starts.items()
        ],
        ctx,
        "supervision relationships",
    )
    return starts


def _sessions(ctx: Context, starts) -> None:
    rng = ctx.rng
    alis_ids = sorted(starts)
    per_alis, extra = divmod(ctx.scale.supervision_sessions, len(alis_ids))
    now = timezone.now()
    sessions = []
    for i, alis in enumerate(alis_ids):
        supervisor, start = starts[alis]
        days = max((ctx.today - start).days, 1)
        for _n in range(per_alis + (i < extra)):
            date = start + datetime.timedelta(days=rng.randrange(days))
            signed = rng.random() < SIGNED_SHARE
            sessions.append(
                SupervisionSession(
                    alis_id=alis,
                    supervisor_id=supervisor,
                    date=date,
                    minutes=rng.choice(MINUTES),
                    topics="Syntetisk veiledning",
                    recorded_by_id=alis,
                    signed_at=now if signed else None,
                )
            )
    sessions = bulk(SupervisionSession, sessions, ctx, "supervision sessions")
    bulk(
        LearningActivity,
        [
            LearningActivity(
                alis_id=s.alis_id,
                kind=ActivityKind.INDIVIDUAL_SUPERVISION,
                status=LearningActivity.Status.DONE,
                date=s.date,
                hours=Decimal(hours_from_minutes(s.minutes)),
                title=s.topics,
                source_key=f"supervision.session:{s.pk}",
                confirmed_by_id=s.supervisor_id if s.signed_at else None,
                confirmed_at=s.signed_at,
            )
            for s in sessions
        ],
        ctx,
        "supervision ledger",
    )
