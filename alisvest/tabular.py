"""Reading uploaded tables (CSV or XLSX) row by row, with the line numbers people see.

Imports all work the same way: read every row, validate every row, and apply nothing unless
every row is valid. Errors name the line (as in the file, header = line 1) and the column.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self):
        return _("Line %(line)s, %(field)s: %(message)s") % {
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }


class TableError(Exception):
    """The file cannot be read as a table, or one or more rows are invalid."""

    def __init__(self, errors: list[RowError] | str):
        if isinstance(errors, str):
            errors = [RowError(1, "-", errors)]
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def read_table(
    file, *, name: str = "", required: list[str] | None = None
) -> list[tuple[int, dict[str, str]]]:
    """Return `(line, row)` pairs from a CSV (UTF-8, comma or semicolon) or XLSX file.

    Column names are lower-cased and stripped; cell values are strings, stripped.
    """
    name = (name or getattr(file, "name", "") or "").lower()
    data = file.read() if hasattr(file, "read") else Path(file).read_bytes()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(data)
    else:
        rows = _csv_rows(data)
    if not rows:
        raise TableError(_("The file is empty."))
    header = [(h or "").strip().lower() for h in rows[0]]
    missing = [c for c in (required or []) if c not in header]
    if missing:
        raise TableError(_("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})
    result = []
    for index, values in enumerate(rows[1:], start=2):
        if not any((v or "").strip() for v in values):
            continue
        row = {h: (values[i] if i < len(values) else "").strip() for i, h in enumerate(header)}
        result.append((index, row))
    return result


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(_("The file is not UTF-8 text (save it as CSV UTF-8).")) from exc
    if "\x00" in text:
        raise TableError(_("The file contains NUL bytes and is not a CSV file."))
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise TableError(_("The file is not a readable XLSX workbook.")) from exc
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(["" if v is None else _cell_text(v) for v in values])
    workbook.close()
    return rows


def _cell_text(value) -> str:
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
