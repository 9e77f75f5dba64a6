"""The figures of the annual report to Helsedirektoratet, for one region and one year.

Every figure is computed *as of 31 December* of the year from dated records, never from
today's state, so a report for a year can be made again later and says the same: a
municipality registered in 2023 counts as not registered in the 2021 report, an agreement
signed in March counts as signed only from March, an employment that ended in June counts
"during the year" but not "on 31 December". For the current year the day is today.

`annual_figures(region, year)` returns the sections of tables (each with an optional chart)
that the web page, the XLSX export and the PDF all show. Each part loads what it needs in a
fixed number of queries and aggregates in Python over those rows (never a query per
municipality).
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alisvest import charts

# Column kinds: how a value is shown (and formatted in the XLSX).
TEXT, INT, KR, PERCENT, DECIMAL = "text", "int", "kr", "percent", "decimal"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = INT

    @property
    def numeric(self) -> bool:
        return self.kind != TEXT


@dataclass
class Chart:
    """What to draw beside a table: a bar chart of (label, value) rows, or the region map
    coloured per municipality number."""

    title: str
    rows: list[tuple[str, float]] = field(default_factory=list)
    unit: str = ""
    colours: dict[str, str] | None = None  # a map: number → colour
    titles: dict[str, str] = field(default_factory=dict)
    legend: list[tuple[str, str]] = field(default_factory=list)
    links: dict[str, str] | None = None  # a map on a web page: number → the municipality's page

    @property
    def is_map(self) -> bool:
        return self.colours is not None

    def svg(self, *, width: int | None = None):
        if self.is_map:
            return charts.region_map(
                colours=self.colours,
                titles=self.titles,
                legend=self.legend,
                title=self.title,
                links=self.links,
                width=width or 420,
            )
        return charts.bar_chart(self.rows, title=self.title, unit=self.unit, width=width or 640)


@dataclass
class Table:
    key: str  # unique in the report: the XLSX sheet and the page anchor
    title: str
    columns: list[Column]
    rows: list[list]
    total: list | None = None
    note: str = ""
    chart: Chart | None = None

    def column(self, label: str) -> list:
        """The values of one column (tests and exports read them by header)."""
        index = [c.label for c in self.columns].index(label)
        return [row[index] for row in self.rows]

    def row(self, first_cell) -> list:
        return next(r for r in self.rows if r[0] == first_cell)


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]


@dataclass
class AnnualFigures:
    region: object
    year: int
    on: datetime.date
    sections: list[Section]

    @property
    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def year_end(year: int, *, today: datetime.date | None = None) -> datetime.date:
    """The day a year's figures are counted on: 31 December, or today in the current year."""
    today = today or timezone.localdate()
    return min(datetime.date(year, 12, 31), max(today, datetime.date(year, 1, 1)))


def _end_of_day(day: datetime.date) -> datetime.datetime:
    tz = timezone.get_default_timezone()
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=tz)


def _share(part, whole) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


# The municipalities as they stood on the day


@dataclass(frozen=True)
class Place:
    pk: int
    number: str
    name: str
    county: str
    centrality: int | None
    status: str
    population: int | None


def _places(region, year: int, on: datetime.date) -> dict[int, Place]:
    """The region's municipalities that existed on the day, with their registration status,
    centrality class (SSB's newest version not after the year) and population (1 January)."""
    from municipalities.models import CentralityClassification, Municipality, RegistrationStatus

    municipalities = list(
        Municipality.objects.filter(region=region)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .with_registration_status(on)
        .with_population(year)
        .select_related("county")
        .order_by("name")
    )
    versions = defaultdict(list)
    for pk, version, cls in CentralityClassification.objects.filter(
        municipality__region=region
    ).values_list("municipality_id", "version", "centrality_class"):
        versions[pk].append((version, cls))

    def centrality(m):
        known = sorted(versions[m.pk])
        before = [
            cls for version, cls in known if version[:4].isdigit() and int(version[:4]) <= year
        ]
        if before:
            return before[-1]
        # No version from before the year: the oldest one known is the best guess.
        return known[0][1] if known else m.centrality_class

    return {
        m.pk: Place(
            m.pk,
            m.number,
            m.name,
            m.county.name,
            centrality(m),
            m.registration_status or RegistrationStatus.NOT_APPLIED,
            m.population,
        )
        for m in municipalities
    }


