"""Writes of the annual report: the narrative draft of a year, and the PDFs made of it."""

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.scope import scope_for
from alisvest.documents import content_file, sha256_hex
from reports.models import SECTIONS, AnnualReport, GeneratedReport

logger = logging.getLogger(__name__)


def _require_adviser(by, region) -> None:
    if region.pk not in scope_for(by).region_ids:
        raise PermissionDenied


def annual_report_start_text(*, region, year: int) -> dict[str, str]:
    """The text a new year's draft starts from: the nearest earlier year's narrative."""
    previous = AnnualReport.objects.filter(region=region, year__lt=year).order_by("-year").first()
    if previous is None:
        return {}
    return {"started_from": previous.year, **{name: getattr(previous, name) for name in SECTIONS}}


@transaction.atomic
def annual_report_save(*, region, year: int, by, **sections) -> AnnualReport:
    """Save the narrative draft of a year (made on the first save)."""
    _require_adviser(by, region)
    unknown = set(sections) - {*SECTIONS, "started_from"}
    if unknown:
        raise TypeError(f"unknown sections: {sorted(unknown)}")
    report = AnnualReport.objects.select_for_update().filter(region=region, year=year).first()
    if report is None:
        report = AnnualReport(region=region, year=year)
    for name, text in sections.items():
        setattr(report, name, text)
    report.updated_by = by
    report.save()
    return report


@transaction.atomic
def annual_report_get_or_start(*, region, year: int, by) -> AnnualReport:
    """The year's draft; a new one starts from the previous year's text."""
    _require_adviser(by, region)
    report = AnnualReport.objects.filter(region=region, year=year).first()
    if report is not None:
        return report
    return annual_report_save(
        region=region, year=year, by=by, **annual_report_start_text(region=region, year=year)
    )


@transaction.atomic
def generated_report_request(*, report: AnnualReport, by) -> GeneratedReport:
    """Ask for a PDF of the report: a Celery task makes it once this transaction commits."""
    from reports import tasks

    _require_adviser(by, report.region)
    generated = GeneratedReport.objects.create(report=report, requested_by=by)
    tasks.render_annual_report.delay_on_commit(generated.pk)
    return generated


def _progress(generated: GeneratedReport, status: str, percent: int) -> None:
    generated.status, generated.progress = status, percent
    generated.save(update_fields=["status", "progress"])


def generated_report_render(*, generated: GeneratedReport) -> GeneratedReport:
    """Compute the figures, render the PDF and keep it with its checksum. Safe to run again:
    a report already made is left as it is. Each step commits on its own, so the page that
    polls sees the progress."""
    from reports.exports import annual_report_pdf
    from reports.figures import annual_figures

    if generated.status == GeneratedReport.Status.DONE:
        return generated
    report = generated.report
    try:
        _progress(generated, GeneratedReport.Status.RUNNING, 10)
        figures = annual_figures(report.region, report.year)
        _progress(generated, GeneratedReport.Status.RUNNING, 40)
        pdf = annual_report_pdf(report, figures, made_by=generated.requested_by)
        _progress(generated, GeneratedReport.Status.RUNNING, 90)
    except Exception as exc:
        logger.exception("annual report %s failed", generated.pk)
        generated.status, generated.error = GeneratedReport.Status.FAILED, str(exc)[:2000]
        generated.finished_at = timezone.now()
        generated.save(update_fields=["status", "error", "finished_at"])
        raise
    with transaction.atomic():
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        name = f"arsrapport-{report.region.code}-{report.year}-{stamp}.pdf"
        generated.file.save(name, content_file(pdf, name), save=False)
        generated.sha256 = sha256_hex(pdf)
        generated.size = len(pdf)
        generated.status, generated.progress = GeneratedReport.Status.DONE, 100
        generated.finished_at = timezone.now()
        generated.save()
    return generated


@transaction.atomic
def generated_report_note(*, generated: GeneratedReport, by, note: str) -> GeneratedReport:
    """Mark a made PDF, e.g. as the version sent to Helsedirektoratet."""
    _require_adviser(by, generated.report.region)
    # A NUL byte (never typed on purpose) cannot be stored in PostgreSQL: it was a 500.
    generated.note = note.replace("\x00", "").strip()[:200]
    generated.save(update_fields=["note"])
    return generated
