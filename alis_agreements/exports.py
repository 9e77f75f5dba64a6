"""The grant summary as a spreadsheet a municipality can attach to its application."""

import io

from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from alis_agreements.grants import MunicipalitySummary
from alis_agreements.models import Element

KRONER = '#,##0 "kr"'
MONTHS = "0.00"
HEADER_FILL = PatternFill("solid", fgColor="E8EEF2")


def _day(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _rows(estimates):
    for e in estimates:
        agreement = e.agreement
        employment = agreement.employment
        yield [
            str(employment.alis),
            employment.alis.hpr_number,
            employment.position.title,
            str(employment.position.get_position_type_display()),
            float(agreement.percentage),
            agreement.version,
            str(agreement.get_status_display()),
            _day(agreement.signed_on),
            _day(e.start),
            _day(e.end),
            float(e.fte_months),
            int(e.by_element(Element.STANDARD)),
            int(e.by_element(Element.ADDITIONAL)),
            int(e.gross),
            int(e.municipal_share),
            int(e.net),
            " ".join(e.notes),
        ]


def grant_summary_workbook(summary: MunicipalitySummary) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = str(summary.year)
    table = summary.table
    sheet.append(
        [
            _("Grant estimate for ALIS agreements %(year)s: %(municipality)s (%(number)s)")
            % {
                "year": summary.year,
                "municipality": summary.municipality.name,
                "number": summary.municipality.number,
            }
        ]
    )
    sheet["A1"].font = Font(bold=True, size=13)
    scheme = _("Scheme: %(scheme)s") % {"scheme": table.scheme} if table else _("No rate table")
    if table and table.is_example:
        scheme += " – " + _("EXAMPLE RATES: check against the year's rules")
    sheet.append([scheme])
    sheet.append(
        [
            _(
                "An estimate from ALIS Vest's rate table; the grant is decided by the Directorate of Health."
            )
        ]
    )
    sheet.append([])
    header = [
        _("ALIS"),
        _("HPR number"),
        _("Position"),
        _("Position type"),
        _("Position %"),
        _("Version"),
        _("Status"),
        _("Signed on"),
        _("From"),
        _("To"),
        _("FTE months"),
        _("Standard elements"),
        _("Additional elements"),
        _("Grant"),
        _("Municipal share"),
        _("Net"),
        _("Notes"),
    ]
    sections = [(_("Signed agreements"), summary.signed, True)]
    if summary.pending:
        sections.append(
            (_("Not signed yet (estimated as if signed by the start)"), summary.pending, False)
        )
    for title, estimates, with_total in sections:
        sheet.append([title])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        sheet.append(header)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        first = sheet.max_row + 1
        for row in _rows(estimates):
            sheet.append(row)
        last = sheet.max_row
        if with_total and estimates:
            total = [_("Total")] + [""] * 9
            total.append(f"=SUM(K{first}:K{last})")
            total += [f"=SUM({c}{first}:{c}{last})" for c in "LMNOP"]
            sheet.append(total)
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=first, max_row=sheet.max_row):
            row[10].number_format = MONTHS
            for cell in row[11:16]:
                cell.number_format = KRONER
        sheet.append([])
    widths = [24, 11, 28, 20, 10, 8, 14, 11, 11, 11, 10, 14, 14, 14, 14, 14, 50]
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
