"""The date arithmetic shared by the education plans and the agreements: when does a period at
a percentage, with leave, hold a given number of full-time-equivalent months?"""

import datetime
from decimal import Decimal

import pytest

from alisvest.periods import Span, date_reaching_fte_months, fte_months, overlaps

D = datetime.date
FIVE_YEARS = Decimal(60)


@pytest.mark.parametrize(
    ("start", "percentage", "expected"),
    [
        (D(2026, 1, 1), 100, D(2030, 12, 31)),
        (D(2026, 1, 1), 50, D(2035, 12, 31)),
        (D(2026, 1, 1), 80, D(2032, 3, 31)),  # 75 calendar months
        (D(2026, 3, 15), 100, D(2031, 3, 14)),
        (D(2024, 2, 29), 100, D(2029, 2, 28)),
    ],
)
def test_five_years_full_time_equivalent_stretch_with_part_time(start, percentage, expected):
    end = date_reaching_fte_months(start, Decimal(percentage), [], months=FIVE_YEARS)
    assert end == expected
    # The day found is the first day on which the five years are complete.
    span = Span(start, end, Decimal(percentage))
    assert fte_months(span, [], until=end) >= FIVE_YEARS - Decimal("1e-20")
    shorter = Span(start, end - datetime.timedelta(days=1), Decimal(percentage))
    assert fte_months(shorter, [], until=end) < FIVE_YEARS


def test_a_year_of_full_leave_adds_a_year():
    leave = Span(D(2027, 1, 1), D(2027, 12, 31), Decimal(100))
    end = date_reaching_fte_months(D(2026, 1, 1), Decimal(100), [leave], months=FIVE_YEARS)
    assert end == D(2031, 12, 31)


def test_half_leave_on_a_part_time_position_adds_half_its_length():
    # 80 % position; half of it on leave for 10 months: 4 FTE months lost, which at 80 %
    # takes 5 more calendar months.
    leave = Span(D(2027, 1, 1), D(2027, 10, 31), Decimal(50))
    end = date_reaching_fte_months(D(2026, 1, 1), Decimal(80), [leave], months=FIVE_YEARS)
    assert end == D(2032, 8, 31)


def test_open_ended_full_leave_is_refused_rather_than_looping():
    leave = Span(D(2026, 6, 1), None, Decimal(100))
    with pytest.raises(ValueError):
        date_reaching_fte_months(D(2026, 1, 1), Decimal(100), [leave], months=FIVE_YEARS)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((D(2026, 1, 1), D(2026, 6, 30)), (D(2026, 6, 30), None), True),
        ((D(2026, 1, 1), D(2026, 6, 30)), (D(2026, 7, 1), None), False),
        ((D(2026, 1, 1), None), (D(2020, 1, 1), D(2025, 12, 31)), False),
        ((D(2026, 1, 1), None), (D(2030, 1, 1), None), True),
    ],
)
def test_overlaps(a, b, expected):
    assert overlaps(*a, *b) is expected
