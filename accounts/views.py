from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.scope import scope_for


@login_required
def home(request):
    """Each role's start page: the sections shown depend on the roles the person holds."""
    scope = scope_for(request.user)
    return render(request, "accounts/home.html", {"scope": scope})
