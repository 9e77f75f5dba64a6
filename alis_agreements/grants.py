"""Grant estimates: what a municipality can expect for an ALIS agreement in a year, from the
rate table the advisers keep for that year (no amounts here).

How an estimate is made (and explained on the pages that show one):

- The table: the year's table of the scheme that applies to the municipality. A scheme limited
  to named municipalities (the ALIS-Vest pilot) is used for them, in the years it has a table,
  instead of a scheme open to all.
- The period: from the day the agreement is valid (the signing date, or the agreed start if
  later: no grant before signing) to its end (the agreed end, the end of the employment, or the
  day it ended), within the year.
- The rates: for each element group and purpose (a rate's "what it is for"), the most specific
  rate for the position type, the employment form and the agreement's position percentage.
  Standard elements apply to every agreement; additional elements only where the agreement has
  additional-element measures and the municipality's centrality class is one of the table's
  classes with special recruitment challenges. Measures funded by the municipality get none.
- Proration: a rate is per ALIS-year, paid for the full-time-equivalent months of the period
  (calendar months times the position percentage, less leave, as `alisvest.periods` counts
  them); a rate marked "fixed for every percentage" counts the months at full time (still less
  leave). The municipality's own share per ALIS-year (the pilot's kr 50 000) is prorated the same
  way and deducted.
- No grant where the table excludes ALIS hired through a temp agency and the employment is one.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from alis_agreements.models import (
    Agreement,
    AgreementStatus,
    Element,
    GrantTable,
)
from alisvest.periods import Span, calendar_months, fte_months

TWELVE = Decimal(12)


@dataclass(frozen=True)
class GrantLine:
    element: str
    label: str
    rate: Decimal  # per ALIS-year
    months: Decimal  # the months paid for (FTE months, or months at full time for fixed rates)
    amount: Decimal

    @property
    def element_label(self) -> str:
        return str(Element(self.element).label)


@dataclass(frozen=True)
class GrantEstimate:
    agreement: Agreement
    year: int
    table: GrantTable | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    months: Decimal = Decimal(0)  # calendar months of the period in the year
    fte_months: Decimal = Decimal(0)
    lines: list[GrantLine] = field(default_factory=list)
    municipal_share: Decimal = Decimal(0)
    notes: list[str] = field(default_factory=list)

    @property
    def gross(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def net(self) -> Decimal:
        return max(self.gross - self.municipal_share, Decimal(0))

    def by_element(self, element: str) -> Decimal:
        return sum((line.amount for line in self.lines if line.element == element), Decimal(0))

    @property
    def standard(self) -> Decimal:
        return self.by_element(Element.STANDARD)

    @property
    def additional(self) -> Decimal:
        return self.by_element(Element.ADDITIONAL)


def _kroner(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def load_tables(years: Iterable[int]) -> list[GrantTable]:
    """The tables of the years, with their rates and schemes, in three queries."""
    return list(
        GrantTable.objects.filter(year__in=set(years))
        .select_related("scheme")
        .prefetch_related("rates", "scheme__municipalities")
        .order_by("year", "scheme__name")
    )


def table_for(municipality, year: int, tables: list[GrantTable]) -> GrantTable | None:
    """The year's table of the scheme that applies to the municipality (see the module)."""
    general, limited = [], []
    for table in tables:
        if table.year != year:
            continue
        members = {m.pk for m in table.scheme.municipalities.all()}
        if not members:
            general.append(table)
        elif municipality.pk in members:
            limited.append(table)
    candidates = limited or general
    return candidates[0] if candidates else None


def is_special(municipality, table: GrantTable | None) -> bool:
    """Whether the municipality has special recruitment challenges under the table's rules."""
    if table is None or municipality.centrality_class is None:
        return False
    return municipality.centrality_class in set(table.special_centrality_classes or [])


def grant_period(
    agreement: Agreement, year: int, *, assume_signed: bool = False
) -> tuple[datetime.date, datetime.date] | None:
    """The days of the year the agreement can have a grant for, or None. An unsigned agreement
    has none, unless `assume_signed` (an estimate for an application made before signing)."""
    valid_from = agreement.valid_from
    if valid_from is None:
        if not assume_signed:
            return None
        valid_from = agreement.start_date
    start = max(valid_from, datetime.date(year, 1, 1))
    end = min(agreement.effective_end, datetime.date(year, 12, 31))
    return (start, end) if start <= end else None


def _rates_for(table: GrantTable, agreement: Agreement):
    """The most specific rate per (element, purpose) for the agreement's position."""
    position = agreement.employment.position
    best = {}
    for rate in table.rates.all():
        if rate.position_type and rate.position_type != position.position_type:
            continue
        if rate.employment_form and rate.employment_form != position.employment_form:
            continue
        if rate.min_percentage > agreement.percentage:
            continue
        key = (rate.element, rate.label)
        rank = (bool(rate.position_type), bool(rate.employment_form), rate.min_percentage)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, rate)
    order = {Element.STANDARD: 0, Element.ADDITIONAL: 1}
    return sorted((r for _rank, r in best.values()), key=lambda r: (order[r.element], r.label))


