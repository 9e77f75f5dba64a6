import datetime

import pytest
from django import forms
from django.utils import translation

from alisvest.forms import date_field


class DateForm(forms.Form):
    day = date_field(label="Dag")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("23.11.2026", datetime.date(2026, 11, 23)),
        ("2026-11-23", datetime.date(2026, 11, 23)),
        ("23.11.26", datetime.date(2026, 11, 23)),
    ],
)
def test_dates_typed_the_norwegian_way_or_iso(typed, expected):
    form = DateForm({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == expected


@pytest.mark.parametrize("typed", ["31.02.2026", "0.0.0", "11/23/2026", "x" * 10_000, "\x00"])
def test_impossible_dates_are_a_form_error(typed):
    with translation.override("nb"):
        form = DateForm({"day": typed})
        assert not form.is_valid()
        assert "dato" in form.errors["day"][0].lower()


def test_a_date_is_shown_as_dd_mm_yyyy():
    form = DateForm(initial={"day": datetime.date(2026, 1, 5)})
    html = str(form["day"])
    assert 'value="05.01.2026"' in html and 'type="text"' in html and 'inputmode="numeric"' in html
