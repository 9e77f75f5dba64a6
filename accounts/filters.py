import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, Role, RoleAssignment
from municipalities.models import Municipality


class RoleAssignmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or e-mail"))
    role = django_filters.ChoiceFilter(
        choices=Role.choices, label=_("Role"), empty_label=_("All roles")
    )
    municipality = django_filters.ModelChoiceFilter(
        queryset=Municipality.objects.none(),
        label=_("Municipality"),
        empty_label=_("All municipalities"),
    )
    state = django_filters.ChoiceFilter(
        method="by_state",
        label=_("Status"),
        choices=[
            ("active", _("Active")),
            ("upcoming", _("Not yet begun")),
            ("ended", _("Ended")),
        ],
        empty_label=_("All"),
    )

    o = django_filters.OrderingFilter(
        fields=[
            ("user__last_name", "name"),
            ("role", "role"),
            ("municipality__name", "municipality"),
            ("valid_from", "from"),
            ("valid_to", "to"),
        ],
        label=_("Sort by"),
    )

    class Meta:
        model = RoleAssignment
        fields = ["q", "role", "municipality", "state"]

    def __init__(self, data=None, *args, user, **kwargs):
        # Active assignments unless the person asks for another state.
        if data is not None and "state" not in data:
            data = data.copy()
            data["state"] = "active"
        super().__init__(data, *args, **kwargs)
        self.filters["municipality"].queryset = Municipality.objects.visible_to(user).order_by(
            "name"
        )

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__email__icontains=word)
            )
        return queryset

    def by_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == "active":
            return queryset.active(today)
        if value == "upcoming":
            return queryset.upcoming(today)
        if value == "ended":
            return queryset.ended(today)
        return queryset


class InvitationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        method="by_status",
        label=_("Status"),
        choices=[("open", _("Open (pending or expired)")), *Invitation.Status.choices],
        empty_label=_("All"),
    )

    class Meta:
        model = Invitation
        fields = ["status"]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "status" not in data:
            data = data.copy()
            data["status"] = "open"
        super().__init__(data, *args, **kwargs)

    def by_status(self, queryset, name, value):
        if value == "open":
            return queryset.open()
        if value == Invitation.Status.PENDING:
            return queryset.pending()
        if value == Invitation.Status.EXPIRED:
            return queryset.expired()
        if value == Invitation.Status.ACCEPTED:
            return queryset.filter(accepted_at__isnull=False)
        if value == Invitation.Status.REVOKED:
            return queryset.filter(revoked_at__isnull=False)
        return queryset
