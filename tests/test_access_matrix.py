"""Every URL that takes an object is in the access matrix, and every persona gets its status.

A new URL with a parameter and no entry in a `tests/<app>/access.py` fails
`test_every_object_url_is_in_the_matrix`: no page ships unscoped.
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.conftest import PERSONAS

# Third-party URL trees that are not ours to scope (allauth is scoped by the session itself).
OUTSIDE = (
    "admin:",
    "account_",
    "mfa_",
    "socialaccount_",
    "openid_connect_",
    "set_language",
    "javascript-catalog",
    "helseid_",
    "usersessions_",
)


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", prefix + str(p.pattern), p.pattern.converters


def object_urls() -> dict[str, str]:
    """URL names (with namespace) whose route takes a parameter, and the route."""
    found = {}
    for name, route, converters in _walk(get_resolver().url_patterns):
        if name.startswith(OUTSIDE) or ("<" not in route and not converters):
            continue
        if route.startswith(("admin/", "konto/", "i18n/")):
            continue
        found[name] = route
    return found


def load_matrix() -> dict:
    matrix = {}
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            access = importlib.import_module(f"tests.{module.name}.access")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{module.name}.access":
                raise
            continue
        overlap = matrix.keys() & access.ACCESS.keys()
        assert not overlap, f"URLs listed twice in the matrix: {overlap}"
        matrix.update(access.ACCESS)
    return matrix


MATRIX = load_matrix()


def test_every_object_url_is_in_the_matrix():
    missing = sorted(set(object_urls()) - set(MATRIX))
    assert not missing, f"URLs with an object but no access-matrix entry: {missing}"


def test_matrix_lists_only_existing_urls():
    stale = sorted(set(MATRIX) - set(object_urls()))
    assert not stale, f"access-matrix entries for URLs that do not exist: {stale}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_access(url_name, persona, world, client_for):
    entry = MATRIX[url_name]
    kwargs = entry.build(world)
    url = reverse(url_name, kwargs=kwargs)
    client = client_for(world.user(persona))
    response = getattr(client, entry.method)(url, entry.data or {})
    expected = entry.status_for(persona)
    assert response.status_code == expected, (
        f"{persona} {entry.method.upper()} {url}: {response.status_code}, expected {expected}"
    )
    if expected == 302 and persona == "anonymous":
        assert "/konto/login/" in response["Location"]
