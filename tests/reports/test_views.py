"""The annual report in the browser: the page, the narrative draft per year, the XLSX, the
PDF made by a Celery task and kept with its checksum, and the command."""

import datetime
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from alisvest.documents import sha256_hex
from reports import services
from reports.exports import figures_xlsx
from reports.figures import annual_figures
from reports.models import AnnualReport, GeneratedReport
from tests.municipalities.factories import FollowUpEntryFactory, MunicipalityFactory
from tests.queries import assert_constant_queries
from tests.reports.factories import employ, meeting

LAST_YEAR = timezone.localdate().year - 1
needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext")


def page_url(world, year=LAST_YEAR, name="reports:annual_report"):
    return reverse(name, args=[world.region.code, year])


def pdf_text(data: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


def test_the_index_opens_last_years_report(world, client_for):
    response = client_for(world.adviser).get(reverse("reports:annual_report_index"))
    assert response.status_code == 302
    assert response["Location"] == page_url(world)
    picked = client_for(world.adviser).get(
        reverse("reports:annual_report_index"), {"year": 2022, "region": world.region.code}
    )
    assert picked["Location"] == page_url(world, 2022)


@pytest.mark.parametrize("persona", ["manager_a", "alis_a", "supervisor_a", "outsider"])
def test_only_advisers_have_an_annual_report(world, client_for, persona):
    client = client_for(world.user(persona))
    assert client.get(reverse("reports:annual_report_index")).status_code == 404
    assert client.get(page_url(world)).status_code == 404


def test_a_year_outside_the_offices_years_is_not_found(world, client_for):
    assert client_for(world.adviser).get(page_url(world, 1999)).status_code == 404


def test_the_page_shows_the_narrative_and_the_figures(world, client_for):
    AnnualReport.objects.create(region=world.region, year=LAST_YEAR, staff="To rådgivere i 80 %")
    response = client_for(world.adviser).get(page_url(world))
    html = response.content.decode()
    assert "To rådgivere i 80 %" in html
    assert "Municipalities by registration status" in html
    assert "Grant estimates by scheme" in html
    assert "<svg" in html and "© Kartverket" in html
    assert f'href="{reverse("municipalities:municipality_detail", args=["4640"])}"' in html
    assert "Annual report" in html  # the menu entry


def test_the_text_is_saved_as_a_draft_per_year(world, client_for):
    url = page_url(world, name="reports:annual_report_edit")
    data = {"staff": "Ansatte", "mandate": "Mandat", "activities": "", "partners": "", "plans": ""}
    response = client_for(world.adviser).post(url, data)
    assert response.status_code == 302
    report = AnnualReport.objects.get(region=world.region, year=LAST_YEAR)
    assert (report.staff, report.mandate, report.updated_by) == ("Ansatte", "Mandat", world.adviser)
    assert report.history.count() == 1


def test_a_new_year_starts_from_last_years_text(world, client_for):
    AnnualReport.objects.create(region=world.region, year=LAST_YEAR - 1, partners="Helse Bergen")
    url = page_url(world, name="reports:annual_report_edit")
    response = client_for(world.adviser).get(url)
    assert "Helse Bergen" in response.content.decode()
    assert not AnnualReport.objects.filter(year=LAST_YEAR).exists()  # offered, not saved
    data = {"staff": "", "mandate": "", "activities": "", "partners": "Helse Bergen, Helse Fonna"}
    client_for(world.adviser).post(url, {**data, "plans": ""})
    report = AnnualReport.objects.get(region=world.region, year=LAST_YEAR)
    assert (report.partners, report.started_from) == ("Helse Bergen, Helse Fonna", LAST_YEAR - 1)


def test_a_manager_cannot_save_the_text(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.annual_report_save(region=world.region, year=2025, by=world.manager_a, staff="x")


def test_the_xlsx_has_one_sheet_per_table_matching_the_figures(world, client_for):
    employ(world.muni_a, datetime.date(LAST_YEAR, 3, 1))
    response = client_for(world.adviser).get(page_url(world, name="reports:annual_report_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    figures = annual_figures(world.region, LAST_YEAR)
    assert len(workbook.sheetnames) == len(figures.tables)
    for sheet, table in zip(workbook.worksheets, figures.tables, strict=True):
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == table.title
        assert list(rows[3][: len(table.columns)]) == [c.label for c in table.columns]
        for got, want in zip(rows[4:], table.rows, strict=False):
            assert [_plain(v) for v in got[: len(want)]] == [_plain(v) for v in want]
    alis = workbook[figures.table("alis_municipality").title[:31]]
    assert ("Sogndal", 2, 2) in [tuple(r[:3]) for r in alis.iter_rows(values_only=True)]


def _plain(value):
    if value == "":
        return None
    if isinstance(value, Decimal | float):
        return round(float(value), 6)
    return value


def test_sheet_names_stay_unique_and_short(world):
    figures = annual_figures(world.region, LAST_YEAR)
    figures.tables[1].title = figures.tables[0].title = "A" * 40
    names = load_workbook(io.BytesIO(figures_xlsx(figures))).sheetnames
    assert len(set(names)) == len(names) and all(len(n) <= 31 for n in names)


@needs_pdftotext
def test_making_the_pdf_runs_the_task_and_keeps_the_file(
    world, client_for, django_capture_on_commit_callbacks
):
    AnnualReport.objects.create(region=world.region, year=LAST_YEAR, mandate="Mandat frå Hdir")
    meeting(world.muni_a, datetime.date(LAST_YEAR, 5, 2))
    client = client_for(world.adviser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url(world, name="reports:annual_report_pdf"))
    assert response.status_code == 302
    generated = GeneratedReport.objects.get()
    assert (generated.status, generated.progress) == ("done", 100)
    assert generated.requested_by == world.adviser and generated.finished_at
    data = generated.file.read()
    assert sha256_hex(data) == generated.sha256 and generated.size == len(data)

    row = client.get(reverse("reports:generated_report_status", args=[generated.pk]))
    assert "every 2s" not in row.content.decode()  # finished: no more polling
    assert generated.sha256[:12] in row.content.decode()
    download = client.get(reverse("reports:generated_report_download", args=[generated.pk]))
    assert b"".join(download.streaming_content) == data

    client.post(
        reverse("reports:generated_report_note", args=[generated.pk]),
        {"note": "Sendt til Helsedirektoratet"},
    )
    listed = client.get(page_url(world)).content.decode()
    assert "Sendt til Helsedirektoratet" in listed


def test_a_pending_pdf_is_polled_until_ready(world, client_for):
    report = AnnualReport.objects.create(region=world.region, year=LAST_YEAR)
    generated = GeneratedReport.objects.create(report=report, requested_by=world.adviser)
    client = client_for(world.adviser)
    row = client.get(reverse("reports:generated_report_status", args=[generated.pk]))
    assert 'hx-trigger="every 2s"' in row.content.decode()
    download = client.get(reverse("reports:generated_report_download", args=[generated.pk]))
    assert download.status_code == 404


def test_the_htmx_request_answers_with_the_list(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.adviser)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            page_url(world, name="reports:annual_report_pdf"), HTTP_HX_REQUEST="true"
        )
    html = response.content.decode()
    assert 'id="generated-list"' in html and 'hx-trigger="every 2s"' in html
    # The draft was started for the year, from nothing.
    assert AnnualReport.objects.filter(region=world.region, year=LAST_YEAR).exists()


def test_a_failed_render_is_recorded(world, monkeypatch):
    report = AnnualReport.objects.create(region=world.region, year=LAST_YEAR)
    generated = GeneratedReport.objects.create(report=report, requested_by=world.adviser)

    def broken(*args, **kwargs):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr("reports.exports.annual_report_pdf", broken)
    with pytest.raises(RuntimeError):
        services.generated_report_render(generated=generated)
    generated.refresh_from_db()
    assert (generated.status, generated.error) == ("failed", "fonts missing")


@needs_pdftotext
def test_the_pdf_has_the_headings_and_figures(world, tmp_path):
    AnnualReport.objects.create(
        region=world.region,
        year=LAST_YEAR,
        staff="Kontoret har tre tilsette: Åse, Øystein og Ærlige Per.",
    )
    employ(world.muni_b, datetime.date(LAST_YEAR, 2, 1))
    FollowUpEntryFactory(municipality=world.muni_b, date=datetime.date(LAST_YEAR, 9, 1))
    out = tmp_path / "rapport.pdf"
    call_command("annual_report", str(LAST_YEAR), "--region", world.region.code, "--out", str(out))
    text = pdf_text(out.read_bytes())
    assert f"Årsrapport {LAST_YEAR}" in text
    assert "Innhold" in text  # table of contents
    assert "Kontoret har tre tilsette: Åse, Øystein og Ærlige Per." in text
    assert "Kommuner etter registreringsstatus" in text or "registreringsstatus" in text.lower()
    assert "Side 2 av" in text
    assert "Stavanger" in text and "Sogndal" in text


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_region(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No region"):
        call_command("annual_report", "2025", "--region", "nowhere", "--out", str(tmp_path / "x"))


def test_the_command_writes_the_xlsx(world, tmp_path):
    out = tmp_path / "tall.xlsx"
    call_command("annual_report", str(LAST_YEAR), "--region", world.region.code, "--out", str(out))
    assert load_workbook(out).sheetnames


def test_the_page_runs_a_fixed_number_of_queries(world, client_for):
    client = client_for(world.adviser)

    def grow():
        for n in range(10):
            municipality = MunicipalityFactory(region=world.region)
            employ(municipality, datetime.date(LAST_YEAR, 1, 1))
            meeting(municipality, datetime.date(LAST_YEAR, 2, n + 1))

    assert_constant_queries(client, page_url(world), grow)


def test_the_page_stays_within_its_query_budget(world, client_for):
    from tests.queries import count_queries

    client = client_for(world.adviser)
    client.get(page_url(world))
    assert count_queries(client, page_url(world)) <= 60


def test_advisers_find_last_years_report_on_the_home_page(world, client_for):
    AnnualReport.objects.create(region=world.region, year=LAST_YEAR, plans="Planer")
    html = client_for(world.adviser).get(reverse("home")).content.decode()
    assert page_url(world) in html and "Text saved" in html
    manager = client_for(world.manager_a).get(reverse("home")).content.decode()
    assert page_url(world) not in manager


def test_a_note_with_a_nul_byte_is_saved_without_it(world, client_for):
    """PostgreSQL refuses NUL in text: the hostile-input sweep found the note answering 500."""
    report = AnnualReport.objects.create(region=world.region, year=LAST_YEAR)
    generated = GeneratedReport.objects.create(report=report, requested_by=world.adviser)
    client = client_for(world.adviser)
    url = reverse("reports:generated_report_note", args=[generated.pk])
    response = client.post(url, {"note": "Sendt\x00 til Hdir"})
    assert response.status_code == 302
    generated.refresh_from_db()
    assert generated.note == "Sendt til Hdir"
