from decimal import Decimal

from django import template
from django.utils.formats import number_format

from education_plans.rules import MonthStatus

register = template.Library()

ICONS = {
    MonthStatus.MET: "bi-check-circle-fill",
    MonthStatus.SHORT: "bi-exclamation-triangle-fill",
    MonthStatus.NONE: "bi-x-circle-fill",
    MonthStatus.NOT_REQUIRED: "bi-dash-circle",
}


@register.filter
def status_label(status) -> str:
    return MonthStatus(status).label


@register.filter
def status_icon(status) -> str:
    return ICONS[MonthStatus(status)]


@register.filter
def hours(value) -> str:
    """Hours with at most one decimal in the reader's language: 4, 4,5."""
    if value in (None, ""):
        return ""
    value = Decimal(value).quantize(Decimal("0.1"))
    places = 0 if value == value.to_integral_value() else 1
    return number_format(value, places)


@register.filter
def minutes_as_hours(minutes) -> str:
    return hours(Decimal(minutes or 0) / 60)
