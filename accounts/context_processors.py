from django.utils.functional import SimpleLazyObject

from accounts.scope import scope_for
from alisvest import panels


def roles(request):
    """The person's scope (`scope.is_adviser`, `scope.has_role`, …) and the menu entries the
    apps offer them, computed only when a page shows the menu."""
    return {
        "scope": scope_for(getattr(request, "user", None)),
        "nav_items": SimpleLazyObject(lambda: panels.collect("nav", request)),
    }
