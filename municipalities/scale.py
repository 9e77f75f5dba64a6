"""Synthetic regions, municipalities, people with their roles, and the follow-up log."""

import datetime

from django.contrib.auth.hashers import make_password

from accounts.models import Role, RoleAssignment, User
from alisvest.scale import EMAIL_DOMAIN, Context, bulk
from municipalities.models import (
    MEETING_KINDS,
    County,
    FollowUpEntry,
    Municipality,
    NextAction,
    Population,
    Region,
    RegistrationStatus,
    RegistrationStatusChange,
)

SINCE = datetime.date(2020, 1, 1)


def generate(ctx: Context) -> None:
    _municipalities(ctx)
    _people(ctx)
    _follow_up(ctx)


def _municipalities(ctx: Context) -> None:
    home = Region.objects.get(code="vest")
    regions = [home]
    for n in range(1, ctx.scale.regions):
        regions.append(
            Region.objects.create(code=f"syntetisk-{n}", name=f"Syntetisk ALIS-kontor {n}")
        )
    ctx.regions = regions
    real = list(Municipality.objects.filter(region=home).values_list("pk", flat=True))
    missing = ctx.scale.municipalities - len(real)
    created = []
    if missing > 0:
        county, _ = County.objects.get_or_create(number="99", name="Syntetisk fylke")
        synthetic = [
            Municipality(
                number=f"{9001 + i}",
                name=f"Syntetisk kommune {i + 1:03d}",
                county=county,
                region=regions[1 + i % (len(regions) - 1)],
                centrality_class=1 + ctx.rng.randrange(6),
                centrality_version="2024",
            )
            for i in range(missing)
        ]
        created = bulk(Municipality, synthetic, ctx, "municipalities")
        year = ctx.today.year
        bulk(
            Population,
            [
                Population(municipality=m, year=year, population=ctx.rng.randrange(800, 60_000))
                for m in created
            ],
            ctx,
            "population",
        )
    ctx.municipality_ids = real + [m.pk for m in created]
    ctx.municipality_region = dict.fromkeys(real, home.pk) | {m.pk: m.region_id for m in created}
    statuses = [RegistrationStatus.REGISTERED] * 7 + [
        RegistrationStatus.APPLIED,
        RegistrationStatus.NOT_APPLIED,
        RegistrationStatus.NOT_APPLIED,
    ]
    bulk(
        RegistrationStatusChange,
        [
            RegistrationStatusChange(
                municipality_id=pk,
                status=ctx.rng.choice(statuses),
                date=SINCE + datetime.timedelta(days=ctx.rng.randrange(1500)),
                note="Syntetisk",
            )
            for pk in ctx.municipality_ids
        ],
        ctx,
        "registration",
    )


def _users(ctx: Context, prefix: str, n: int, **extra) -> list[int]:
    password = make_password(None)
    users = [
        User(
            email=f"{prefix}-{i:05d}@{EMAIL_DOMAIN}",
            first_name=prefix.capitalize(),
            last_name=f"Syntetisk {i:05d}",
            password=password,
            **extra,
        )
        for i in range(n)
    ]
    return [u.pk for u in bulk(User, users, ctx, f"{prefix} users")]


def _people(ctx: Context) -> None:
    rng = ctx.rng
    advisers = _users(ctx, "radgiver", 2 * len(ctx.regions))
    managers = _users(ctx, "leder", len(ctx.municipality_ids))
    alis = _users(ctx, "alis", ctx.scale.alis)
    supervisors = _users(ctx, "veileder", max(1, ctx.scale.alis * 2 // 3))
    roles = []
    for i, region in enumerate(ctx.regions):
        pair = advisers[2 * i : 2 * i + 2]
        ctx.advisers_by_region[region.pk] = pair
        roles += [
            RoleAssignment(user_id=pk, role=Role.ADVISER, region=region, valid_from=SINCE)
            for pk in pair
        ]
    for manager, municipality in zip(managers, ctx.municipality_ids, strict=True):
        ctx.manager_ids[municipality] = manager
        roles.append(
            RoleAssignment(
                user_id=manager, role=Role.MANAGER, municipality_id=municipality, valid_from=SINCE
            )
        )
    for pk in alis:
        municipality = rng.choice(ctx.municipality_ids)
        ctx.alis_municipality[pk] = municipality
        roles.append(
            RoleAssignment(
                user_id=pk, role=Role.ALIS, municipality_id=municipality, valid_from=SINCE
            )
        )
    for pk in supervisors:
        roles.append(
            RoleAssignment(
                user_id=pk,
                role=Role.SUPERVISOR,
                municipality_id=rng.choice(ctx.municipality_ids),
                valid_from=SINCE,
            )
        )
    bulk(RoleAssignment, roles, ctx, "roles")
    ctx.alis_ids = alis
    ctx.supervisor_ids = supervisors
    ctx.supervisor_of = {pk: supervisors[i % len(supervisors)] for i, pk in enumerate(alis)}


def _follow_up(ctx: Context) -> None:
    rng = ctx.rng
    kinds = [*MEETING_KINDS, "phone", "email"]
    entries = []
    for date in ctx.spread(ctx.scale.follow_up_entries):
        municipality = rng.choice(ctx.municipality_ids)
        adviser = rng.choice(ctx.advisers_by_region[ctx.municipality_region[municipality]])
        entries.append(
            FollowUpEntry(
                municipality_id=municipality,
                date=date,
                kind=rng.choice(kinds),
                summary="Syntetisk oppfølging.",
                created_by_id=adviser,
            )
        )
    entries = bulk(FollowUpEntry, entries, ctx, "follow-up")
    actions = []
    for entry in entries[::3]:
        due = entry.date + datetime.timedelta(days=rng.randrange(7, 60))
        done = due < ctx.today and rng.random() < 0.9
        actions.append(
            NextAction(
                entry=entry,
                description="Syntetisk oppfølgingstiltak",
                owner_id=entry.created_by_id,
                due_date=due,
                done_at=ctx_datetime(due) if done else None,
                done_by_id=entry.created_by_id if done else None,
            )
        )
    bulk(NextAction, actions, ctx, "next actions")


def ctx_datetime(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
