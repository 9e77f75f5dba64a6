from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.scope import scope_for
from alisvest.panels import NavItem
from reminders.models import Notification


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
    """What is new in the person's notifications, kind by kind, on their home page."""
    counts = Notification.objects.visible_to(request.user).current().kind_counts()
    kinds = [row for row in counts if row["unread"]]
    if not kinds:
        return None
    return render_to_string("reminders/_home.html", {"kinds": kinds}, request=request)
