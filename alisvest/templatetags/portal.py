"""Template filters and tags used across the portal."""

import datetime
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

NBSP = "\u00a0"


@register.filter
def kr(value):
    """Whole kroner as the office writes them: `kr 200 000` (non-breaking spaces)."""
    if value in (None, ""):
        return ""
    amount = Decimal(value).quantize(Decimal(1))
    sign = "−" if amount < 0 else ""
    grouped = f"{abs(int(amount)):,}".replace(",", NBSP)
    return f"kr{NBSP}{sign}{grouped}"


@register.filter
def thousands(value):
    """A whole number with non-breaking spaces between thousands: 286 930."""
    if value in (None, ""):
        return ""
    return f"{int(value):,}".replace(",", NBSP)


@register.filter
def days_since(value):
    if not value:
        return None
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return (timezone.localdate() - value).days


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for sorting and paging links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.simple_tag(takes_context=True)
def sort_header(context, field, label, param="o"):
    """A column header that sorts by `field`, and reverses on a second click.

    The link carries `aria-sort` on its cell's behalf via `aria-label`, so screen readers hear
    the current order.
    """
    request = context["request"]
    current = request.GET.get(param, "")
    if current == field:
        new, arrow, state = f"-{field}", "▲", _("sorted ascending")
    elif current == f"-{field}":
        new, arrow, state = field, "▼", _("sorted descending")
    else:
        new, arrow, state = field, "", ""
    query = request.GET.copy()
    query[param] = new
    query.pop("page", None)
    label_text = f"{label} ({state})" if state else label
    return format_html(
        '<a href="?{}" class="sort-link" aria-label="{}">{} <span aria-hidden="true">{}</span></a>',
        query.urlencode(),
        label_text,
        label,
        arrow,
    )
