"""The sandbox in which the advisers' agreement templates are rendered.

An agreement template is Django template text written in the portal, so it must not be able
to do what a template on disk can: read files (`{% include %}`, `{% extends %}`, `{% ssi %}`),
load tag libraries (`{% load %}`), dump the context (`{% debug %}`), reverse URLs, or reach
settings and model instances through attribute lookups. Hence:

- `SandboxEngine` is a `django.template.Engine` without the default tag and filter libraries
  and without template loaders; its only library is this module's `register`, a short list of
  harmless tags and filters (below);
- the context holds only the merge fields of `FIELDS`, as plain values: strings, numbers,
  dates, booleans and lists of plain dicts (`merge_fields()` builds them from an agreement);
- every `{% for %}` counts its passes against one budget per rendering, and the output has a
  size limit, so a template cannot keep the server busy.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.template import Context, Engine, Node, TemplateSyntaxError, defaultfilters, defaulttags
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alisvest.templatetags.portal import kr, thousands

register = template.Library()

ALLOWED_TAGS = [
    "comment",
    "cycle",
    "filter",
    "firstof",
    "if",
    "ifchanged",
    "regroup",
    "spaceless",
    "templatetag",
    "verbatim",
    "widthratio",
    "with",
]  # and "for", wrapped below
ALLOWED_FILTERS = [
    "add",
    "capfirst",
    "cut",
    "date",
    "default",
    "default_if_none",
    "dictsort",
    "dictsortreversed",
    "divisibleby",
    "first",
    "join",
    "last",
    "length",
    "linebreaks",
    "linebreaksbr",
    "lower",
    "pluralize",
    "slice",
    "striptags",
    "time",
    "title",
    "truncatechars",
    "truncatewords",
    "upper",
    "wordcount",
    "yesno",
]
MAX_BODY_CHARS = 100_000
MAX_OUTPUT_CHARS = 1_000_000
MAX_LOOP_PASSES = 5_000

for _name in ALLOWED_TAGS:
    register.tag(_name, defaulttags.register.tags[_name])
for _name in ALLOWED_FILTERS:
    register.filters[_name] = defaultfilters.register.filters[_name]
register.filter("kr", kr)
register.filter("thousands", thousands)


class SandboxError(Exception):
    """The template cannot be rendered; the message is for the person who wrote it."""


class _TooManyPasses(Exception):
    pass


class _LoopBudget(Node):
    """Placed first in every loop body: counts the passes of all loops of one rendering."""

    key = "sandbox-loop-passes"

    def render(self, context):
        passes = context.render_context.get(self.key, 0) + 1
        if passes > MAX_LOOP_PASSES:
            raise _TooManyPasses
        context.render_context[self.key] = passes
        return ""


@register.tag("for")
def do_for(parser, token):
    node = defaulttags.do_for(parser, token)
    budget = _LoopBudget()
    budget.token, budget.origin = token, parser.origin  # as the parser does for every node
    node.nodelist_loop.insert(0, budget)
    return node


class SandboxEngine(Engine):
    default_builtins = []

    def __init__(self, **kwargs):
        super().__init__(
            dirs=[],
            loaders=[],
            libraries={},
            builtins=["alis_agreements.sandbox"],
            autoescape=True,
            **kwargs,
        )


ENGINE = SandboxEngine(debug=True)
# The same, but an unknown name renders as a marker, so that the check can name it.
UNKNOWN = "\x00%s\x00"
CHECKING_ENGINE = SandboxEngine(debug=True, string_if_invalid=UNKNOWN)


@dataclass(frozen=True)
class MergeField:
    name: str
    description: str
    example: object


def _example_measures():
    return [
        _measure("Ekstra veiledning", "standard", Decimal(2), "timer per måned", 24000, ""),
        _measure("Sykefraværsforsikring", "standard", None, "", 15000, ""),
        _measure("Inntektsgaranti", "additional", None, "", 120000, "Første to år"),
        _measure("Fri etter legevakt", "municipal", Decimal(8), "timer per måned", None, ""),
    ]


def _measure(name, element, quantity, unit, amount, note):
    from alis_agreements.models import Element

    return {
        "name": name,
        "element": element,
        "element_label": str(Element(element).label),
        "quantity": _blank(_number(quantity)),
        "unit": unit,
        "amount": _blank(_number(amount)),
        "note": note,
    }


def _blank(value):
    """Missing values are empty strings, so that a template prints nothing rather than "None"."""
    return "" if value is None else value


FIELDS = [
    MergeField("municipality", gettext_lazy("Municipality name"), "Lærdal"),
    MergeField("municipality_number", gettext_lazy("Municipality number"), "4642"),
    MergeField("centrality_class", gettext_lazy("SSB centrality class (1–6)"), 6),
    MergeField(
        "special_recruitment_challenges",
        gettext_lazy(
            "True when the municipality's centrality class counts as special recruitment "
            "challenges in the grant table of the start year"
        ),
        True,
    ),
    MergeField(
        "contact_person", gettext_lazy("The municipality's contact person"), "Kari Nordmann"
    ),
    MergeField("contact_title", gettext_lazy("The contact person's title"), "Kommuneoverlege"),
    MergeField("alis_name", gettext_lazy("The ALIS's full name"), "Ola Lege"),
    MergeField("alis_hpr_number", gettext_lazy("The ALIS's HPR number"), "9100001"),
    MergeField("alis_email", gettext_lazy("The ALIS's e-mail address"), "ola.lege@example.no"),
    MergeField("workplace", gettext_lazy("Workplace (practice)"), "Lærdal legekontor"),
    MergeField("workplace_address", gettext_lazy("The workplace's address"), "Øyraplassen 1"),
    MergeField("position_title", gettext_lazy("Title of the position"), "ALIS-stilling 1"),
    MergeField("position_type", gettext_lazy("Position type"), "Fastlege med liste"),
    MergeField("employment_form", gettext_lazy("Employment form"), "Fastlønn"),
    MergeField("list_size", gettext_lazy("Patient list size"), 800),
    MergeField("percentage", gettext_lazy("Position percentage (a number)"), 100),
    MergeField("start_date", gettext_lazy("Agreed start (a date)"), datetime.date(2026, 8, 15)),
    MergeField("end_date", gettext_lazy("Agreed end (a date)"), datetime.date(2031, 8, 14)),
    MergeField(
        "latest_end",
        gettext_lazy("When five years full-time equivalent are reached (a date)"),
        datetime.date(2031, 8, 14),
    ),
    MergeField("signed_on", gettext_lazy("Signing date (empty in a draft)"), None),
    MergeField("version", gettext_lazy("The agreement's version number"), 1),
    MergeField("today", gettext_lazy("The date the document is made"), datetime.date(2026, 6, 1)),
    MergeField(
        "measures",
        gettext_lazy(
            "All measures: a list with name, element, element_label, quantity, unit, amount, note"
        ),
        None,
    ),
    MergeField("standard_measures", gettext_lazy("The measures of the standard elements"), None),
    MergeField(
        "additional_measures", gettext_lazy("The measures of the additional elements"), None
    ),
    MergeField("municipal_measures", gettext_lazy("The measures funded by the municipality"), None),
    MergeField("standard_total", gettext_lazy("Sum of the standard elements' amounts"), None),
    MergeField("additional_total", gettext_lazy("Sum of the additional elements' amounts"), None),
    MergeField("municipal_total", gettext_lazy("Sum of the municipality's amounts"), None),
    MergeField("total", gettext_lazy("Sum of all amounts"), None),
]
FIELD_NAMES = frozenset(f.name for f in FIELDS)
ALIS_AGREEMENT = "alis_agreement"


@dataclass(frozen=True)
class FieldSet:
    """The merge fields of one kind of template, and example values for its preview."""

    fields: list[MergeField]
    sample: Callable[[], dict]

    @property
    def names(self) -> frozenset[str]:
        return frozenset(f.name for f in self.fields)


# Each kind of template (`AgreementTemplate.kind`) and its fields. Another app adds its kind
# with `register_fields` from its AppConfig.ready() (institution-service arrangements do).
FIELD_SETS: dict[str, FieldSet] = {}


def register_fields(kind: str, fields: list[MergeField], sample: Callable[[], dict]) -> None:
    FIELD_SETS[kind] = FieldSet(fields, sample)


def _number(value):
    """A plain number that prints as people write it: 80, not 80.00."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else value.normalize()


