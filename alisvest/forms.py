"""Form fields shared by every app.

Dates are typed and shown the Norwegian way, dd.mm.åååå, in a text field: a browser's own date
picker shows the browser's language (often mm/dd/yyyy) and some cannot be typed into. ISO dates
(2026-11-23) and two-digit years are accepted too; an impossible date such as 31.02.2026 is a
form error, never an exception.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"]


class DateInput(forms.DateInput):
    def __init__(self, attrs=None):
        attrs = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": _("dd.mm.yyyy"),
            "class": "date-input",
            **(attrs or {}),
        }
        super().__init__(attrs, format="%d.%m.%Y")


def date_field(**kwargs) -> forms.DateField:
    return forms.DateField(widget=DateInput(), input_formats=DATE_INPUT_FORMATS, **kwargs)
