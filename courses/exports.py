"""The participant list of an event as an XLSX workbook (openpyxl)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from courses.models import CourseEvent


def participants_xlsx(event: CourseEvent, registrations) -> bytes:
    """One row per registration (places, waiting lists, cancellations) with attendance per
    session. `registrations` come with `attendances` prefetched and `with_attendance()`."""
    sessions = list(event.sessions.all())
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Participants")[:31]
    header = [
        _("Name"),
        _("E-mail"),
        _("Organisation"),
        _("Takes part"),
        _("Status"),
        _("Place on the waiting list"),
        pgettext("course registration", "Registered"),
        *[
            f"{s.title or _('Session')} {timezone.localtime(s.starts_at):%d.%m.%Y}"
            for s in sessions
        ],
        _("Hours attended"),
        _("Certificate"),
    ]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in registrations:
        present = {a.session_id for a in r.attendances.all() if a.present}
        certificate = next((c for c in r.certificates.all() if c.revoked_at is None), None)
        sheet.append(
            [
                r.name,
                r.email,
                r.organisation,
                r.get_format_display(),
                r.get_status_display(),
                r.waitlist_rank,
                timezone.localtime(r.created_at).replace(tzinfo=None),
                *[_("yes") if s.pk in present else "" for s in sessions],
                r.attended_hours or 0,
                certificate.number if certificate else "",
            ]
        )
    for row in sheet.iter_rows(min_row=2, min_col=7, max_col=7):
        for cell in row:
            cell.number_format = "DD.MM.YYYY HH:MM"
    widths = [28, 32, 28, 12, 20, 10, 17] + [14] * len(sessions) + [10, 18]
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
