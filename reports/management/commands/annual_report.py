from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from municipalities.models import Region
from reports.exports import annual_report_pdf, figures_xlsx
from reports.figures import annual_figures
from reports.models import AnnualReport


class Command(BaseCommand):
    help = (
        "Make a region's annual report for a year as PDF (or the figures as XLSX): the figures "
        "as of 31 December with the narrative the advisers wrote in the portal."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--region", default="vest", help="the region's code (default: vest)")
        parser.add_argument("--out", required=True, help="the file to write (.pdf or .xlsx)")
        parser.add_argument("--language", default="nb", help="nb (default), nn or en")

    def handle(self, *args, year, region, out, language, **options):
        try:
            region = Region.objects.get(code=region)
        except Region.DoesNotExist as exc:
            codes = ", ".join(Region.objects.values_list("code", flat=True)) or "none"
            raise CommandError(f"No region {region!r} (known: {codes}).") from exc
        path = Path(out)
        with translation.override(language):
            figures = annual_figures(region, year)
            if path.suffix.lower() == ".xlsx":
                data = figures_xlsx(figures)
            else:
                report = AnnualReport.objects.filter(region=region, year=year).first()
                data = annual_report_pdf(report, figures)
        path.write_bytes(data)
        self.stdout.write(f"{path} ({len(data) // 1024} KiB, figures as of {figures.on:%d.%m.%Y})")