def _centrality_label(cls) -> str:
    return _("Class %(n)s") % {"n": cls} if cls else _("Unknown")


STATUS_ORDER = ["registered", "applied", "not_applied", "lost_by_merger"]
STATUS_COLOURS = {
    # Dark to light, so the map reads in grey as well as in colour.
    "registered": "#0b4f6c",
    "applied": "#4f8fb0",
    "lost_by_merger": "#a9cbdc",
    "not_applied": "#f3e3c3",
}


def _status_label(status: str) -> str:
    from municipalities.models import RegistrationStatus

    return str(RegistrationStatus(status).label)


def municipality_tables(region, year: int, on: datetime.date, places) -> list[Table]:
    from municipalities.models import Predecessor, YearlyMapping

    total = len(places)
    by_status = Counter(p.status for p in places.values())
    status_rows = [
        [_status_label(s), by_status[s], _share(by_status[s], total)] for s in STATUS_ORDER
    ]
    not_applied = by_status["not_applied"]
    tables = [
        Table(
            "registration",
            _("Municipalities by registration status"),
            [Column(_("Status"), TEXT), Column(_("Municipalities")), Column(_("Share"), PERCENT)],
            status_rows,
            total=[_("Total"), total, Decimal(1) if total else None],
            note=_("%(n)s of %(total)s had not applied to be a registered education institution.")
            % {"n": not_applied, "total": total},
            chart=Chart(
                _("Registration status on %(day)s") % {"day": on.strftime("%d.%m.%Y")},
                colours={p.number: STATUS_COLOURS[p.status] for p in places.values()},
                titles={p.number: f"{p.name}: {_status_label(p.status)}" for p in places.values()},
                legend=[
                    (STATUS_COLOURS[s], f"{_status_label(s)} ({by_status[s]})")
                    for s in STATUS_ORDER
                ],
            ),
        )
    ]

    def cross(key, title, label, group):
        groups = defaultdict(Counter)
        for p in places.values():
            groups[group(p)][p.status] += 1
        rows = [
            [name, *[counts[s] for s in STATUS_ORDER], sum(counts.values())]
            for name, counts in sorted(groups.items(), key=lambda kv: kv[0])
        ]
        return Table(
            key,
            title,
            [
                Column(label, TEXT),
                *[Column(_status_label(s)) for s in STATUS_ORDER],
                Column(_("Total")),
            ],
            rows,
            total=[_("Total"), *[by_status[s] for s in STATUS_ORDER], total],
        )

    tables.append(
        cross(
            "registration_county",
            _("Registration status by county"),
            _("County"),
            lambda p: p.county,
        )
    )
    centrality = cross(
        "registration_centrality",
        _("Registration status by centrality class"),
        _("Centrality class"),
        lambda p: p.centrality or 99,
    )
    for row in centrality.rows:
        row[0] = _centrality_label(row[0] if row[0] != 99 else None)
    centrality.note = _(
        "SSB's centrality index: class 1 is the most central, 6 the least. The newest version "
        "of the index not after the year is used."
    )
    tables.append(centrality)

    tables.append(
        Table(
            "not_applied",
            _("Municipalities that had not applied"),
            [
                Column(_("Municipality"), TEXT),
                Column(_("County"), TEXT),
                Column(_("Centrality class")),
                Column(_("Population")),
                Column(_("Why (the adviser's note)"), TEXT),
            ],
            [],
        )
    )
    notes = _status_notes(places, on)
    for p in places.values():
        if p.status == "not_applied":
            tables[-1].rows.append(
                [p.name, p.county, p.centrality, p.population, notes.get(p.pk, "")]
            )

    mergers = defaultdict(list)
    for pk, number, name, valid_to in Predecessor.objects.filter(
        municipality_id__in=list(places), valid_to__lte=on
    ).values_list("municipality_id", "number", "name", "valid_to"):
        mergers[pk].append((number, name, valid_to))
    # A renumbering in 2020 (1428 Askvoll → 4645 Askvoll) is no merger.
    mergers = {
        pk: parts
        for pk, parts in mergers.items()
        if len(parts) > 1 or parts[0][1] != places[pk].name
    }
    tables.append(
        Table(
            "mergers",
            _("Merged municipalities"),
            [
                Column(_("Municipality"), TEXT),
                Column(_("Formed from"), TEXT),
                Column(_("Status on the day"), TEXT),
            ],
            [
                [
                    places[pk].name,
                    ", ".join(f"{number} {name}" for number, name, _d in sorted(parts)),
                    _status_label(places[pk].status),
                ]
                for pk, parts in sorted(mergers.items(), key=lambda kv: places[kv[0]].name)
            ],
            note=_(
                "Merged municipalities became new municipalities in 2020 and lost the "
                "registration of the municipalities they were formed from."
            ),
        )
    )

    mapping = defaultdict(lambda: [0, 0, 0, 0])
    for pk, gps, alis, capacity in YearlyMapping.objects.filter(
        municipality_id__in=list(places), year=year
    ).values_list("municipality_id", "number_of_gps", "number_of_alis", "supervisor_capacity"):
        row = mapping[places[pk].county]
        row[0] += 1
        row[1] += gps or 0
        row[2] += alis or 0
        row[3] += capacity or 0
    mapped = [[county, *values] for county, values in sorted(mapping.items())]
    tables.append(
        Table(
            "mapping",
            _("The year's mapping of the municipalities"),
            [
                Column(_("County"), TEXT),
                Column(_("Municipalities mapped")),
                Column(_("GPs")),
                Column(_("ALIS")),
                Column(_("Supervisor capacity")),
            ],
            mapped,
            total=[_("Total"), *[sum(r[i] for r in mapped) for i in range(1, 5)]],
            note=_("As the municipalities reported them in the office's mapping for %(year)s.")
            % {"year": year},
        )
    )
    return tables


