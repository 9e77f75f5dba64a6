"""The rules of an ALIS agreement's length (DOMAIN.md, "ALIS agreements and grants"): it is
valid from signing, lasts at most five years of full-time equivalent — longer for part time
and leave — and ends when the employment ends. Pure functions over dates and Decimals; the
arithmetic is `alisvest.periods`, shared with the education plans.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from alisvest.periods import Span, date_reaching_fte_months, fte_months

MAX_FTE_MONTHS = Decimal(60)


def latest_end(start: datetime.date, percentage: Decimal, leaves: Iterable[Span]) -> datetime.date:
    """The last day of five years full-time equivalent from `start`."""
    return date_reaching_fte_months(start, percentage, leaves, months=MAX_FTE_MONTHS)


def fte_months_between(
    start: datetime.date, end: datetime.date, percentage: Decimal, leaves: Iterable[Span]
) -> Decimal:
    return fte_months(Span(start, end, percentage), leaves, until=end)


def within_five_years(
    start: datetime.date, end: datetime.date, percentage: Decimal, leaves: Iterable[Span]
) -> bool:
    """Whether the period ends by the day its five years full-time equivalent are complete
    (that day included: counted in whole days, the last one may hold a little more)."""
    return end <= latest_end(start, percentage, list(leaves))


def leave_spans(leaves) -> list[Span]:
    """Leave records (anything with start_date, end_date and percentage) as spans."""
    return [Span(x.start_date, x.end_date, Decimal(x.percentage)) for x in leaves]
