"""The reports' menu entries and home-page sections."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.scope import scope_for
from alisvest.panels import NavItem
from municipalities.models import Municipality
from reports.risk import count_by_status, municipality_risks


def nav(request):
    items = []
    # The dashboard and the map
    scope = scope_for(request.user)
    if scope.region_ids or scope.managed_municipality_ids:
        items.append(NavItem(_("Overview"), reverse("reports:dashboard")))
    return items


def home(request):
    sections = []
    # The dashboard: how many municipalities are at risk or to watch, linked to the overview.
    scope = scope_for(request.user)
    if scope.region_ids or scope.managed_municipality_ids:
        risks = municipality_risks(Municipality.objects.visible_to(request.user), user=request.user)
        context = {"counts": count_by_status(risks), "advises": bool(scope.region_ids)}
        sections.append(render_to_string("reports/_home_dashboard.html", context, request=request))
    return "".join(sections) or None
