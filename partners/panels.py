"""What institution service adds to the menu and the municipality page."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import scope_for
from alisvest.panels import NavItem
from partners.models import ArrangementParty


def nav(request):
    """Managers reach their postings from the menu; advisers (whose menu is full) reach
    arrangements and postings from the partners page."""
    scope = scope_for(request.user)
    if scope.managed_municipality_ids and not scope.region_ids:
        return [NavItem(_("Postings"), reverse("partners:posting_list"))]
    return []


def municipality(request, municipality):
    """Which arrangement covers the municipality (advisers and its managers)."""
    scope = scope_for(request.user)
    if not scope.can_manage_municipality(municipality):
        return None
    parties = (
        ArrangementParty.objects.filter(municipality=municipality)
        .select_related("arrangement__institution")
        .order_by("-arrangement__valid_from")
    )
    covering = set(
        ArrangementParty.objects.covering(timezone.localdate())
        .filter(municipality=municipality)
        .values_list("pk", flat=True)
    )
    context = {
        "municipality": municipality,
        "parties": parties,
        "covering": covering,
        "advises": municipality.region_id in scope.region_ids,
    }
    return render_to_string("partners/_municipality.html", context, request=request)
