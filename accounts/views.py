from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.scope import scope_for
from alisvest import panels


@login_required
def home(request):
    """Each role's start page: every app adds the sections for the roles the person holds."""
    return render(
        request,
        "accounts/home.html",
        {"scope": scope_for(request.user), "sections": panels.collect("home", request)},
    )
