"""What positions and agreements add to the menu, the home page and the municipality page."""

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import scope_for
from alis_agreements.models import (
    SIGNED_STATUSES,
    Agreement,
    AgreementStatus,
    Employment,
    Position,
)
from alisvest.panels import NavItem

ENDING_SOON_SHOWN = 10


def nav(request):
    scope = scope_for(request.user)
    if not (scope.is_adviser or scope.is_manager):
        return []
    return [
        NavItem(_("Positions"), reverse("alis_agreements:position_list")),
        NavItem(_("Agreements"), reverse("alis_agreements:agreement_list")),
        NavItem(_("Grants"), reverse("alis_agreements:grant_overview")),
    ]


def _agreement_counts(agreements) -> dict:
    return agreements.aggregate(
        drafts=Count("pk", filter=Q(status=AgreementStatus.DRAFT)),
        sent=Count("pk", filter=Q(status=AgreementStatus.SENT)),
        signed=Count("pk", filter=Q(status=AgreementStatus.SIGNED)),
    )


def _ending_soon(agreements):
    return list(
        agreements.ending_within()
        .select_related("employment__alis", "employment__position__municipality")
        .order_by("ends_on")[:ENDING_SOON_SHOWN]
    )


def home(request):
    scope = scope_for(request.user)
    sections = []
    if scope.is_adviser or scope.is_manager:
        agreements = Agreement.objects.visible_to(request.user)
        today = timezone.localdate()
        context = {
            "scope": scope,
            "positions": Position.objects.visible_to(request.user).aggregate(
                total=Count("pk"),
                open=Count("pk", filter=Q(status__in=["planned", "advertised", "vacant"])),
            ),
            "alis_now": Employment.objects.visible_to(request.user).active(today).count(),
            "counts": _agreement_counts(agreements),
            "ending_soon": _ending_soon(agreements),
            "year": today.year,
            "managed": scope.managed_municipality_ids,
        }
        sections.append(render_to_string("alis_agreements/_home.html", context, request=request))
    if not scope.is_authenticated:
        return "".join(sections) or None
    own = (
        Agreement.objects.filter(
            employment__alis_id=scope.user_id,
            status__in=[AgreementStatus.SENT, *SIGNED_STATUSES],
        )
        .with_dates()
        .with_details()
        .order_by("-status", "-version")
    )
    if own:
        current = next((a for a in own if a.status == AgreementStatus.SIGNED), own[0])
        sections.append(
            render_to_string(
                "alis_agreements/_home_alis.html",
                {"agreement": current, "others": [a for a in own if a != current]},
                request=request,
            )
        )
    return "".join(sections) or None


def municipality(request, municipality):
    scope = scope_for(request.user)
    if not (scope.is_adviser or scope.is_manager):
        return None
    today = timezone.localdate()
    positions = (
        Position.objects.visible_to(request.user)
        .filter(municipality=municipality)
        .select_related("practice")
        .order_by("status", "title")
    )
    employments = (
        Employment.objects.visible_to(request.user)
        .filter(position__municipality=municipality)
        .active(today)
        .select_related("alis", "position")
        .order_by("alis__last_name")
    )
    agreements = Agreement.objects.visible_to(request.user).filter(
        employment__position__municipality=municipality
    )
    context = {
        "municipality": municipality,
        "positions": positions,
        "employments": employments,
        "counts": _agreement_counts(agreements),
        "ending_soon": _ending_soon(agreements),
        "can_edit": scope.can_manage_municipality(municipality),
        "year": today.year,
    }
    return render_to_string("alis_agreements/_municipality.html", context, request=request)
