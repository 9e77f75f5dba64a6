import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import scope_for
from alisvest.tabular import RowError, TableError
from municipalities.models import (
    CentralityClassification,
    Contact,
    County,
    FollowUpEntry,
    Municipality,
    NextAction,
    Partner,
    Population,
    Practice,
    Predecessor,
    Region,
    RegistrationStatus,
    RegistrationStatusChange,
    YearlyMapping,
)

CENTRALITY_COLUMN = re.compile(r"^centrality_class_(\d{4})$")
MERGER_DATE = datetime.date(2019, 12, 31)


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    details: list[str] = field(default_factory=list)

    def count(self, created: bool | None):
        if created is None:
            self.unchanged += 1
        elif created:
            self.created += 1
        else:
            self.updated += 1


def _save_if_changed(model, lookup: dict, values: dict) -> bool | None:
    """Create or update one row; True if created, False if updated, None if unchanged."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        model.objects.create(**lookup, **values)
        return True
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if not changed:
        return None
    for k in changed:
        setattr(obj, k, values[k])
    obj.save(update_fields=changed)
    return False


def _parse_predecessors(text: str, line: int) -> list[tuple[str, str]]:
    result = []
    for part in filter(None, (p.strip() for p in text.split("|"))):
        number, _sep, name = part.partition(" ")
        if not re.fullmatch(r"\d{4}", number) or not name.strip():
            raise TableError(
                [
                    RowError(
                        line,
                        "predecessors",
                        _("“%(value)s” is not “number name”.") % {"value": part},
                    )
                ]
            )
        result.append((number, name.strip()))
    return result


@transaction.atomic
def municipalities_import(*, rows: list[tuple[int, dict]], region: Region) -> ImportSummary:
    """Create or update municipalities from rows of `data/municipalities.csv`'s shape.

    Every row is checked before anything is written; the whole file is one transaction, so a bad
    row leaves the database as it was. Running the same file again changes nothing.
    """
    errors, parsed = [], []
    for line, row in rows:
        number, name, county = row.get("number", ""), row.get("name", ""), row.get("county", "")
        if not re.fullmatch(r"\d{4}", number):
            errors.append(RowError(line, "number", _("must be four digits")))
        if not name:
            errors.append(RowError(line, "name", _("is required")))
        if not county:
            errors.append(RowError(line, "county", _("is required")))
        classes = {}
        for column, value in row.items():
            match = CENTRALITY_COLUMN.match(column)
            if match and value:
                if value not in {"1", "2", "3", "4", "5", "6"}:
                    errors.append(RowError(line, column, _("must be a whole number 1–6")))
                else:
                    classes[match.group(1)] = int(value)
        try:
            predecessors = _parse_predecessors(row.get("predecessors", ""), line)
        except TableError as exc:
            errors.extend(exc.errors)
            predecessors = []
        parsed.append(
            (number, name, county, classes, predecessors, row.get("border_changes_2020", ""))
        )
    seen = set()
    for (line, _row), (number, *_rest) in zip(rows, parsed, strict=True):
        if number in seen:
            errors.append(RowError(line, "number", _("appears more than once")))
        seen.add(number)
    if errors:
        raise TableError(errors)

    summary = ImportSummary()
    for number, name, county_name, classes, predecessors, border_changes in parsed:
        county, _created = County.objects.get_or_create(
            name=county_name, defaults={"number": number[:2]}
        )
        values = {
            "name": name,
            "county": county,
            "region": region,
            "border_changes": border_changes,
        }
        if classes:
            newest = max(classes)
            values.update(centrality_class=classes[newest], centrality_version=newest)
        summary.count(_save_if_changed(Municipality, {"number": number}, values))
        municipality = Municipality.objects.get(number=number)
        for version, klass in classes.items():
            _save_if_changed(
                CentralityClassification,
                {"municipality": municipality, "version": version},
                {"centrality_class": klass},
            )
        for old_number, old_name in predecessors:
            _save_if_changed(
                Predecessor,
                {"municipality": municipality, "number": old_number},
                {"name": old_name, "valid_to": MERGER_DATE},
            )
    return summary


@transaction.atomic
def population_import(*, rows: list[tuple[int, dict]]) -> ImportSummary:
    """Create or update residents per municipality and year (1 January), all or nothing."""
    known = dict(Municipality.objects.values_list("number", "pk"))
    errors, parsed = [], []
    for line, row in rows:
        number, year, population = (
            row.get("number", ""),
            row.get("year", ""),
            row.get("population", ""),
        )
        if number not in known:
            errors.append(
                RowError(line, "number", _("no municipality has number “%(n)s”") % {"n": number})
            )
        if not (year.isdigit() and 1900 <= int(year) <= 2100):
            errors.append(RowError(line, "year", _("must be a year such as 2024")))
        if not population.isdigit():
            errors.append(RowError(line, "population", _("must be a whole number")))
        if not errors:
            parsed.append((known[number], int(year), int(population)))
    if errors:
        raise TableError(errors)
    summary = ImportSummary()
    for municipality_id, year, population in parsed:
        summary.count(
            _save_if_changed(
                Population,
                {"municipality_id": municipality_id, "year": year},
                {"population": population},
            )
        )
    return summary


# Who may write what. Views fetch through the same scopes (404 outside them); the services
# check again so that no caller (a command, a task, another app) can skip the rule.


def _require_adviser(user, municipality: Municipality) -> None:
    if municipality.region_id not in scope_for(user).region_ids:
        raise PermissionDenied(_("Only the region's advisers may do this."))


def _require_editor(user, municipality: Municipality) -> None:
    if not scope_for(user).can_manage_municipality(municipality):
        raise PermissionDenied(
            _("Only the region's advisers and the municipality's managers may do this.")
        )


def _require_region_adviser(user, region_id: int) -> None:
    if region_id not in scope_for(user).region_ids:
        raise PermissionDenied(_("Only the region's advisers may do this."))


# Partners (the office's advisers)

PARTNER_FIELDS = ["name", "kind", "county", "website", "description", "is_active"]


def _check_partner_name(partner: Partner) -> None:
    twin = Partner.objects.filter(region_id=partner.region_id, name__iexact=partner.name)
    if twin.exclude(pk=partner.pk).exists():
        raise ValidationError({"name": _("The region already has a partner with this name.")})


@transaction.atomic
def partner_create(*, region: Region, by, data: dict) -> Partner:
    _require_region_adviser(by, region.pk)
    partner = Partner(region=region, **{k: v for k, v in data.items() if k in PARTNER_FIELDS})
    _check_partner_name(partner)
    partner.save()
    return partner


@transaction.atomic
def partner_update(*, partner: Partner, by, data: dict) -> Partner:
    _require_region_adviser(by, partner.region_id)
    for name, value in data.items():
        if name not in PARTNER_FIELDS:
            raise ValueError(f"{name} is not a partner field")
        setattr(partner, name, value)
    _check_partner_name(partner)
    partner.save(update_fields=list(data))
    return partner


# The follow-up log


def _entry_region(municipality: Municipality | None, partner: Partner | None) -> int:
    """The region an entry belongs to. An entry concerns a municipality, a partner or both; a
    partner of another region's office is not this log's."""
    if municipality is None and partner is None:
        raise ValidationError(_("Choose the municipality or the partner the follow-up concerns."))
    if municipality and partner and municipality.region_id != partner.region_id:
        raise ValidationError(
            {"partner": _("The partner and the municipality belong to different regions.")}
        )
    return (municipality or partner).region_id


def _check_owners(region_id: int, actions: list[dict]) -> None:
    advisers = set(Region(pk=region_id).advisers().values_list("pk", flat=True))
    for action in actions:
        if action["owner"].pk not in advisers:
            raise ValidationError(
                {
                    "owner": _("%(person)s is not an adviser of the region.")
                    % {"person": action["owner"]}
                }
            )


def _save_actions(entry: FollowUpEntry, actions: list[dict]) -> None:
    for data in actions:
        action = data.get("action")
        values = {k: data[k] for k in ("description", "owner", "due_date")}
        if action is None:
            NextAction.objects.create(entry=entry, **values)
            continue
        if action.entry_id != entry.pk:
            raise ValidationError(_("That next action belongs to another follow-up entry."))
        _update(action, values)


@transaction.atomic
def follow_up_log(
    *,
    municipality: Municipality | None = None,
    partner: Partner | None = None,
    by,
    date: datetime.date,
    kind: str,
    participants: str,
    summary: str,
    actions: list[dict],
) -> FollowUpEntry:
    """Log a meeting, call or e-mail with a municipality, a partner or both, with its next
    actions (`description`, `owner`, `due_date`), all or nothing. Every owner must be an
    adviser of the region."""
    region_id = _entry_region(municipality, partner)
    _require_region_adviser(by, region_id)
    _check_owners(region_id, actions)
    entry = FollowUpEntry.objects.create(
        municipality=municipality,
        partner=partner,
        date=date,
        kind=kind,
        participants=participants,
        summary=summary,
        created_by=by,
    )
    _save_actions(entry, actions)
    return entry


@transaction.atomic
def follow_up_update(
    *,
    entry: FollowUpEntry,
    by,
    date: datetime.date,
    kind: str,
    participants: str,
    summary: str,
    actions: list[dict],
    removed: list[NextAction] = (),
    **concerns,
) -> FollowUpEntry:
    """Correct an entry: its fields, its actions (an existing one is passed as `action`), and
    the actions to remove. Done actions keep who finished them and when. `municipality` or
    `partner`, when given, change what the entry concerns."""
    _require_region_adviser(by, entry.region_id)
    unknown = set(concerns) - {"municipality", "partner"}
    if unknown:
        raise ValueError(f"Not what an entry concerns: {sorted(unknown)}")
    for name, value in concerns.items():
        setattr(entry, name, value)
    region_id = _entry_region(entry.municipality, entry.partner)
    _require_region_adviser(by, region_id)
    _check_owners(region_id, actions)
    for action in removed:
        if action.entry_id != entry.pk:
            raise ValidationError(_("That next action belongs to another follow-up entry."))
        action.delete()
    _update(
        entry,
        {"date": date, "kind": kind, "participants": participants, "summary": summary},
        *concerns,
    )
    _save_actions(entry, actions)
    return entry


@transaction.atomic
def next_action_complete(*, action: NextAction, by) -> NextAction:
    """Mark an action done; done already stays as it was (a double click changes nothing)."""
    _require_region_adviser(by, action.entry.region_id)
    if action.is_open:
        action.done_at = timezone.now()
        action.done_by = by
        action.save(update_fields=["done_at", "done_by"])
    return action


@transaction.atomic
def next_action_reopen(*, action: NextAction, by) -> NextAction:
    _require_region_adviser(by, action.entry.region_id)
    if not action.is_open:
        action.done_at = None
        action.done_by = None
        action.save(update_fields=["done_at", "done_by"])
    return action


# Registration as education institution

FUTURE_LIMIT = datetime.timedelta(days=366)
IMPORT_MAX_ROWS = 2000

# What people write in the status column: the codes, the English labels, and Norwegian words
# (bokmål and nynorsk). Compared after lower-casing and folding "_" and "-" to spaces.
STATUS_WORDS = {
    RegistrationStatus.NOT_APPLIED: [
        "not applied",
        "ikke søkt",
        "ikkje søkt",
        "ikke sokt",
        "ikke søkt om registrering",
    ],
    RegistrationStatus.APPLIED: ["applied", "søkt", "sokt", "har søkt", "søknad sendt"],
    RegistrationStatus.REGISTERED: [
        "registered",
        "registrert",
        "registrert utdanningsvirksomhet",
        "godkjent",
    ],
    RegistrationStatus.LOST_BY_MERGER: [
        "lost by merger",
        "lost",
        "mistet ved sammenslåing",
        "bortfalt ved sammenslåing",
        "falt bort ved sammenslåing",
        "tapt ved sammenslåing",
    ],
}
_STATUS_LOOKUP = {word: status for status, words in STATUS_WORDS.items() for word in words}


def parse_registration_status(text: str) -> str | None:
    """The status code for a word in a file ("registrert", "Not applied", …), or None."""
    key = " ".join(text.lower().replace("_", " ").replace("-", " ").split())
    return _STATUS_LOOKUP.get(key)


def _check_registration_date(date: datetime.date) -> str | None:
    if date > timezone.localdate() + FUTURE_LIMIT:
        return _("must be at most a year from today")
    return None


def _already_recorded(municipality_id: int, status: str, date: datetime.date) -> bool:
    return RegistrationStatusChange.objects.filter(
        municipality_id=municipality_id, status=status, date=date
    ).exists()


@transaction.atomic
def registration_status_add(
    *, municipality: Municipality, by, status: str, date: datetime.date, note: str
) -> RegistrationStatusChange:
    """Record one dated step. The current status is the newest step on or before today, so a
    step may be entered ahead of its date (up to a year). The same status on the same date is
    recorded once."""
    _require_adviser(by, municipality)
    problem = _check_registration_date(date)
    if problem:
        raise ValidationError({"date": problem})
    if _already_recorded(municipality.pk, status, date):
        raise ValidationError({"date": _("This status is already recorded on this date.")})
    return RegistrationStatusChange.objects.create(
        municipality=municipality, status=status, date=date, note=note, recorded_by=by
    )


@dataclass(frozen=True)
class PlannedStatusChange:
    line: int
    municipality: Municipality
    current_status: str | None
    status: str
    date: datetime.date
    note: str
    already_recorded: bool

    def get_status_display(self):
        return RegistrationStatus(self.status).label


DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def _parse_date(text: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def registration_import_preview(*, rows: list[tuple[int, dict]], by) -> list[PlannedStatusChange]:
    """Check every row of a `number, status, date, note` table and say what applying it would
    do. Raises TableError naming each bad line and field; writes nothing."""
    scope = scope_for(by)
    if not scope.region_ids:
        raise PermissionDenied(_("Only advisers may import registration statuses."))
    if len(rows) > IMPORT_MAX_ROWS:
        raise TableError(
            _("The file has %(n)s rows; at most %(max)s can be imported at once.")
            % {"n": len(rows), "max": IMPORT_MAX_ROWS}
        )
    municipalities = {
        m.number: m
        for m in Municipality.objects.advised_by(by).with_registration_status().order_by()
    }
    errors, parsed = [], []
    for line, row in rows:
        number = row.get("number", "")
        if number.isdigit() and len(number) < 4:
            number = number.zfill(4)  # a spreadsheet drops the leading zero of 0301
        municipality = municipalities.get(number)
        if municipality is None:
            errors.append(
                RowError(
                    line,
                    "number",
                    _("no municipality in your region has number “%(n)s”") % {"n": number},
                )
            )
        status = parse_registration_status(row.get("status", ""))
        if status is None:
            errors.append(
                RowError(
                    line,
                    "status",
                    _(
                        "“%(value)s” is not a status (use registered, applied, not applied or "
                        "lost by merger; registrert, søkt, ikke søkt)"
                    )
                    % {"value": row.get("status", "")},
                )
            )
        date = _parse_date(row.get("date", ""))
        if date is None:
            errors.append(RowError(line, "date", _("must be a date such as 01.03.2024")))
        elif problem := _check_registration_date(date):
            errors.append(RowError(line, "date", problem))
        parsed.append((line, municipality, status, date, row.get("note", "")))
    if errors:
        raise TableError(errors)
    seen = set(
        RegistrationStatusChange.objects.filter(
            municipality__in=[m for _line, m, *_rest in parsed]
        ).values_list("municipality_id", "status", "date")
    )
    planned = []
    for line, municipality, status, date, note in parsed:
        key = (municipality.pk, status, date)
        planned.append(
            PlannedStatusChange(
                line=line,
                municipality=municipality,
                current_status=municipality.registration_status,
                status=status,
                date=date,
                note=note,
                already_recorded=key in seen,
            )
        )
        seen.add(key)
    return planned


@transaction.atomic
def registration_status_import(*, rows: list[tuple[int, dict]], by) -> ImportSummary:
    """Apply a `number, status, date, note` table: every row is checked first, then all are
    applied in one transaction or none. A row identical (municipality, status, date) to a
    recorded change is skipped, so applying the same file twice adds nothing."""
    summary = ImportSummary()
    for change in registration_import_preview(rows=rows, by=by):
        if change.already_recorded:
            summary.count(None)
            continue
        RegistrationStatusChange.objects.create(
            municipality=change.municipality,
            status=change.status,
            date=change.date,
            note=change.note,
            recorded_by=by,
        )
        summary.count(True)
    return summary


# Contacts and practices


def _require_contact_editor(user, contact: Contact) -> None:
    if contact.partner_id:
        _require_region_adviser(user, contact.partner.region_id)
    else:
        _require_editor(user, contact.municipality)


@transaction.atomic
def contact_create(
    *, municipality: Municipality | None = None, partner: Partner | None = None, by, data: dict
) -> Contact:
    """A contact person of a municipality (its advisers and managers keep them) or of a
    partner (the region's advisers)."""
    contact = Contact(municipality=municipality, partner=partner, **data)
    if (municipality is None) == (partner is None):
        raise ValueError("A contact works for a municipality or for a partner")
    _require_contact_editor(by, contact)
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, by, data: dict) -> Contact:
    _require_contact_editor(by, contact)
    return _update(contact, data)


