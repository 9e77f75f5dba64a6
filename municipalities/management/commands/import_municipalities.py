from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from alisvest.tabular import TableError, read_table
from municipalities.models import Region
from municipalities.services import municipalities_import, population_import

DATA = Path(settings.BASE_DIR) / "data"


class Command(BaseCommand):
    help = (
        "Load or update the municipalities and their population from CSV or XLSX files "
        "(default: the files in data/). Running it again with the same files changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", default=str(DATA / "municipalities.csv"))
        parser.add_argument("--population", default=str(DATA / "municipality_population.csv"))
        parser.add_argument("--region", default="vest", help="Region code (default: vest).")
        parser.add_argument("--region-name", default="ALIS Vest")

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                region, _created = Region.objects.get_or_create(
                    code=options["region"],
                    defaults={"name": options["region_name"], "host_municipality": "Bergen"},
                )
                path = Path(options["municipalities"])
                rows = read_table(path, name=path.name, required=["number", "name", "county"])
                m = municipalities_import(rows=rows, region=region)
                path = Path(options["population"])
                rows = read_table(path, name=path.name, required=["number", "year", "population"])
                p = population_import(rows=rows)
        except (TableError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Municipalities: {m.created} created, {m.updated} updated, {m.unchanged} unchanged. "
            f"Population: {p.created} created, {p.updated} updated, {p.unchanged} unchanged."
        )
