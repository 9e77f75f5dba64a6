"""The annual report's figures as an XLSX workbook (one sheet per table) and the report as a
PDF (WeasyPrint, through `alisvest.pdf`)."""

import io
import re
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from alisvest.pdf import html_to_pdf
from reports.figures import DECIMAL, KR, PERCENT, AnnualFigures

NUMBER_FORMATS = {KR: "#,##0", PERCENT: "0.0 %", DECIMAL: "0.0", "int": "0"}


def _sheet_name(title: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ , unique in the workbook.
    base = re.sub(r"[\[\]:*?/\\]", "", title)[:31].strip() or "Tabell"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def figures_xlsx(figures: AnnualFigures) -> bytes:
    """One sheet per table: its title, the header, the rows and the total, numbers as numbers."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for table in figures.tables:
        sheet = workbook.create_sheet(_sheet_name(table.title, used))
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([f"{figures.region.name} · {figures.year} · {figures.on:%d.%m.%Y}"])
        sheet.append([])
        sheet.append([c.label for c in table.columns])
        for cell in sheet[4]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
        if table.total:
            sheet.append([_cell(v) for v in table.total])
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        for index, column in enumerate(table.columns, 1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = 34 if index == 1 else 16
            if column.numeric:
                for (cell,) in sheet.iter_rows(min_row=5, min_col=index, max_col=index):
                    cell.number_format = NUMBER_FORMATS.get(column.kind, "General")
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        sheet.freeze_panes = "A5"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def annual_report_html(report, figures: AnnualFigures, *, made_by=None) -> str:
    context = {
        "report": report,
        "figures": figures,
        "chapters": chapters(report, figures),
        "made_at": timezone.now(),
        "made_by": made_by,
    }
    return render_to_string("pdf/annual_report.html", context)


def annual_report_pdf(report, figures: AnnualFigures, *, made_by=None) -> bytes:
    return html_to_pdf(annual_report_html(report, figures, made_by=made_by))


def chapters(report, figures: AnnualFigures) -> list[dict]:
    """The report's chapters in the order of the office's reports: the narrative the advisers
    wrote with the figures that belong to it. `report` may be None (figures only)."""

    def text(name):
        return getattr(report, name, "") if report else ""

    def heading(name):
        from reports.models import AnnualReport

        return AnnualReport._meta.get_field(name).verbose_name

    sections = {s.key: s for s in figures.sections}
    order = [
        ("staff", heading("staff"), text("staff"), []),
        ("mandate", heading("mandate"), text("mandate"), []),
        *[
            (key, sections[key].title, "", sections[key].tables)
            for key in ("municipalities", "alis", "agreements", "supervision")
        ],
        (
            "activities",
            heading("activities"),
            text("activities"),
            sections["courses"].tables + sections["follow_up"].tables,
        ),
        ("partners", heading("partners"), text("partners"), sections["partners"].tables),
        ("plans", heading("plans"), text("plans"), []),
    ]
    return [
        {"key": key, "number": n, "title": title, "text": body, "tables": tables}
        for n, (key, title, body, tables) in enumerate(order, 1)
    ]
