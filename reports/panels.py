"""The reports' menu entries and home-page sections: the overview (dashboard) for advisers and
managers, the annual report for advisers."""

from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import scope_for
from alisvest.panels import NavItem
from municipalities.models import Municipality, Region
from reports.models import AnnualReport
from reports.risk import count_by_status, municipality_risks


def nav(request):
    scope = scope_for(request.user)
    items = []
    if scope.region_ids or scope.managed_municipality_ids:
        items.append(NavItem(_("Overview"), reverse("reports:dashboard")))
    if scope.region_ids:
        items.append(NavItem(_("Annual report"), reverse("reports:annual_report_index")))
    return items


def home(request):
    scope = scope_for(request.user)
    sections = []
    if scope.region_ids or scope.managed_municipality_ids:
        # How many municipalities are at risk or to watch, linked to the overview.
        risks = municipality_risks(Municipality.objects.visible_to(request.user), user=request.user)
        context = {"counts": count_by_status(risks), "advises": bool(scope.region_ids)}
        sections.append(render_to_string("reports/_home_dashboard.html", context, request=request))
    if scope.region_ids:
        sections.append(_annual_report_home(request, scope))
    return "".join(sections) or None


def _annual_report_home(request, scope) -> str:
    """Last year's annual report: whether its text is written and its last PDF."""
    regions = list(Region.objects.filter(pk__in=scope.region_ids))
    year = timezone.localdate().year - 1
    reports = {
        r.region_id: r
        for r in AnnualReport.objects.filter(region__in=regions, year=year).annotate(
            last_pdf=Max("generated__finished_at")
        )
    }
    rows = [(region, reports.get(region.pk)) for region in regions]
    return render_to_string("reports/_home.html", {"rows": rows, "year": year}, request=request)
