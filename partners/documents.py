"""The merge fields of institution-service arrangement templates: what the sandbox of
`alis_agreements.sandbox` may show of an arrangement, as plain values."""

import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from alis_agreements.sandbox import MergeField, example_values

FIELDS = [
    MergeField("name", gettext_lazy("The arrangement's name"), "Institusjonstjeneste Helse Bergen"),
    MergeField("institution", gettext_lazy("The health trust or institution"), "Helse Bergen HF"),
    MergeField(
        "other_institutions",
        gettext_lazy("The other institutions taking part (a list of names)"),
        ["Haraldsplass Diakonale Sykehus"],
    ),
    MergeField(
        "municipalities",
        gettext_lazy("The municipalities that joined: a list with name, number, joined_on"),
        [
            {"name": "Askøy", "number": "4627", "joined_on": datetime.date(2021, 9, 1)},
            {"name": "Osterøy", "number": "4630", "joined_on": datetime.date(2021, 10, 1)},
        ],
    ),
    MergeField(
        "objectives",
        gettext_lazy("The learning objectives served: a list with code, title"),
        [{"code": "ALM-055", "title": "Eksempel: selektert pasientpopulasjon"}],
    ),
    MergeField(
        "places",
        gettext_lazy("Places offered: a list with year, places"),
        [{"year": 2026, "places": 4}, {"year": 2027, "places": 5}],
    ),
    MergeField("valid_from", gettext_lazy("Valid from (a date)"), datetime.date(2026, 1, 1)),
    MergeField("valid_to", gettext_lazy("Valid to (a date, may be empty)"), None),
    MergeField("signed_on", gettext_lazy("Signing date (empty in a draft)"), None),
    MergeField("today", gettext_lazy("The date the document is made"), datetime.date(2026, 6, 1)),
]


def sample_fields() -> dict:
    return example_values(FIELDS)


def _blank(value):
    return "" if value is None else value


def merge_fields(arrangement) -> dict:
    """The merge fields of an arrangement (never model instances)."""
    with translation.override("nb"):
        fields = {
            "name": arrangement.name,
            "institution": arrangement.institution.name,
            "other_institutions": [p.name for p in arrangement.other_institutions.all()],
            "municipalities": [
                {
                    "name": party.municipality.name,
                    "number": party.municipality.number,
                    "joined_on": party.joined_on,
                }
                for party in arrangement.parties.all()
                if party.status == "joined"
            ],
            "objectives": [
                {"code": o.code, "title": o.title} for o in arrangement.objectives.all()
            ],
            "places": [{"year": p.year, "places": p.places} for p in arrangement.places.all()],
            "valid_from": arrangement.valid_from,
            "valid_to": arrangement.valid_to,
            "signed_on": arrangement.signed_on,
            "today": timezone.localdate(),
        }
    return {name: _blank(value) for name, value in fields.items()}
