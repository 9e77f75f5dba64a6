import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alisvest.tabular import TableError, read_table
from education_plans.models import Catalogue
from education_plans.services import catalogue_import


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text}") from exc


class Command(BaseCommand):
    help = (
        "Import a learning-objective catalogue version from a CSV or XLSX file (columns code, "
        "title, theme; optionally version, valid_from, valid_to, recommended_activities, "
        "arenas). All rows or none; running it again with the same file changes nothing."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Here --version names the catalogue version, not the version of Django.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", required=True, choices=Catalogue.Kind.values)
        parser.add_argument(
            "--version", dest="catalogue_version", default="", help="e.g. 2019 or 2026"
        )
        parser.add_argument("--valid-from", type=_date)
        parser.add_argument("--valid-to", type=_date)

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            rows = read_table(path, name=path.name)
            result = catalogue_import(
                rows=rows,
                kind=options["kind"],
                version=options["catalogue_version"],
                valid_from=options["valid_from"],
                valid_to=options["valid_to"],
                source_name=path.name,
            )
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {path}") from exc
        except TableError as exc:
            raise CommandError("\n".join(str(e) for e in exc.errors)) from exc
        closed = f" {result.closes} now ends the day before." if result.closes else ""
        self.stdout.write(
            f"{result.catalogue}: {len(result.new)} added, {len(result.changed)} changed, "
            f"{len(result.removed)} removed, {len(result.kept)} kept (in use), "
            f"{result.unchanged} unchanged.{closed}"
        )
