from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from accounts.models import User
from alisvest import scale
from municipalities.models import Municipality


class Command(BaseCommand):
    help = (
        "Fill an empty database with synthetic, clearly marked data at region scale (ALIS Vest "
        "today) or national scale (every regional office), for benchmarks. Deterministic."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(scale.SCALES), default="region")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, scale: str = "region", seed: int = 2026, **options):
        from alisvest import scale as scale_module

        if User.objects.filter(email__endswith="@" + scale_module.EMAIL_DOMAIN).exists():
            raise CommandError(
                "This database already holds synthetic data. Use a new database "
                "(e.g. `createdb alisvest_bench`) so the figures stay reproducible."
            )
        if not Municipality.objects.exists():
            raise CommandError("Load the municipalities first: manage.py import_municipalities")
        total = scale_module.expected_rows(scale_module.SCALES[scale])
        with (
            tqdm(total=total, unit="rows", disable=options["no_progress"]) as bar,
            transaction.atomic(),
        ):
            ctx = scale_module.generate(scale, seed=seed, progress=bar)
        self.stdout.write(
            f"{scale} scale: {len(ctx.municipality_ids)} municipalities, "
            f"{len(ctx.alis_ids)} ALIS, {len(ctx.supervisor_ids)} supervisors."
        )