def estimate(
    agreement: Agreement, year: int, tables: list[GrantTable], *, assume_signed: bool = False
) -> GrantEstimate:
    """The grant estimate of one agreement for one year. The agreement should come with its
    employment's position, municipality and leaves, and its measures, loaded."""
    employment = agreement.employment
    municipality = employment.position.municipality
    table = table_for(municipality, year, tables)
    period = grant_period(agreement, year, assume_signed=assume_signed)
    if period is None:
        if agreement.valid_from is None and not assume_signed:
            note = _("Not signed: there is no grant before the signing date.")
        else:
            note = _("The agreement is not in force in %(year)s.") % {"year": year}
        return GrantEstimate(agreement, year, table, notes=[note])
    start, end = period
    months = calendar_months(start, end)
    if table is None:
        return GrantEstimate(
            agreement,
            year,
            None,
            start,
            end,
            months,
            notes=[_("There is no grant rate table for %(year)s.") % {"year": year}],
        )
    if table.excludes_temp_agency and employment.via_temp_agency:
        return GrantEstimate(
            agreement,
            year,
            table,
            start,
            end,
            months,
            notes=[
                _("No grant in %(year)s for an ALIS hired through a temp agency.") % {"year": year}
            ],
        )
    leaves = [Span(x.start_date, x.end_date, x.percentage) for x in employment.leaves.all()]
    at_percentage = fte_months(Span(start, end, agreement.percentage), leaves, until=end)
    at_full_time = fte_months(Span(start, end, Decimal(100)), leaves, until=end)
    has_additional = any(m.element == Element.ADDITIONAL for m in agreement.measures.all())
    special = is_special(municipality, table)
    notes, lines = [], []
    for rate in _rates_for(table, agreement):
        if rate.element == Element.ADDITIONAL and not (special and has_additional):
            continue
        paid = at_percentage if rate.prorate_by_percentage else at_full_time
        lines.append(
            GrantLine(rate.element, rate.label, rate.amount, paid, _kroner(rate.amount * paid / 12))
        )
    if has_additional and not special:
        notes.append(
            _(
                "The additional elements get no state grant: centrality class %(class)s does not "
                "count as special recruitment challenges in %(year)s."
            )
            % {"class": municipality.centrality_class or "–", "year": year}
        )
    if not lines:
        notes.append(_("The rate table has no rate for this position and percentage."))
    share = _kroner(table.municipal_share * at_percentage / 12) if lines else Decimal(0)
    return GrantEstimate(
        agreement, year, table, start, end, months, at_percentage, lines, share, notes
    )


def agreement_years(agreement: Agreement) -> list[int]:
    start = agreement.valid_from or agreement.start_date
    return list(range(start.year, agreement.effective_end.year + 1))


def estimates_by_year(agreement: Agreement) -> list[GrantEstimate]:
    """The estimate for each year the agreement covers (drafts as if signed by the start)."""
    years = agreement_years(agreement)
    tables = load_tables(years)
    assume = agreement.status in (AgreementStatus.DRAFT, AgreementStatus.SENT)
    return [estimate(agreement, year, tables, assume_signed=assume) for year in years]


@dataclass
class MunicipalitySummary:
    """A municipality's grant estimate for a year: what it can use for its application."""

    municipality: object
    year: int
    table: GrantTable | None
    signed: list[GrantEstimate]
    pending: list[GrantEstimate]

    def _sum(self, attribute, estimates=None) -> Decimal:
        return sum(
            (getattr(e, attribute) for e in (self.signed if estimates is None else estimates)),
            Decimal(0),
        )

    @property
    def standard(self) -> Decimal:
        return self._sum("standard")

    @property
    def additional(self) -> Decimal:
        return self._sum("additional")

    @property
    def gross(self) -> Decimal:
        return self._sum("gross")

    @property
    def municipal_share(self) -> Decimal:
        return self._sum("municipal_share")

    @property
    def net(self) -> Decimal:
        return self._sum("net")

    @property
    def fte_months(self) -> Decimal:
        return self._sum("fte_months")

    @property
    def pending_net(self) -> Decimal:
        return self._sum("net", self.pending)


def municipality_summary(municipality, year: int, agreements) -> MunicipalitySummary:
    """`agreements`: the municipality's agreements touching the year (see
    `Agreement.objects.for_grant_year`), with what `estimate` needs loaded."""
    tables = load_tables([year])
    signed, pending = [], []
    for agreement in agreements:
        if agreement.is_signed:
            signed.append(estimate(agreement, year, tables))
        else:
            pending.append(estimate(agreement, year, tables, assume_signed=True))
    return MunicipalitySummary(
        municipality, year, table_for(municipality, year, tables), signed, pending
    )
