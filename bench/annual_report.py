"""Run by `make bench` through `manage.py shell`: time the annual report PDF for last year on
the bench database, and WeasyPrint alone on the same HTML, and print both as JSON."""

import json
import re
import subprocess
import tempfile
import time

from django.utils import timezone, translation

from alisvest.pdf import html_to_pdf
from municipalities.models import Region
from reports.exports import annual_report_html
from reports.figures import annual_figures
from reports.models import AnnualReport


def pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        info = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


html_to_pdf("<p>warm-up</p>")  # WeasyPrint's import and font loading are not the report's
region = Region.objects.get(code="vest")
year = timezone.localdate().year - 1
with translation.override("nb"):
    started = time.perf_counter()
    figures = annual_figures(region, year)
    figured = time.perf_counter()
    html = annual_report_html(
        AnnualReport.objects.filter(region=region, year=year).first(), figures
    )
    rendered = time.perf_counter()
    pdf = html_to_pdf(html)
    done = time.perf_counter()
    html_to_pdf(html)
    weasyprint_again = time.perf_counter() - done
print(
    json.dumps(
        {
            "year": year,
            "figures_s": figured - started,
            "html_s": rendered - figured,
            "pdf_s": done - rendered,
            "total_s": done - started,
            "weasyprint_s": min(done - rendered, weasyprint_again),
            "pages": pages(pdf),
            "kib": len(pdf) // 1024,
        }
    )
)
