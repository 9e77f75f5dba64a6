from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.scope import scope_for
from alisvest.panels import NavItem
from reminders.models import Notification

HOME_LIMIT = 5


def nav(request):
    scope = scope_for(request.user)
    if not scope.is_authenticated:
        return []
    unread = Notification.objects.visible_to(request.user).unread().count()
    items = [
        NavItem(
            _("Notifications"),
            reverse("reminders:notification_list"),
            badge=unread,
            badge_label=ngettext("%(n)s unread", "%(n)s unread", unread) % {"n": unread},
        )
    ]
    if scope.region_ids:
        items.append(NavItem(_("Annual wheel"), reverse("reminders:wheel")))
    return items


def home(request):
    """The newest unread notifications, on everyone's home page."""
    unread = Notification.objects.visible_to(request.user).unread()
    notifications = list(
        unread.order_by("-recorded_on", "due_date", "title", "pk")[: HOME_LIMIT + 1]
    )
    if not notifications:
        return None
    context = {
        "notifications": notifications[:HOME_LIMIT],
        "more": len(notifications) > HOME_LIMIT,
        "today": timezone.localdate(),
    }
    return render_to_string("reminders/_home.html", context, request=request)
