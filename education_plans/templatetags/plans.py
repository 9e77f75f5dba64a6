"""How progress figures read on the page: numbers with their units, and what is missing in
words (`{% load plans %}`)."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from education_plans.rules import RuleResult

register = template.Library()


def _number(value, unit: str) -> str:
    value = Decimal(value or 0)
    if unit == "objectives" or value == value.to_integral_value():
        return number_format(value.quantize(Decimal(1)), 0)
    return number_format(value, 1)


@register.filter
def amount(value, unit: str) -> str:
    """A figure with its unit: "21,5 months", "42 hours", "3 objectives"."""
    text = _number(value, unit)
    count = int(Decimal(value or 0))
    if unit == "months":
        return ngettext("%(n)s month", "%(n)s months", count if text == str(count) else 2) % {
            "n": text
        }
    if unit == "hours":
        return ngettext("%(n)s hour", "%(n)s hours", count if text == str(count) else 2) % {
            "n": text
        }
    if unit == "objectives":
        return ngettext("%(n)s objective", "%(n)s objectives", count) % {"n": text}
    return text


@register.filter
def figure(result: RuleResult) -> str:
    """Done against target: "21,0 of at least 24 months"."""
    if result.unit == "yes/no":
        return _("Yes") if result.done else _("No")
    done = _number(result.done, result.unit)
    target = amount(result.target, result.unit)
    if result.kind == "maximum":
        return _("%(done)s of at most %(target)s") % {"done": done, "target": target}
    if result.kind == "info":
        return amount(result.done, result.unit)
    return _("%(done)s of %(target)s") % {"done": done, "target": target}


@register.filter
def missing(result: RuleResult) -> str:
    """What is missing (or over the maximum), in words; empty when the rule is met."""
    if result.met:
        return ""
    if result.unit == "yes/no":
        return _("Not finished in time: the education continues under the 2019 rules.")
    short = amount(result.missing, result.unit)
    if result.kind == "maximum":
        return _("%(amount)s over the maximum; they are not credited.") % {"amount": short}
    if result.unit == "objectives":
        return _("%(amount)s not yet attested.") % {"amount": short}
    return _("%(amount)s missing.") % {"amount": short}


@register.filter
def percent(share) -> int:
    """A 0–1 share as a whole percentage."""
    return int((Decimal(share or 0) * 100).to_integral_value())


@register.filter
def bar_value(result: RuleResult):
    """The value of a <progress> bar: done, capped at the target (a maximum's excess is said
    in words beside it)."""
    if not result.target:
        return 1 if result.done else 0
    return min(result.done, result.target)


@register.filter
def bar_max(result: RuleResult):
    return result.target or 1
