"""Hostile input to every form the personas can reach: never a 500, never an unescaped script,
nothing half-saved.

The forms are found, not listed: every page of the query budgets (tests/test_query_budgets.py:
GET URLs without a parameter, and the matrix's URLs with their objects) is opened by each
persona with the test client, and every `<form method="post">` on it is submitted to its
action. Each submission starts from plausible values (a date for a date, a number for a number,
the first choice of a select) and makes one kind of field hostile at a time: every text field
gets the script tag, 10,000 characters, right-to-left and combining Unicode or a NUL byte
(hidden fields the script tag or a NUL byte);
every number field a negative or huge number; every date field 0001-01-01 or 31.02.2026; every
select a choice that does not exist. Each submission runs in a savepoint that is rolled back, so
every form meets the same world (and a form that ends a role or deletes a record harms none of
the others).

What must hold: no exception (the test client raises what would be a 500); the page answered,
or the one it redirects to, never contains the script tag unescaped; and when the form comes
back with errors (200), no row of the portal's tables was added, changed in number or removed.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import resolve

from tests.test_query_budgets import object_urls, plain_urls

pytestmark = pytest.mark.django_db

PERSONAS = ["adviser", "manager_a", "alis_a", "supervisor_a", "group_leader"]
SCRIPT = "<script>alert(1)</script>"
TEXTS = {
    "script": f"{SCRIPT}\"'><img src=x onerror=alert(1)>",
    "long": "Å" * 10_000,
    "rtl": "\u202eتقرير\u202c שלום مرحبا",
    "combining": "Z\u0351\u0352\u0353\u0354a\u0300\u0301\u0302\u0303l\u0336g\u0337o",
    "nul": "før\x00etter",
}
NUMBERS = {"negative": "-1", "huge": "9" * 30, "exponent": "1e400"}
DATES = {"year-one": "0001-01-01", "no-such-day": "31.02.2026", "year-one-nb": "01.01.0001"}
CHOICES = {"unknown-choice": "99999999999999999999", "script-choice": SCRIPT}
# Forms that are not the portal's: the language switch and allauth's log-out.
SKIP_ACTIONS = ("/i18n/", "/konto/logout/")
HOST = "http://testserver"
# A formset's management form is Django's; its own tests cover what it does with bad counts.
FORMSET_MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
APPS = [
    "accounts",
    "municipalities",
    "alis_agreements",
    "education_plans",
    "supervision",
    "courses",
    "reminders",
    "reports",
]


@dataclass
class Form:
    action: str
    fields: list = field(default_factory=list)  # (name, kind, value, checked)

    def plausible(self) -> dict:
        data = {}
        for name, kind, value, checked in self.fields:
            if kind == "checkbox":
                if checked:
                    data.setdefault(name, []).append(value or "on")
            elif kind == "radio":
                if checked or name not in data:
                    data[name] = [value]
            else:
                data.setdefault(name, []).append(value or PLAUSIBLE.get(kind, "Eksempel"))
        return data

    def names(self, *kinds) -> list[str]:
        return sorted({name for name, kind, _, _ in self.fields if kind in kinds})


TODAY = datetime.date.today()
PLAUSIBLE = {
    "number": "1",
    "date": TODAY.isoformat(),
    "datetime-local": f"{TODAY.isoformat()}T09:00",
    "email": "eksempel@example.no",
    "url": "https://example.no/",
    "tel": "+47 55 55 55 55",
    "hidden": "",
    "select": "",
    "password": "fjordane-legevakt-tirsdag",
}


class FormParser(HTMLParser):
    def __init__(self, url):
        super().__init__(convert_charrefs=True)
        self.url, self.forms, self.form, self.select, self.option_value = url, [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self.form = Form(urljoin(self.url, a.get("action") or self.url))
                self.forms.append(self.form)
            return
        form = self.form
        if form is None or a.get("disabled") is not None:
            return
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind == "text" and self._looks_like_a_date(a):
                kind = "date"
            form.fields.append((a["name"], kind, a.get("value", ""), "checked" in a))
        elif tag == "textarea" and a.get("name"):
            form.fields.append((a["name"], "textarea", "", False))
        elif tag == "select" and a.get("name"):
            self.select = [a["name"], None, "multiple" in a]
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            if value and (self.select[1] is None or "selected" in a):
                self.select[1] = value

    @staticmethod
    def _looks_like_a_date(a) -> bool:
        classes = a.get("class", "")
        return "dateinput" in classes or "date-input" in classes

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select is not None and self.form is not None:
            name, value, _ = self.select
            self.form.fields.append((name, "select", value or "", False))
            self.select = None


def forms_on(html: str, url: str) -> list[Form]:
    parser = FormParser(HOST + url)
    parser.feed(html)
    return [f for f in parser.forms if not any(s in f.action for s in SKIP_ACTIONS)]


def row_counts_sql() -> str:
    tables = sorted(
        model._meta.db_table
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        if not model._meta.proxy
    )
    return "SELECT " + ", ".join(f'(SELECT count(*) FROM "{t}")' for t in tables)


def row_counts(sql) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def hostile_variants(form: Form):
    """(label, data): the plausible data with one kind of field made hostile."""
    base = form.plausible()
    texts = form.names("text", "textarea", "email", "url", "tel", "search", "password")
    numbers = form.names("number")
    dates = form.names("date", "datetime-local")
    selects = form.names("select")
    hidden = [
        name
        for name in form.names("hidden")
        if name != "csrfmiddlewaretoken" and not name.endswith(FORMSET_MANAGEMENT)
    ]
    hidden_values = {f"hidden-{k}": TEXTS[k] for k in ("script", "nul")}
    groups = [
        (texts, TEXTS),
        (numbers, NUMBERS),
        (dates, DATES),
        (selects, CHOICES),
        (hidden, hidden_values),
    ]
    for names, values in groups:
        if not names:
            continue
        for label, value in values.items():
            yield label, {**base, **{name: [value] for name in names}}


def check(client, form: Form, label: str, data: dict, sql: str, statuses: Counter) -> str | None:
    path = form.action.removeprefix(HOST)
    before = row_counts(sql)
    try:
        response = client.post(path, data)
    except Exception as exc:  # what a browser would see as a 500
        return f"{path} [{label}]: {type(exc).__name__}: {exc}"[:400]
    statuses[response.status_code] += 1
    if response.status_code >= 500:
        return f"{path} [{label}]: {response.status_code}"
    page = response
    if response.status_code == 302 and response["Location"].startswith("/"):
        try:
            page = client.get(response["Location"])
        except Exception as exc:
            return f"{path} [{label}] → {response['Location']}: {type(exc).__name__}: {exc}"
    if page.get("Content-Type", "").startswith("text/html") and SCRIPT in page.content.decode():
        return f"{path} [{label}]: the script tag came back unescaped"
    if response.status_code == 200 and row_counts(sql) != before:
        return f"{path} [{label}]: the form came back, yet rows changed"
    return None


def test_hostile_input_to_every_form(world, client_for):
    from tests.supervision.factories import group_with_alis_a

    group_with_alis_a(world)
    objects, _ = object_urls(world)
    urls = [u for u in plain_urls() + objects if not u.endswith((".pdf", ".xlsx", ".ics"))]
    sql = row_counts_sql()
    problems, submitted, seen, statuses = [], 0, set(), Counter()
    for persona in PERSONAS:
        client = client_for(world.user(persona))
        for url in urls:
            response = client.get(url)
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            for form in forms_on(response.content.decode(), url):
                route = resolve(form.action.removeprefix(HOST).split("?")[0]).route
                key = (route, tuple(form.names("text", "textarea", "number", "select")))
                if key in seen:
                    continue
                seen.add(key)
                for label, data in hostile_variants(form):
                    with transaction.atomic():
                        problem = check(client, form, label, data, sql, statuses)
                        transaction.set_rollback(True)
                    submitted += 1
                    if problem:
                        problems.append(f"{persona}: {problem}")
    print(f"{submitted} hostile submissions to {len(seen)} forms: {dict(statuses)}")
    assert submitted > 200, f"only {submitted} submissions: are the forms found?"
    assert not problems, "\n".join(problems)
