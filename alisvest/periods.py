"""Date arithmetic of periods at a position percentage, with leave: calendar months and
full-time-equivalent (FTE) months.

Pure functions over dates and Decimals, with no Django and no app import, so that every app
counts time the same way: the education plan's service time (`education_plans.rules`), the
length of an ALIS agreement and its grant estimate (`alis_agreements`). DOMAIN.md: "Part-time
service and leave stretch the calendar time accordingly."
"""

import calendar
import datetime
import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Span:
    """A stretch of days, both ends included (`end` None: still going), at a percentage."""

    start: datetime.date
    end: datetime.date | None
    percentage: Decimal = Decimal(100)


def _days_in_month(day: datetime.date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, count: int) -> datetime.date:
    month = day.month - 1 + count
    year = day.year + month // 12
    month = month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# Pure and called for every month of every plan on list pages: worth remembering.
@functools.lru_cache(maxsize=16384)
def calendar_months(start: datetime.date, end: datetime.date) -> Decimal:
    """Months from `start` to `end`, both included, each month counted by its own length: all
    of January is 1, all of a leap February is 1, the 15th to the end of a 30-day month ½."""
    total = Decimal(0)
    day = start
    while day <= end:
        last = day.replace(day=_days_in_month(day))
        stop = min(last, end)
        total += Decimal((stop - day).days + 1) / Decimal(_days_in_month(day))
        day = last + ONE_DAY
    return total


def _clip(span: Span, until: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    end = min(span.end or until, until)
    return (span.start, end) if span.start <= end else None


def _merge(intervals: Iterable[tuple[datetime.date, datetime.date]]):
    merged: list[list[datetime.date]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1] + ONE_DAY:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [tuple(m) for m in merged]


def _working_share(leaves: list[Span], day: datetime.date, end: datetime.date) -> Decimal:
    """The share of the position worked on `day` (1 with no leave, 0 on full leave)."""
    on_leave = sum(
        (leave.percentage for leave in leaves if leave.start <= day and (leave.end or end) >= day),
        Decimal(0),
    )
    return max(Decimal(100) - min(on_leave, Decimal(100)), Decimal(0)) / 100


def _pieces(start: datetime.date, end: datetime.date, leaves: list[Span]):
    """The stretches of [start, end] within which the leave is the same: (first, last, share)."""
    cuts = {start, end + ONE_DAY}
    for leave in leaves:
        cuts.add(max(leave.start, start))
        cuts.add(min(leave.end or end, end) + ONE_DAY)
    points = sorted(c for c in cuts if start <= c <= end + ONE_DAY)
    for a, b in zip(points, points[1:], strict=False):
        yield a, b - ONE_DAY, _working_share(leaves, a, end)


def fte_months(period: Span, leaves: Iterable[Span], *, until: datetime.date) -> Decimal:
    """Full-time-equivalent months of a service period up to `until`: calendar months times
    the position percentage, less the share of the position on leave (never below zero)."""
    clipped = _clip(period, until)
    if clipped is None:
        return Decimal(0)
    start, end = clipped
    leaves = [leave for leave in leaves if leave.start <= end and (leave.end or end) >= start]
    total = Decimal(0)
    for first, last, working in _pieces(start, end, leaves):
        total += calendar_months(first, last) * period.percentage / 100 * working
    return total


def date_reaching_fte_months(
    start: datetime.date, percentage: Decimal, leaves: Iterable[Span], *, months: Decimal
) -> datetime.date:
    """The last day of a period from `start` at `percentage` (with the leave given) that holds
    exactly `months` full-time-equivalent months: 60 FTE months at 100 % from 1 January 2026
    end on 31 December 2030; at 50 % on 31 December 2035; a year of full leave adds a year.
    """
    if percentage <= 0:
        raise ValueError("A percentage above zero is needed to reach any FTE months.")
    leaves = list(leaves)
    # Exact fractions: a day is 1/31 of a month, and Decimals would round the last day away.
    remaining = Fraction(Decimal(months))
    share = Fraction(Decimal(percentage)) / 100
    day = start
    give_up = add_months(start, 12 * 100)
    while day < give_up:
        month_end = day.replace(day=_days_in_month(day))
        for first, last, working in _pieces(day, month_end, leaves):
            per_day = share * Fraction(working) / _days_in_month(day)
            if per_day <= 0:
                continue
            days = (last - first).days + 1
            if per_day * days >= remaining:
                needed = math.ceil(remaining / per_day)
                return first + datetime.timedelta(days=needed - 1)
            remaining -= per_day * days
        day = month_end + ONE_DAY
    raise ValueError("The months are not reached within a hundred years (open-ended leave?).")


def union_months(spans: Iterable[Span], *, until: datetime.date) -> Decimal:
    """Calendar months covered by any of the spans (each day once, percentages ignored)."""
    intervals = [c for c in (_clip(s, until) for s in spans) if c]
    return sum((calendar_months(a, b) for a, b in _merge(intervals)), Decimal(0))


def overlap_months(first: Iterable[Span], second: Iterable[Span], *, until) -> Decimal:
    """Calendar months covered by both sets of spans."""
    a = _merge(c for c in (_clip(s, until) for s in first) if c)
    b = _merge(c for c in (_clip(s, until) for s in second) if c)
    total = Decimal(0)
    for a_start, a_end in a:
        for b_start, b_end in b:
            start, end = max(a_start, b_start), min(a_end, b_end)
            if start <= end:
                total += calendar_months(start, end)
    return total


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    """Whether two stretches of days (an end of None: open) share a day."""
    return (b_end is None or a_start <= b_end) and (a_end is None or b_start <= a_end)
