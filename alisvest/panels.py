"""What each app contributes to the pages they share: the menu, the home page and the
municipality page.

An app that has something to show adds `<app>/panels.py` with any of these functions:

- `nav(request) -> list[NavItem]`: menu entries for the person's roles (with an optional
  count shown as a badge, e.g. unread notifications, and its words for screen readers);
- `home(request) -> str | None`: a rendered section of the home page (or None: nothing). The
  home page lays sections out in a grid; a section is a `<section class="card home-section">`
  with an `h2` heading, and `home-section-wide` makes it span the full width (a table);
- `municipality(request, municipality) -> str | None`: a section of the municipality page.

`collect()` calls them in the order of the app graph, so no app edits another app's template.
"""

import importlib
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.utils.safestring import mark_safe

from alisvest.demo import APP_ORDER


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    badge: int = 0
    badge_label: str = ""


@cache
def _modules():
    modules = []
    # accounts last: the domain's menu entries and home sections come before "People and access".
    for label in [*APP_ORDER, "accounts"]:
        if not apps.is_installed(label):
            continue
        try:
            modules.append(importlib.import_module(f"{label}.panels"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{label}.panels":
                raise
    return tuple(modules)


def collect(hook: str, request, **kwargs) -> list:
    """The non-empty results of `hook` from every app; lists (menu entries) are flattened."""
    results = []
    for module in _modules():
        function = getattr(module, hook, None)
        if function is None:
            continue
        result = function(request, **kwargs)
        if not result:
            continue
        if isinstance(result, list | tuple):
            results.extend(result)
        else:
            results.append(mark_safe(result))
    return results
