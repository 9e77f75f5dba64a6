from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import scope_for
from alisvest.panels import NavItem
from municipalities.models import Municipality, NextAction


def nav(request):
    scope = scope_for(request.user)
    items = []
    if scope.is_adviser or scope.is_manager:
        items.append(NavItem(_("Municipalities"), reverse("municipalities:municipality_list")))
    if scope.is_adviser:
        items.append(NavItem(_("Partners"), reverse("municipalities:partner_list")))
        items.append(NavItem(_("My actions"), reverse("municipalities:my_actions")))
    return items


HOME_ROWS = 5


def home(request):
    """Advisers: their most urgent open actions and the municipalities that have waited longest
    for a meeting. Managers: their municipalities."""
    scope = scope_for(request.user)
    if not (scope.is_adviser or scope.is_manager):
        return None
    context = {"scope": scope, "today": timezone.localdate()}
    if scope.region_ids:
        actions = NextAction.objects.open_for(request.user)
        context["actions"] = actions.select_related("owner")[:HOME_ROWS]
        context["action_count"] = actions.count()
        context["overdue_count"] = actions.overdue().count()
        context["waiting"] = (
            Municipality.objects.advised_by(request.user)
            .with_follow_up_facts(request.user)
            .order_by(F("last_meeting_date").asc(nulls_first=True), "name")[:HOME_ROWS]
        )
    if scope.managed_municipality_ids:
        context["managed"] = Municipality.objects.filter(
            pk__in=scope.managed_municipality_ids
        ).with_registration_status()
    return render_to_string("municipalities/_home.html", context, request=request)
