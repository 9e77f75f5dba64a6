from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import scope_for
from alisvest.panels import NavItem
from municipalities.models import Region
from reports.models import AnnualReport


def nav(request):
    """Advisers: the annual report of their region."""
    if not scope_for(request.user).region_ids:
        return []
    return [NavItem(_("Annual report"), reverse("reports:annual_report_index"))]


def home(request):
    """Advisers: last year's annual report, whether its text is written and its last PDF."""
    regions = list(Region.objects.filter(pk__in=scope_for(request.user).region_ids))
    if not regions:
        return None
    year = timezone.localdate().year - 1
    reports = {
        r.region_id: r
        for r in AnnualReport.objects.filter(region__in=regions, year=year).annotate(
            last_pdf=Max("generated__finished_at")
        )
    }
    rows = [(region, reports.get(region.pk)) for region in regions]
    return render_to_string("reports/_home.html", {"rows": rows, "year": year}, request=request)
