from accounts.scope import scope_for


def roles(request):
    """The person's scope, for the menu: `scope.is_adviser`, `scope.has_role`, …"""
    return {"scope": scope_for(getattr(request, "user", None))}
