"""Synthetic practices, ALIS positions and one employment per ALIS (some moved once), and
agreements with measures for most employments (signed ones without a stored PDF: the data is
for query budgets, not documents)."""

import datetime
from decimal import Decimal

from alis_agreements.models import (
    Agreement,
    AgreementMeasure,
    AgreementStatus,
    Employment,
    EmploymentForm,
    MeasureType,
    Position,
    PositionType,
    TemplateVersion,
)
from alisvest.documents import sha256_hex
from alisvest.scale import Context, bulk
from municipalities.models import Practice

AGREEMENT_SHARE = 0.7


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
    employments = bulk(Employment, employments, ctx, "employments")
    ctx.extra["alis_start"] = dict(zip(ctx.alis_ids, starts, strict=False))
    _agreements(ctx, employments)


def _agreements(ctx: Context, employments: list[Employment]) -> None:
    rng = ctx.rng
    version = TemplateVersion.objects.order_by("-number").first()
    types = list(MeasureType.objects.filter(is_active=True))
    if version is None or not types:
        return
    agreements = []
    for employment in employments:
        if employment.pk is None or rng.random() > AGREEMENT_SHARE:
            continue
        start = employment.start_date
        signed = rng.random() < 0.85
        agreements.append(
            Agreement(
                employment_id=employment.pk,
                template_version=version,
                status=AgreementStatus.SIGNED if signed else AgreementStatus.DRAFT,
                percentage=employment.percentage,
                start_date=start,
                end_date=start + datetime.timedelta(days=5 * 365),
                contact_name="Syntetisk kontaktperson",
                signed_on=start if signed else None,
                pdf_sha256=sha256_hex(b"synthetic") if signed else "",
            )
        )
    agreements = bulk(Agreement, agreements, ctx, "agreements")
    measures = []
    for agreement in agreements:
        for kind in rng.sample(types, rng.randint(1, 3)):
            measures.append(
                AgreementMeasure(
                    agreement_id=agreement.pk,
                    measure_type=kind,
                    element=kind.element,
                    quantity=Decimal(rng.randint(1, 8)) if kind.is_quantity else None,
                    amount=Decimal(rng.randrange(10_000, 200_000, 5_000)),
                )
            )
    bulk(AgreementMeasure, measures, ctx, "agreement measures")
