import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alis_agreements.services import grant_schemes_import

DEFAULT = Path(settings.BASE_DIR) / "data" / "grant_schemes.json"


class Command(BaseCommand):
    help = (
        "Load the initial grant schemes and rate tables (the ALIS-Vest pilot and example rates "
        "of the national scheme). Schemes that exist are left as the advisers keep them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT)

    def handle(self, *args, file: Path, **options):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        result = grant_schemes_import(data=data)
        self.stdout.write(f"{result.schemes} schemes and {result.tables} rate tables added.")