@transaction.atomic
def contact_deactivate(*, contact: Contact, by) -> Contact:
    """A contact who left is kept (with history), shown as inactive."""
    _require_contact_editor(by, contact)
    return _update(contact, {"is_active": False})


@transaction.atomic
def practice_create(*, municipality: Municipality, by, data: dict) -> Practice:
    _require_editor(by, municipality)
    return Practice.objects.create(municipality=municipality, **data)


@transaction.atomic
def practice_update(*, practice: Practice, by, data: dict) -> Practice:
    _require_editor(by, practice.municipality)
    return _update(practice, data)


@transaction.atomic
def practice_deactivate(*, practice: Practice, by) -> Practice:
    """A closed practice stays: positions and employments may point to it."""
    _require_editor(by, practice.municipality)
    return _update(practice, {"is_active": False})


def _update(obj, data: dict, *also: str):
    """Set and save the given fields. (A ModelForm bound to `obj` has already set them in
    memory, so there is no telling what changed: save them all.)"""
    for name, value in data.items():
        setattr(obj, name, value)
    obj.save(update_fields=[*data, *also])
    return obj


# The yearly mapping (kartlegging)

MAPPING_FIELDS = [
    "gp_organisation",
    "gp_organisation_note",
    "number_of_gps",
    "number_of_alis",
    "supervisor_capacity",
    "notes",
]


def mapping_initial(*, municipality: Municipality, year: int) -> tuple[dict, YearlyMapping | None]:
    """The starting point for a new year's mapping: the newest earlier year's values."""
    source = (
        YearlyMapping.objects.filter(municipality=municipality, year__lt=year)
        .order_by("-year")
        .first()
    )
    initial = {"year": year}
    if source:
        initial.update({name: getattr(source, name) for name in MAPPING_FIELDS})
    return initial, source


@transaction.atomic
def mapping_create(*, municipality: Municipality, by, year: int, data: dict) -> YearlyMapping:
    """One mapping per municipality and year."""
    _require_adviser(by, municipality)
    if YearlyMapping.objects.filter(municipality=municipality, year=year).exists():
        raise ValidationError(
            {"year": _("%(year)s is already mapped; edit that mapping instead.") % {"year": year}}
        )
    return YearlyMapping.objects.create(municipality=municipality, year=year, updated_by=by, **data)


@transaction.atomic
def mapping_update(*, mapping: YearlyMapping, by, data: dict) -> YearlyMapping:
    _require_adviser(by, mapping.municipality)
    mapping.updated_by = by
    return _update(mapping, data, "updated_by", "updated_at")
