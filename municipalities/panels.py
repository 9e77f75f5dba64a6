from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.scope import scope_for
from alisvest.panels import NavItem


def nav(request):
    scope = scope_for(request.user)
    items = []
    if scope.is_adviser or scope.is_manager:
        items.append(NavItem(_("Municipalities"), reverse("municipalities:municipality_list")))
    if scope.is_adviser:
        items.append(NavItem(_("My actions"), reverse("municipalities:my_actions")))
    return items


def home(request):
    scope = scope_for(request.user)
    if not (scope.is_adviser or scope.is_manager):
        return None
    return render_to_string("municipalities/_home.html", {"scope": scope}, request=request)
