"""Query budgets: a page must run the same number of queries whatever the amount of data."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url, data=None) -> int:
    """GET `url` and return how many queries it ran (it must answer 200)."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, data or {})
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return len(context.captured_queries)


def assert_constant_queries(client, url, grow, data=None):
    """The page's query count is the same before and after `grow()` adds ten times the data."""
    client.get(url, data or {})  # warm sessions, caches and the person's scope
    before = count_queries(client, url, data)
    grow()
    after = count_queries(client, url, data)
    assert after == before, f"{url}: {before} queries, then {after} with more data (N+1?)"
