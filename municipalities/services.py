import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from alisvest.tabular import RowError, TableError
from municipalities.models import (
    CentralityClassification,
    County,
    Municipality,
    Population,
    Predecessor,
    Region,
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