def _grouped(measures: list[dict]) -> dict:
    """The lists and sums of the element groups."""
    fields = {"measures": measures}
    total = 0
    for element in ("standard", "additional", "municipal"):
        group = [m for m in measures if m["element"] == element]
        subtotal = sum(m["amount"] or 0 for m in group)
        fields[f"{element}_measures"] = group
        fields[f"{element}_total"] = subtotal
        total += subtotal
    fields["total"] = total
    return fields


def example_values(fields: list[MergeField]) -> dict:
    return {f.name: _blank(f.example) for f in fields}


def sample_fields(kind: str = ALIS_AGREEMENT) -> dict:
    """Example values for every field: the preview of a template before any document."""
    return FIELD_SETS[kind].sample()


def _alis_agreement_sample() -> dict:
    fields = example_values(FIELDS)
    fields.update(_grouped(_example_measures()))
    return fields


register_fields(ALIS_AGREEMENT, FIELDS, _alis_agreement_sample)


def merge_fields(agreement, *, special_recruitment_challenges: bool, latest_end) -> dict:
    """The merge fields of an agreement, as plain values (never model instances)."""
    employment = agreement.employment
    position = employment.position
    municipality = position.municipality
    practice = position.practice
    alis = employment.alis
    with translation.override("nb"):
        measures = [
            _measure(
                m.measure_type.name,
                m.element,
                m.quantity,
                m.measure_type.unit if m.measure_type.is_quantity else "",
                m.amount,
                m.note,
            )
            for m in agreement.measures.all()
        ]
        fields = {
            "municipality": municipality.name,
            "municipality_number": municipality.number,
            "centrality_class": municipality.centrality_class,
            "special_recruitment_challenges": bool(special_recruitment_challenges),
            "contact_person": agreement.contact_name,
            "contact_title": agreement.contact_title,
            "alis_name": alis.get_full_name() or alis.email,
            "alis_hpr_number": alis.hpr_number,
            "alis_email": alis.email,
            "workplace": practice.name if practice else "",
            "workplace_address": practice.address if practice else "",
            "position_title": position.title,
            "position_type": str(position.get_position_type_display()),
            "employment_form": str(position.get_employment_form_display()),
            "list_size": position.list_size,
            "percentage": _number(agreement.percentage),
            "start_date": agreement.start_date,
            "end_date": agreement.end_date,
            "latest_end": latest_end,
            "signed_on": agreement.signed_on,
            "version": agreement.version,
            "today": timezone.localdate(),
        }
    fields = {name: _blank(value) for name, value in fields.items()}
    fields.update(_grouped(measures))
    return fields


