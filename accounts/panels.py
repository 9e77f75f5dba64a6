from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Invitation
from accounts.scope import scope_for
from alisvest.panels import NavItem


def nav(request):
    if scope_for(request.user).can_invite:
        return [NavItem(_("People and access"), reverse("accounts:role_assignment_list"))]
    return []


def home(request):
    scope = scope_for(request.user)
    if not scope.can_invite:
        return None
    now = timezone.now()
    counts = (
        Invitation.objects.visible_to(request.user)
        .open()
        .aggregate(
            pending=Count("pk", filter=Q(expires_at__gt=now)),
            expired=Count("pk", filter=Q(expires_at__lte=now)),
        )
    )
    context = {
        "scope": scope,
        "pending_count": counts["pending"],
        "expired_count": counts["expired"],
    }
    return render_to_string("accounts/_home_access.html", context, request=request)
