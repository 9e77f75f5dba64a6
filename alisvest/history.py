"""The change history of a record (django-simple-history), as people read it: who, when, and
which fields changed from what to what.

A view fetches the record through its scope, then renders `templates/_history.html` with
`{"object": record, "history": change_history(record)}`. Fields listed in `hidden` (private
notes) show that they changed, never their text.
"""

import datetime
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    when: object
    who: object
    kind: str
    changes: list[FieldChange]
    subject: str = ""  # which record, in a timeline of several


KINDS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def _display(record, field_name: str) -> str:
    field = record._meta.get_field(field_name)
    value = getattr(record, field.attname, None)
    if value in (None, ""):
        return "–"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        try:
            return str(getattr(record, field_name))
        except Exception:  # the related row may be gone
            return str(value)
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def _field_changes(meta, newer, older, hidden) -> list[FieldChange]:
    changes = []
    if older is None:
        return changes
    delta = newer.diff_against(older)
    for change in delta.changes:
        try:
            field = meta.get_field(change.field)
        except Exception:
            continue
        label = str(getattr(field, "verbose_name", change.field))
        if change.field in hidden:
            changes.append(FieldChange(label, "…", str(_("(changed)"))))
        else:
            changes.append(
                FieldChange(
                    label,
                    _display(older.instance, change.field),
                    _display(newer.instance, change.field),
                )
            )
    return changes


def change_history(record, *, hidden: tuple[str, ...] = (), limit: int = 200) -> list[Change]:
    """The record's changes, newest first, with the fields each changed."""
    entries = list(record.history.select_related("history_user").order_by("-history_date")[:limit])
    result = []
    for newer, older in zip(entries, [*entries[1:], None], strict=True):
        result.append(
            Change(
                when=newer.history_date,
                who=newer.history_user,
                kind=str(KINDS.get(newer.history_type, newer.history_type)),
                changes=_field_changes(record._meta, newer, older, hidden),
            )
        )
    return result


def timeline(*sources, hidden: tuple[str, ...] = (), limit: int = 300) -> list[Change]:
    """The changes of several records in one list, newest first: deleted records too, since
    their history stays. Each source is `(historical_rows, subject)`: a queryset of a model's
    history (e.g. `ServicePeriod.history.filter(plan_id=7)`) and a function naming the record
    of a historical row. One query per source."""
    result = []
    for entries, subject in sources:
        meta = entries.model.instance_type._meta
        rows = list(entries.select_related("history_user").order_by("-history_date")[:limit])
        by_record: dict = {}
        for row in rows:
            by_record.setdefault(row.id, []).append(row)
        for versions in by_record.values():
            for newer, older in zip(versions, [*versions[1:], None], strict=True):
                result.append(
                    Change(
                        when=newer.history_date,
                        who=newer.history_user,
                        kind=str(KINDS.get(newer.history_type, newer.history_type)),
                        changes=_field_changes(meta, newer, older, hidden),
                        subject=subject(newer),
                    )
                )
    result.sort(key=lambda c: c.when, reverse=True)
    return result[:limit]