def _line(exc) -> int | None:
    debug = getattr(exc, "template_debug", None)
    return debug.get("line") if debug else None


def _explain(exc: Exception) -> str:
    message = str(exc)
    tag = re.search(r"Invalid block tag on line \d+: '([^']+)'", message)
    if tag:
        name = tag.group(1)
        if name.startswith("end") or name in {"else", "elif", "empty"}:
            message = _("{%% %(tag)s %%} does not close any open tag here.") % {"tag": name}
        else:
            message = _(
                "The tag {%% %(tag)s %%} cannot be used in agreement templates. Allowed: "
                "%(allowed)s."
            ) % {"tag": name, "allowed": ", ".join(sorted([*ALLOWED_TAGS, "for"]))}
    flt = re.search(r"Invalid filter: '([^']+)'", message)
    if flt:
        message = _(
            "The filter |%(filter)s cannot be used in agreement templates. Allowed: %(allowed)s."
        ) % {"filter": flt.group(1), "allowed": ", ".join(sorted([*ALLOWED_FILTERS, "kr"]))}
    unclosed = re.search(r"Unclosed tag on line \d+: '([^']+)'", message)
    if unclosed:
        message = _("{%% %(tag)s %%} is never closed.") % {"tag": unclosed.group(1)}
    line = _line(exc)
    if line:
        return _("Line %(line)s: %(message)s") % {"line": line, "message": message}
    return message


def _compile(body: str, engine: Engine):
    if len(body) > MAX_BODY_CHARS:
        raise SandboxError(
            _("The template is too long (at most %(n)s characters).") % {"n": MAX_BODY_CHARS}
        )
    try:
        return engine.from_string(body)
    except TemplateSyntaxError as exc:
        raise SandboxError(_explain(exc)) from exc


def _render(compiled, fields: dict, kind: str) -> str:
    unknown = set(fields) - FIELD_SETS[kind].names
    if unknown:  # a programming error, never the adviser's
        raise ValueError(f"Not merge fields: {sorted(unknown)}")
    # The document is Norwegian (month names, number formats); the errors are for the writer,
    # in their own language, so they are worded after leaving the override.
    failure = None
    with translation.override("nb"):
        try:
            output = compiled.render(Context(fields, autoescape=True))
        except Exception as exc:  # the loop budget, a filter given the wrong kind of value, …
            failure = exc
    if isinstance(failure, _TooManyPasses):
        raise SandboxError(
            _("The template repeats itself too often (over %(n)s times in its loops).")
            % {"n": MAX_LOOP_PASSES}
        ) from failure
    if failure is not None:
        raise SandboxError(_explain(failure)) from failure
    if len(output) > MAX_OUTPUT_CHARS:
        raise SandboxError(_("The template makes a document that is far too long."))
    return output


def render_body(body: str, fields: dict, *, kind: str = ALIS_AGREEMENT) -> str:
    """The template's text rendered with the merge fields: HTML, safe to place in a PDF."""
    return _render(_compile(body, ENGINE), fields, kind)


def check_body(body: str, *, kind: str = ALIS_AGREEMENT) -> list[str]:
    """What is wrong with a template, for the person who wrote it (empty: nothing)."""
    try:
        output = _render(_compile(body, CHECKING_ENGINE), sample_fields(kind), kind)
    except SandboxError as exc:
        return [str(exc)]
    names = sorted(set(re.findall("\x00([^\x00]*)\x00", output)))
    return [
        _("Unknown merge field “%(name)s”. The fields are listed beside the text.") % {"name": n}
        for n in names
    ]
