"""The region map coloured by one figure per municipality: registration status, recruitment
risk, or ALIS in position per 10,000 inhabitants. The dashboard, the map page and the annual
report draw the same map from here (`alisvest.charts.region_map` draws it).

Colours step in lightness as well as hue, so the map reads in grey too, and every municipality
carries its figure in its hover title; the legend names each colour.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alisvest.charts import NO_DATA, SEQUENTIAL, region_map, sequential_colour
from municipalities.models import RegistrationStatus
from reports.risk import MunicipalityRisk, RiskStatus


class Figure(models.TextChoices):
    RISK = "risk", _("Recruitment risk")
    REGISTRATION = "registration", _("Registration status")
    ALIS = "alis", _("ALIS per 10,000 inhabitants")


REGISTRATION_COLOURS = {
    RegistrationStatus.REGISTERED: "#1e6b34",
    RegistrationStatus.LOST_BY_MERGER: "#b8483b",
    RegistrationStatus.APPLIED: "#8cc49a",
    RegistrationStatus.NOT_APPLIED: "#e4d9bf",
}
RISK_COLOURS = {
    RiskStatus.AT_RISK: "#a1281c",
    RiskStatus.WATCH: "#f0b429",
    RiskStatus.OK: "#cfe8d5",
}
# ALIS per 10,000 inhabitants: none, up to 1, up to 2, up to 4, more.
ALIS_BOUNDS = [0, 1, 2, 4]


def _number(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _alis_legend():
    return [
        (SEQUENTIAL[0], _("no ALIS")),
        (SEQUENTIAL[1], _("up to 1")),
        (SEQUENTIAL[2], _("1 to 2")),
        (SEQUENTIAL[3], _("2 to 4")),
        (SEQUENTIAL[4], _("more than 4")),
    ]


def figure_value(figure: str, risk: MunicipalityRisk) -> str:
    """The figure of one municipality in words (hover titles and the table under the map)."""
    if figure == Figure.REGISTRATION:
        status = risk.facts.registration_status
        return RegistrationStatus(status).label if status else str(_("Unknown"))
    if figure == Figure.ALIS:
        if risk.alis_per_10000 is None:
            return str(_("no population figure"))
        return str(
            _("%(n)s ALIS in position, %(rate)s per 10,000 inhabitants")
            % {"n": risk.facts.alis_in_position, "rate": _number(risk.alis_per_10000)}
        )
    label = str(RiskStatus(risk.status).label)
    if not risk.reasons:
        return label
    return f"{label}: " + "; ".join(str(r.text) for r in risk.reasons)


def _colour(figure: str, risk: MunicipalityRisk) -> str:
    if figure == Figure.REGISTRATION:
        return REGISTRATION_COLOURS.get(risk.facts.registration_status, NO_DATA)
    if figure == Figure.ALIS:
        return sequential_colour(risk.alis_per_10000, ALIS_BOUNDS)
    return RISK_COLOURS[risk.status]


def legend(figure: str) -> list[tuple[str, str]]:
    if figure == Figure.REGISTRATION:
        items = [(REGISTRATION_COLOURS[s], s.label) for s in REGISTRATION_COLOURS]
        return [*items, (NO_DATA, _("Unknown or not shown"))]
    if figure == Figure.ALIS:
        return [*_alis_legend(), (NO_DATA, _("no population figure or not shown"))]
    return [(RISK_COLOURS[s], s.label) for s in RISK_COLOURS]


def figure_map(
    figure: str, risks: list[MunicipalityRisk], *, link: bool = True, width: int = 520
) -> str:
    """The SVG map of `figure` for these municipalities; the others stay grey, unlinked."""
    colours, titles, links = {}, {}, {}
    for risk in risks:
        m = risk.municipality
        colours[m.number] = _colour(figure, risk)
        titles[m.number] = f"{m.name}: {figure_value(figure, risk)}"
        if link:
            links[m.number] = reverse("municipalities:municipality_detail", args=[m.number])
    return region_map(
        colours=colours,
        titles=titles,
        links=links,
        legend=[(colour, str(label)) for colour, label in legend(figure)],
        title=str(Figure(figure).label),
        width=width,
    )
