from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.scope import scope_for
from alisvest.panels import NavItem


def nav(request):
    """Advisers: the annual report of their region."""
    if not scope_for(request.user).region_ids:
        return []
    return [NavItem(_("Annual report"), reverse("reports:annual_report_index"))]
