"""Only the region's advisers see its annual report, its figures and its PDFs; everyone
else gets 404 (the outsider and the municipalities' people alike)."""

from django.utils import timezone

from reports.models import AnnualReport, GeneratedReport
from tests.access import OK, REDIRECT, Access

LAST_YEAR = timezone.localdate().year - 1


def _report(world):
    return {"region": world.region.code, "year": LAST_YEAR}


def _generated(world):
    report, _c = AnnualReport.objects.get_or_create(region=world.region, year=LAST_YEAR)
    generated = GeneratedReport.objects.create(
        report=report, requested_by=world.adviser, finished_at=timezone.now()
    )
    generated.file.save("arsrapport.pdf", _pdf(), save=False)
    generated.sha256, generated.status = "0" * 64, GeneratedReport.Status.DONE
    generated.save()
    return {"pk": generated.pk}


def _pdf():
    from django.core.files.base import ContentFile

    return ContentFile(b"%PDF-1.7\n%%EOF\n", name="arsrapport.pdf")


ADVISER = {"adviser": OK}

ACCESS = {
    "reports:annual_report": Access(_report, ADVISER),
    "reports:annual_report_edit": Access(_report, ADVISER),
    "reports:annual_report_xlsx": Access(_report, ADVISER),
    "reports:annual_report_pdf": Access(_report, {"adviser": REDIRECT}, method="post"),
    "reports:generated_report_status": Access(_generated, ADVISER),
    "reports:generated_report_download": Access(_generated, ADVISER),
    "reports:generated_report_note": Access(
        _generated, {"adviser": REDIRECT}, method="post", data={"note": "Sendt"}
    ),
}