def _status_notes(places, on) -> dict[int, str]:
    """The note of each municipality's status change in force on the day (one query)."""
    from municipalities.models import RegistrationStatusChange

    notes = {}
    for pk, note in (
        RegistrationStatusChange.objects.filter(municipality_id__in=list(places), date__lte=on)
        .order_by("municipality_id", "date", "pk")
        .values_list("municipality_id", "note")
    ):
        notes[pk] = note  # the last one wins: the change in force
    return notes


# ALIS and positions


def alis_tables(region, year: int, on: datetime.date, places) -> list[Table]:
    from alis_agreements.models import Employment, EmploymentForm, Position

    first = datetime.date(year, 1, 1)
    employments = list(
        Employment.objects.filter(position__municipality__region=region, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .values_list(
            "alis_id",
            "position__municipality_id",
            "position__employment_form",
            "start_date",
            "end_date",
        )
    )
    now_ids, year_ids = defaultdict(set), defaultdict(set)
    for alis, municipality, form, _start, end in employments:
        place = places.get(municipality)
        if place is None:
            continue
        keys = [
            ("municipality", place.pk),
            ("county", place.county),
            ("centrality", place.centrality),
            ("form", form),
            ("all", None),
        ]
        active = end is None or end >= on
        for key in keys:
            year_ids[key].add(alis)
            if active:
                now_ids[key].add(alis)

    columns = [
        Column(_("On %(day)s") % {"day": on.strftime("%d.%m.%Y")}),
        Column(_("During the year")),
    ]
    total = [_("Total"), len(now_ids[("all", None)]), len(year_ids[("all", None)])]

    def rows(kind, labels):
        return [
            [label, len(now_ids[(kind, value)]), len(year_ids[(kind, value)])]
            for value, label in labels
            if year_ids[(kind, value)]
        ]

    by_municipality = rows("municipality", [(p.pk, p.name) for p in places.values()])
    counties = sorted({p.county for p in places.values()})
    classes = sorted({p.centrality for p in places.values()}, key=lambda c: c or 99)
    forms = [(f.value, str(f.label)) for f in EmploymentForm]

    tables = [
        Table(
            "alis_municipality",
            _("ALIS by municipality"),
            [Column(_("Municipality"), TEXT), *columns],
            by_municipality,
            total=total,
            note=_(
                "ALIS employed in an ALIS position. An ALIS who moved during the year counts in "
                "each municipality, once in the total."
            ),
            chart=Chart(
                _("ALIS on %(day)s by municipality") % {"day": on.strftime("%d.%m.%Y")},
                rows=[(r[0], r[1]) for r in by_municipality if r[1]],
            ),
        ),
        Table(
            "alis_county",
            _("ALIS by county"),
            [Column(_("County"), TEXT), *columns],
            rows("county", [(c, c) for c in counties]),
            total=total,
        ),
        Table(
            "alis_centrality",
            _("ALIS by centrality class"),
            [Column(_("Centrality class"), TEXT), *columns],
            rows("centrality", [(c, _centrality_label(c)) for c in classes]),
            total=total,
        ),
        Table(
            "alis_form",
            _("ALIS by employment form"),
            [Column(_("Employment form"), TEXT), *columns],
            rows("form", forms),
            total=total,
        ),
    ]
    for table in tables[1:]:
        table.chart = Chart(table.title, rows=[(r[0], r[1]) for r in table.rows])

    # Positions: the record's dates, not today's status.
    filled_on = Employment.objects.filter(position=OuterRef("pk"), start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )
    counts = defaultdict(Counter)
    for municipality, start, end, created, filled in (
        Position.objects.filter(municipality_id__in=list(places))
        .annotate(filled=Exists(filled_on))
        .values_list("municipality_id", "start_date", "end_date", "created_at", "filled")
    ):
        begins = start or timezone.localtime(created).date()
        county = places[municipality].county
        if begins <= on and (end is None or end >= on):
            counts[county]["open"] += 1
            counts[county]["filled" if filled else "vacant"] += 1
        if first <= begins <= on:
            counts[county]["new"] += 1
        if end is not None and first <= end <= on:
            counts[county]["ended"] += 1
    keys = ["open", "filled", "vacant", "new", "ended"]
    position_rows = [[county, *[counts[county][k] for k in keys]] for county in counties]
    tables.append(
        Table(
            "positions",
            _("ALIS positions"),
            [
                Column(_("County"), TEXT),
                Column(_("Positions on %(day)s") % {"day": on.strftime("%d.%m.%Y")}),
                Column(_("Filled")),
                Column(_("Vacant")),
                Column(_("New during the year")),
                Column(_("Ended during the year")),
            ],
            position_rows,
            total=[_("Total"), *[sum(r[i] for r in position_rows) for i in range(1, 6)]],
            note=_("A position counts from its start date (or from when it was registered)."),
        )
    )
    return tables


# Agreements and grants


def agreement_status_on(agreement: dict, on: datetime.date) -> str | None:
    """An agreement's status as it stood on the day, from its dates (None: not made yet, or
    a version replaced by then, which its successor counts for)."""
    from alis_agreements.models import AgreementStatus, EndReason

    created = agreement["created_at"] and timezone.localtime(agreement["created_at"]).date()
    sent = agreement["sent_at"] and timezone.localtime(agreement["sent_at"]).date()
    signed = agreement["signed_on"]
    if not any(d is not None and d <= on for d in (created, sent, signed)):
        return None
    ended = agreement["ended_on"]
    if ended is not None and ended <= on:
        return None if agreement["end_reason"] == EndReason.REPLACED else AgreementStatus.ENDED
    if signed is not None and signed <= on:
        ends = min(d for d in (agreement["end_date"], agreement["employment_end"]) if d)
        return AgreementStatus.ENDED if ends < on else AgreementStatus.SIGNED
    if sent is not None and sent <= on:
        return AgreementStatus.SENT
    return AgreementStatus.DRAFT


def agreement_tables(region, year: int, on: datetime.date, places) -> list[Table]:
    from alis_agreements import grants
    from alis_agreements.models import (
        Agreement,
        AgreementMeasure,
        AgreementStatus,
        Element,
    )

    first = datetime.date(year, 1, 1)
    rows = list(
        Agreement.objects.filter(employment__position__municipality_id__in=list(places)).values(
            "pk",
            "created_at",
            "sent_at",
            "signed_on",
            "ended_on",
            "end_reason",
            "end_date",
            "start_date",
            "employment__position__municipality_id",
            employment_end=F("employment__end_date"),
        )
    )
    statuses = {a["pk"]: agreement_status_on(a, on) for a in rows}
    signed_during = {
        a["pk"]
        for a in rows
        if a["signed_on"] and first <= a["signed_on"] <= on and statuses[a["pk"]] is not None
    }
    ended_during = {
        a["pk"]
        for a in rows
        if statuses[a["pk"]] == AgreementStatus.ENDED
        and first <= min(d for d in (a["ended_on"], a["end_date"], a["employment_end"]) if d) <= on
    }
    status_counts = Counter(s for s in statuses.values() if s)
    status_rows = [[str(s.label), status_counts[s.value]] for s in AgreementStatus]
    tables = [
        Table(
            "agreements_status",
            _("ALIS agreements by status"),
            [Column(_("Status"), TEXT), Column(_("Agreements"))],
            status_rows,
            total=[_("Total"), sum(status_counts.values())],
            note=_(
                "Status on %(day)s. Signed during the year: %(signed)s; ended during the year: "
                "%(ended)s. A version replaced by a new one counts once, as its newest version."
            )
            % {
                "day": on.strftime("%d.%m.%Y"),
                "signed": len(signed_during),
                "ended": len(ended_during),
            },
            chart=Chart(_("ALIS agreements by status"), rows=[(r[0], r[1]) for r in status_rows]),
        )
    ]

    in_force = [pk for pk, s in statuses.items() if s == AgreementStatus.SIGNED]
    # A measure counted in hours or days (time off after on-call) has no amount: shown as "–".
    measures = defaultdict(lambda: [set(), None])
    elements = {}
    for agreement, name, element, amount in AgreementMeasure.objects.filter(
        agreement_id__in=in_force
    ).values_list("agreement_id", "measure_type__name", "element", "amount"):
        measures[name][0].add(agreement)
        if amount is not None:
            measures[name][1] = (measures[name][1] or 0) + amount
        elements[name] = element
    measure_rows = [
        [name, str(Element(elements[name]).label), len(ids), total]
        for name, (ids, total) in sorted(measures.items(), key=lambda kv: (-len(kv[1][0]), kv[0]))
    ]
    tables.append(
        Table(
            "agreements_measures",
            _("Measures in the agreements in force"),
            [
                Column(_("Measure"), TEXT),
                Column(_("Element group"), TEXT),
                Column(_("Agreements")),
                Column(_("Amount per year"), KR),
            ],
            measure_rows,
            total=[
                _("Agreements in force"),
                "",
                len(in_force),
                sum(r[3] or 0 for r in measure_rows),
            ],
            chart=Chart(
                _("Measures in the agreements in force"),
                rows=[(r[0], r[2]) for r in measure_rows],
            ),
        )
    )

    # Grant estimates: the agreements signed by the day, under the year's rate tables.
    signed_ids = [
        pk for pk, s in statuses.items() if s in (AgreementStatus.SIGNED, AgreementStatus.ENDED)
    ]
    agreements = Agreement.objects.filter(pk__in=signed_ids).for_grant_year(year).with_details()
    tables_of_year = grants.load_tables([year])
    by_scheme = defaultdict(lambda: [0, Decimal(0), Decimal(0), Decimal(0), Decimal(0), Decimal(0)])
    for agreement in agreements:
        estimate = grants.estimate(agreement, year, tables_of_year)
        name = estimate.table.scheme.name if estimate.table else _("No rate table")
        row = by_scheme[name]
        row[0] += 1
        row[1] += estimate.fte_months
        row[2] += estimate.standard
        row[3] += estimate.additional
        row[4] += estimate.municipal_share
        row[5] += estimate.net
    grant_rows = [[name, *values] for name, values in sorted(by_scheme.items())]
    tables.append(
        Table(
            "grants",
            _("Grant estimates by scheme"),
            [
                Column(_("Scheme"), TEXT),
                Column(_("Agreements")),
                Column(_("FTE months"), DECIMAL),
                Column(_("Standard elements"), KR),
                Column(_("Additional elements"), KR),
                Column(_("Municipal share"), KR),
                Column(_("Net grant"), KR),
            ],
            grant_rows,
            total=[_("Total"), *[sum(r[i] for r in grant_rows) for i in range(1, 7)]],
            note=_(
                "Estimates from the rate tables for %(year)s, for agreements signed by %(day)s, "
                "from the signing date."
            )
            % {"year": year, "day": on.strftime("%d.%m.%Y")},
        )
    )
    return tables


# Supervision


def supervision_tables(region, year: int, on: datetime.date, places) -> list[Table]:
    from alis_agreements.models import Employment
    from education_plans.models import SupervisionRelationship
    from supervision.models import GroupMeeting, GroupMembership, SupervisionGroup, Supervisor

    first = datetime.date(year, 1, 1)
    # "id", not "pk": the history's own key is history_id.
    fields = ("id", "person_id", "municipality_id", "capacity", "course_completed_on", "in_pool")
    # The register as it stood on the day (its history), and those who supervised an ALIS on
    # the day though entered in the register only later (the register began after them).
    register = {
        s["id"]: s
        for s in Supervisor.history.as_of(_end_of_day(on))
        .filter(is_active=True, municipality_id__in=list(places))
        .values(*fields)
    }
    individual = SupervisionRelationship.objects.active(on).filter(
        kind=SupervisionRelationship.Kind.INDIVIDUAL
    )
    load = Counter()
    for supervisor_id, _alis in set(individual.values_list("supervisor_id", "alis_id")):
        load[supervisor_id] += 1
    known = {s["person_id"] for s in register.values()}
    for s in Supervisor.objects.filter(person_id__in=set(load) - known).values(*fields):
        if s["municipality_id"] in places:
            register[s["id"]] = s

    counts = defaultdict(Counter)
    for s in register.values():
        county = places[s["municipality_id"]].county
        row = counts[county]
        row["supervisors"] += 1
        row["course"] += bool(s["course_completed_on"] and s["course_completed_on"] <= on)
        row["pool"] += bool(s["in_pool"])
        row["capacity"] += s["capacity"]
        row["load"] += load.get(s["person_id"], 0)
        row["free"] += max(s["capacity"] - load.get(s["person_id"], 0), 0)
    keys = ["supervisors", "course", "pool", "capacity", "load", "free"]
    counties = sorted({p.county for p in places.values()})
    supervisor_rows = [[c, *[counts[c][k] for k in keys]] for c in counties]

    employed = set(
        Employment.objects.filter(position__municipality_id__in=list(places), start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .values_list("alis_id", flat=True)
    )
    without = employed - set(
        individual.filter(alis_id__in=employed).values_list("alis_id", flat=True)
    )
    tables = [
        Table(
            "supervisors",
            _("Supervisors and capacity"),
            [
                Column(_("County"), TEXT),
                Column(_("Supervisors")),
                Column(_("With the supervisor course")),
                Column(_("In the pool")),
                Column(_("Capacity (ALIS)")),
                Column(_("ALIS supervised")),
                Column(_("Free places")),
            ],
            supervisor_rows,
            total=[_("Total"), *[sum(r[i] for r in supervisor_rows) for i in range(1, 7)]],
            note=_(
                "On %(day)s. ALIS in position without an individual supervisor: %(n)s of %(all)s."
            )
            % {"day": on.strftime("%d.%m.%Y"), "n": len(without), "all": len(employed)},
        )
    ]
    tables[0].chart = Chart(
        _("Supervisor capacity and use"),
        rows=[
            (_("Capacity (ALIS)"), tables[0].total[4]),
            (_("ALIS supervised"), tables[0].total[5]),
            (_("ALIS without a supervisor"), len(without)),
        ],
    )

    groups = list(
        SupervisionGroup.objects.filter(region=region, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .order_by("name")
        .values_list("pk", "name")
    )
    group_ids = [pk for pk, _n in groups]
    members = Counter(
        GroupMembership.objects.active(on)
        .filter(group_id__in=group_ids)
        .values_list("group_id", flat=True)
    )
    meetings, minutes = Counter(), Counter()
    for group_id, length in GroupMeeting.objects.filter(
        group_id__in=group_ids, date__gte=first, date__lte=on
    ).values_list("group_id", "minutes"):
        meetings[group_id] += 1
        minutes[group_id] += length
    group_rows = [
        [name, members[pk], meetings[pk], Decimal(minutes[pk]) / 60] for pk, name in groups
    ]
    tables.append(
        Table(
            "groups",
            _("Supervision groups"),
            [
                Column(_("Group"), TEXT),
                Column(_("Members on %(day)s") % {"day": on.strftime("%d.%m.%Y")}),
                Column(_("Meetings during the year")),
                Column(_("Hours"), DECIMAL),
            ],
            group_rows,
            total=[_("Total"), *[sum(r[i] for r in group_rows) for i in range(1, 4)]],
        )
    )
    return tables


def education_tables(region, year: int, on: datetime.date, places) -> list[Table]:
    """The share of the ALIS in position meeting the supervision-hour requirement so far, and
    the ALIS who completed the specialist education during the year (all its rules met on the
    day, not on the last day of the year before)."""
    from alis_agreements.models import Employment
    from education_plans.models import EducationPlan
    from education_plans.progress import progress_for

    employed = Employment.objects.filter(
        position__municipality_id__in=list(places), start_date__lte=on
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    plans = list(
        EducationPlan.objects.filter(start_date__lte=on).filter(
            Q(alis_id__in=employed.values("alis_id")) | Q(municipality_id__in=list(places))
        )
    )
    employed_ids = set(employed.values_list("alis_id", flat=True))
    now = progress_for(plans, on=on)
    before = progress_for(plans, on=datetime.date(year - 1, 12, 31))
    in_position = [p for p in now.values() if p.plan.alis_id in employed_ids]
    meeting = sum(1 for p in in_position if p.supervision.met)
    completed = [
        p
        for pk, p in now.items()
        if p.is_complete and not (pk in before and before[pk].is_complete)
    ]
    return [
        Table(
            "education",
            _("Education plans"),
            [Column(_("Figure"), TEXT), Column(_("ALIS")), Column(_("Share"), PERCENT)],
            [
                [_("ALIS in position with an education plan"), len(in_position), None],
                [
                    _("Meeting the supervision-hour requirement so far"),
                    meeting,
                    _share(meeting, len(in_position)),
                ],
                [_("Completed the specialist education during the year"), len(completed), None],
            ],
            note=_(
                "Individual supervision signed by the supervisor, against 4 hours a month in "
                "10.5 months a year (3 before 2021) at the position's share, from the start of "
                "the plan to %(day)s."
            )
            % {"day": on.strftime("%d.%m.%Y")},
        )
    ]


def course_tables(region, year: int, on: datetime.date) -> list[Table]:
    from courses.models import Course

    now = min(timezone.now(), _end_of_day(on))
    courses = [
        c
        for c in Course.objects.filter(region=region).with_figures(year, now=now).order_by("title")
        if c.events_held
    ]
    rows = [
        [
            c.title,
            c.get_kind_display(),
            c.events_held,
            c.registration_count,
            c.attended_physical,
            c.attended_digital,
            c.attended_physical + c.attended_digital,
        ]
        for c in courses
    ]
    return [
        Table(
            "courses",
            _("Courses and events held"),
            [
                Column(_("Course"), TEXT),
                Column(_("Kind"), TEXT),
                Column(_("Events held")),
                Column(_("Registrations")),
                Column(_("Attended on site")),
                Column(_("Attended digitally")),
                Column(_("Attended in all")),
            ],
            rows,
            total=[_("Total"), "", *[sum(r[i] for r in rows) for i in range(2, 7)]],
            note=_(
                "Published events whose first session was in %(year)s. Registrations with a "
                "place; attended means present at one session at least."
            )
            % {"year": year},
            chart=Chart(
                _("Participants by course"),
                rows=[(r[0], r[6]) for r in rows],
            ),
        )
    ]


def follow_up_tables(region, year: int, on: datetime.date, places) -> list[Table]:
    from municipalities.models import MEETING_KINDS, FollowUpEntry, FollowUpKind

    first = datetime.date(year, 1, 1)
    entries = list(
        FollowUpEntry.objects.filter(
            municipality_id__in=list(places), date__gte=first, date__lte=on
        ).values_list("municipality_id", "kind")
    )
    by_kind = Counter(kind for _m, kind in entries)
    met = {m for m, kind in entries if kind in MEETING_KINDS}
    kind_rows = [[str(k.label), by_kind[k.value]] for k in FollowUpKind]
    return [
        Table(
            "follow_up",
            _("Follow-up of the municipalities"),
            [Column(_("Kind"), TEXT), Column(_("Entries"))],
            kind_rows,
            total=[_("Total"), len(entries)],
            note=_(
                "%(met)s of %(total)s municipalities had at least one meeting (in person, "
                "digital or a gathering) during the year."
            )
            % {"met": len(met), "total": len(places)},
            chart=Chart(_("Follow-up by kind"), rows=[(r[0], r[1]) for r in kind_rows]),
        ),
        Table(
            "without_meeting",
            _("Municipalities without a meeting during the year"),
            [
                Column(_("Municipality"), TEXT),
                Column(_("County"), TEXT),
                Column(_("Registration status"), TEXT),
            ],
            [
                [p.name, p.county, _status_label(p.status)]
                for p in places.values()
                if p.pk not in met
            ],
        ),
    ]


def partner_tables(region, year: int, on: datetime.date) -> list[Table]:
    """The year's meetings with partners, by partner (up to the report's day)."""
    from municipalities.models import FollowUpEntry, PartnerKind

    meetings = list(
        FollowUpEntry.objects.meetings_in(year)
        .with_partner()
        .filter(partner__region=region, date__lte=on)
        .values_list("partner__name", "partner__kind", "date")
    )
    by_partner: dict[str, list] = {}
    for name, kind, date in meetings:
        by_partner.setdefault((name, kind), []).append(date)
    labels = dict(PartnerKind.choices)
    rows = [
        [name, str(labels.get(kind, kind)), len(dates), ", ".join(f"{d:%d.%m}" for d in dates)]
        for (name, kind), dates in by_partner.items()
    ]
    return [
        Table(
            "partner_meetings",
            _("Meetings with partners"),
            [
                Column(_("Partner"), TEXT),
                Column(_("Kind"), TEXT),
                Column(_("Meetings")),
                Column(_("Dates"), TEXT),
            ],
            rows,
            total=[_("Total"), "", len(meetings), ""],
            note=_("Meetings in person, digital meetings and gatherings in the follow-up log."),
        )
    ]


def annual_figures(region, year: int, *, today: datetime.date | None = None) -> AnnualFigures:
    on = year_end(year, today=today)
    places = _places(region, year, on)
    return AnnualFigures(
        region,
        year,
        on,
        [
            Section(
                "municipalities",
                _("The municipalities"),
                municipality_tables(region, year, on, places),
            ),
            Section("alis", _("ALIS and positions"), alis_tables(region, year, on, places)),
            Section(
                "agreements",
                _("ALIS agreements and grants"),
                agreement_tables(region, year, on, places),
            ),
            Section(
                "supervision",
                _("Supervision and education"),
                supervision_tables(region, year, on, places)
                + education_tables(region, year, on, places),
            ),
            Section("courses", _("Courses and events"), course_tables(region, year, on)),
            Section(
                "follow_up",
                _("Follow-up of the municipalities"),
                follow_up_tables(region, year, on, places),
            ),
            Section("partners", _("Partners"), partner_tables(region, year, on)),
        ],
    )
