from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import scope_for
from alisvest.panels import NavItem
from courses.models import CourseEvent, Registration

HOME_ROWS = 5


def nav(request):
    if not request.user.is_authenticated:
        return []
    return [NavItem(_("Courses"), reverse("courses:event_list"))]


def home(request):
    """Everyone: their next registrations and the next course in the calendar. Advisers:
    events over without attendance or with certificates still to issue."""
    if not request.user.is_authenticated:
        return None
    now = timezone.now()
    scope = scope_for(request.user)
    mine = (
        Registration.objects.active()
        .filter(user=request.user)
        .with_event_dates()
        .filter(event_ends_at__gte=now)
        .select_related("event__course")
        .order_by("event_starts_at")[:HOME_ROWS]
    )
    registered = Registration.objects.active().filter(user=request.user).values("event_id")
    next_events = (
        CourseEvent.objects.published()
        .with_dates()
        .filter(starts_at__gt=now)
        .exclude(pk__in=registered)
        .select_related("course")
        .order_by("starts_at")[:2]
    )
    context = {"mine": mine, "next_events": next_events, "scope": scope}
    if scope.region_ids:
        context["follow_up"] = (
            CourseEvent.objects.administered_by(request.user)
            .needing_follow_up(now)
            .select_related("course")
            .order_by("-starts_at")[:HOME_ROWS]
        )
    return render_to_string("courses/_home.html", context, request=request)
