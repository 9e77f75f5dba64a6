"""The plan list's progress as an XLSX workbook: the figures of the page, one row per plan,
as numbers and dates a spreadsheet can sort and sum."""

import datetime
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from education_plans.progress import PlanProgress


def progress_columns() -> list[tuple[str, int, str | None]]:
    """Header, width and number format of each column."""
    return [
        (_("ALIS"), 28, None),
        (_("Municipality"), 18, None),
        (_("Start"), 12, "DD.MM.YYYY"),
        (_("Rule set"), 14, None),
        (_("Credited months"), 12, "0.0"),
        (_("Complete"), 10, "0%"),
        (_("Supervision hours so far"), 14, "0.0"),
        (_("Supervision hours required so far"), 14, "0.0"),
        (_("Months short (last 12)"), 12, "0"),
        (_("Group supervision months"), 12, "0.0"),
        (_("Objectives attested"), 12, "0"),
        (_("Objectives in total"), 12, "0"),
        (_("Estimated completion"), 14, "DD.MM.YYYY"),
    ]


def progress_row(progress: PlanProgress) -> list:
    plan = progress.plan
    return [
        plan.alis.get_full_name() or plan.alis.email,
        plan.municipality.name,
        plan.start_date,
        _("2019 rules") if plan.rule_set == "2019" else _("old rules"),
        float(round(progress.credited_months, 1)),
        float(round(progress.share_complete, 3)),
        float(round(progress.supervision.done, 1)),
        float(round(progress.supervision.target, 1)),
        progress.months_short,
        float(round(progress.rule("group_total").done, 1)),
        int(progress.objectives_done),
        int(progress.objectives_total),
        progress.estimated_completion,
    ]


def progress_workbook(rows: list[PlanProgress], *, on: datetime.date) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Education plans")[:31]
    columns = progress_columns()
    sheet.append([header for header, _width, _format in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for progress in rows:
        sheet.append(progress_row(progress))
    for index, (_header, width, number_format) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    workbook.properties.title = _("Progress of education plans, %(date)s") % {
        "date": on.strftime("%d.%m.%Y")
    }
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
