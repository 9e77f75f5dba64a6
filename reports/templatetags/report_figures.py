"""Showing the annual report's tables: each cell formatted by its column's kind."""

from decimal import Decimal

from django import template

from alisvest.templatetags.portal import kr, thousands
from reports.figures import DECIMAL, KR, PERCENT, TEXT

register = template.Library()


@register.filter
def cells(row, columns):
    """(value as shown, is numeric) for each cell of a row."""
    return [
        (_show(value, column.kind), column.kind != TEXT)
        for value, column in zip(row, columns, strict=False)
    ]


def _show(value, kind) -> str:
    if value is None or value == "":
        return "–" if kind != TEXT else ""
    if kind == TEXT or isinstance(value, str):
        return str(value)
    if kind == KR:
        return kr(value)
    if kind == PERCENT:
        return f"{Decimal(value) * 100:.0f}\u00a0%"
    if kind == DECIMAL:
        return f"{Decimal(value):.1f}".replace(".", ",")
    return thousands(value)


@register.simple_tag
def chart_svg(chart, width=None):
    return chart.svg(width=width)
