"""Every page each persona can open runs the same number of queries at 1× and at 10× the data.

The pages are found from the URL configuration, as the access matrix finds them: every GET URL
without a parameter, and every URL of the matrix (tests/<app>/access.py) with the object its
entry builds. The data around the `world` personas is grown by the scale generator
(alisvest/scale.py) — its "vest" region is the world's, so the personas' lists, choices and
counts grow with it — once at a small size and once at ten times that size, each inside a
savepoint that is rolled back. A page whose count changes has an N+1 somewhere.

The per-app tests keep their own, sharper budgets (the same object with ten times the
children); this one makes sure no page is forgotten.
"""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, get_resolver, reverse
from tqdm import tqdm

from alisvest import scale
from tests.test_access_matrix import MATRIX, OUTSIDE, _walk

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PERSONAS = ["adviser", "manager_a", "alis_a", "supervisor_a", "group_leader"]
# The same municipalities at both sizes (the world's two in "vest", four synthetic in a second
# region), so the rows grow where the personas look; ten times the people and records.
# Even the small size must give the world's municipalities some of everything: a page that skips
# a query for an empty list would otherwise look like one that grows.
SMALL = scale.Scale("budget-1x", 6, 2, 40, 5, 400, 40, 4, 40)
LARGE = scale.Scale("budget-10x", 6, 2, 400, 5, 4_000, 400, 40, 400)
# Pages whose work is not a page of rows: files streamed from storage, and feeds or exports
# that are bounded by their own tests (they list one person's or one event's rows).
SKIP_PREFIXES = ("/konto/", "/admin/", "/i18n/", "/healthz")


def plain_urls() -> list[str]:
    urls = []
    for name, route, converters in _walk(get_resolver().url_patterns):
        if name.startswith(OUTSIDE) or "<" in route or converters:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        if not url.startswith(SKIP_PREFIXES):
            urls.append(url)
    return sorted(set(urls))


def object_urls(world) -> tuple[list[str], list[str]]:
    """The matrix's GET URLs with their objects built in this world; and the URL names whose
    objects could not be built beside the others (each entry assumes a world of its own)."""
    urls, unbuilt = [], []
    for name, entry in sorted(MATRIX.items()):
        if entry.method != "get":
            continue
        try:
            with transaction.atomic():
                kwargs = entry.build(world)
        except IntegrityError:
            unbuilt.append(name)
            continue
        urls.append(reverse(name, kwargs=kwargs))
    return urls, unbuilt


def measure(client_for, world, urls) -> dict:
    counts = {}
    for persona in PERSONAS:
        client = client_for(world.user(persona))
        for url in urls:
            first = client.get(url)  # warm the session, caches and the person's scope
            if first.status_code != 200:
                counts[persona, url] = first.status_code, None
                continue
            with CaptureQueriesContext(connection) as context:
                response = client.get(url)
            counts[persona, url] = response.status_code, len(context.captured_queries)
    return counts


def grown(size: scale.Scale, client_for, world, urls, monkeypatch) -> dict:
    monkeypatch.setitem(scale.SCALES, size.name, size)
    with transaction.atomic():
        scale.generate(size.name, seed=7, progress=tqdm(disable=True))
        counts = measure(client_for, world, urls)
        transaction.set_rollback(True)
    return counts


def test_every_page_runs_the_same_queries_at_1x_and_10x(world, client_for, monkeypatch):
    objects, unbuilt = object_urls(world)
    urls = plain_urls() + objects
    small = grown(SMALL, client_for, world, urls, monkeypatch)
    large = grown(LARGE, client_for, world, urls, monkeypatch)

    opened = [key for key, (status, _) in small.items() if status == 200]
    assert len(opened) > 100, f"only {len(opened)} pages opened: is the world broken?"
    changed = {
        f"{persona} {url}": f"{small[persona, url][1]} → {large[persona, url][1]}"
        for persona, url in opened
        if large[persona, url] != small[persona, url]
    }
    assert not changed, f"queries grew with the data (N+1?): {changed}"
    # Entries that cannot share one world stay covered by their own app's budget tests.
    assert len(unbuilt) < len(MATRIX) // 4, unbuilt
