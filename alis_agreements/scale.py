"""Synthetic practices, ALIS positions and one employment per ALIS (some moved once)."""

import datetime

from alis_agreements.models import Employment, EmploymentForm, Position, PositionType
from alisvest.scale import Context, bulk
from municipalities.models import Practice


def generate(ctx: Context) -> None:
    rng = ctx.rng
    practices = bulk(
        Practice,
        [
            Practice(
                municipality_id=pk, name=f"Syntetisk legekontor {i + 1}", ownership="municipal"
            )
            for i, pk in enumerate(ctx.municipality_ids)
        ],
        ctx,
        "practices",
    )
    practice_of = {p.municipality_id: p.pk for p in practices}
    positions, starts = [], []
    for alis in ctx.alis_ids:
        municipality = ctx.alis_municipality[alis]
        start = ctx.today - datetime.timedelta(days=rng.randrange(30, 365 * ctx.scale.plan_years))
        starts.append(start)
        positions.append(
            Position(
                municipality_id=municipality,
                practice_id=practice_of[municipality],
                title="Syntetisk ALIS-stilling",
                employment_form=rng.choice(EmploymentForm.values),
                position_type=rng.choice(PositionType.values),
                list_size=rng.randrange(600, 1400),
                status=Position.Status.FILLED,
                start_date=start,
            )
        )
    for _ in range(len(ctx.alis_ids) // 10):
        positions.append(
            Position(
                municipality_id=rng.choice(ctx.municipality_ids),
                title="Syntetisk ledig ALIS-stilling",
                employment_form=EmploymentForm.FIXED_SALARY,
                position_type=PositionType.GP_WITH_LIST,
                status=rng.choice([Position.Status.ADVERTISED, Position.Status.VACANT]),
            )
        )
    positions = bulk(Position, positions, ctx, "positions")
    employments = [
        Employment(
            alis_id=alis,
            position=position,
            start_date=start,
            percentage=rng.choice([100, 100, 100, 80, 60]),
        )
        for alis, position, start in zip(ctx.alis_ids, positions, starts, strict=False)
    ]
    bulk(Employment, employments, ctx, "employments")
    ctx.extra["alis_start"] = dict(zip(ctx.alis_ids, starts, strict=False))
