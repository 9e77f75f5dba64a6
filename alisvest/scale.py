"""Synthetic data at region or national scale, for query budgets and `make bench`.

`manage.py generate_scale_data --scale {region,national}` calls `<app>/scale.py: generate(ctx)`
for each app in the order of the app graph. Every app adds its rows with `bulk_create` in
batches, from `ctx.rng` (seeded: the same seed gives the same data), and reports its rows to
`ctx.progress`.

The data is clearly marked: synthetic people have addresses `@syntetisk.invalid`, synthetic
municipalities are named "Syntetisk kommune …" with numbers 9001–9999 in county 99 and sit
in regions coded `syntetisk-N`. At `region` scale the people and their records are
synthetic, in the real 66 municipalities of ALIS Vest (run `import_municipalities` first).
"""

import datetime
import importlib
import random
from dataclasses import dataclass, field

from django.apps import apps
from django.utils import timezone

from alisvest.demo import APP_ORDER

EMAIL_DOMAIN = "syntetisk.invalid"
BATCH = 5000


@dataclass(frozen=True)
class Scale:
    name: str
    municipalities: int
    regions: int
    alis: int
    plan_years: int
    supervision_sessions: int
    follow_up_entries: int
    course_events: int
    course_registrations: int


SCALES = {
    "region": Scale("region", 66, 1, 150, 5, 7_500, 1_500, 50, 1_500),
    "national": Scale("national", 360, 6, 3_000, 5, 150_000, 30_000, 1_000, 30_000),
}


@dataclass
class Context:
    scale: Scale
    rng: random.Random
    today: datetime.date
    progress: object
    regions: list = field(default_factory=list)
    municipality_ids: list[int] = field(default_factory=list)
    municipality_region: dict[int, int] = field(default_factory=dict)
    advisers_by_region: dict[int, list[int]] = field(default_factory=dict)
    manager_ids: dict[int, int] = field(default_factory=dict)  # municipality → manager
    alis_ids: list[int] = field(default_factory=list)
    alis_municipality: dict[int, int] = field(default_factory=dict)
    supervisor_ids: list[int] = field(default_factory=list)
    supervisor_of: dict[int, int] = field(default_factory=dict)  # ALIS → supervisor
    extra: dict = field(default_factory=dict)  # what one app hands to a later one

    def spread(self, n: int, years: float = 5.0) -> list[datetime.date]:
        """`n` dates spread over the last `years` years, oldest first."""
        span = int(365 * years)
        return sorted(
            self.today - datetime.timedelta(days=self.rng.randrange(span)) for _ in range(n)
        )


def bulk(model, objects, ctx: Context, label: str):
    """Insert in batches, advancing the progress bar; returns the saved objects (with ids on
    PostgreSQL)."""
    saved = []
    ctx.progress.set_description(label)
    for start in range(0, len(objects), BATCH):
        chunk = objects[start : start + BATCH]
        saved.extend(model.objects.bulk_create(chunk, batch_size=BATCH))
        ctx.progress.update(len(chunk))
    return saved


def expected_rows(scale: Scale) -> int:
    """About how many rows the generators insert: the length of the progress bar."""
    return (
        scale.municipalities * 4
        + scale.alis * 6
        + scale.supervision_sessions
        + scale.follow_up_entries * 2
        + scale.course_events * 3
        + scale.course_registrations
        + scale.alis * 20
    )


def generate(scale_name: str, *, seed: int = 2026, progress=None) -> Context:
    scale = SCALES[scale_name]
    ctx = Context(
        scale=scale,
        rng=random.Random(seed),
        today=timezone.localdate(),
        progress=progress,
    )
    for label in APP_ORDER:
        if not apps.is_installed(label):
            continue
        try:
            module = importlib.import_module(f"{label}.scale")
        except ModuleNotFoundError as exc:
            if exc.name != f"{label}.scale":
                raise
            continue
        module.generate(ctx)
    return ctx
