import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipalities.models import County, Municipality, RegistrationStatus

SORTS = {
    "name": "name",
    "number": "number",
    "county": "county__name",
    "population": "population",
    "centrality": "centrality_class",
    "status": "registration_status",
    "last_meeting": "last_meeting_date",
    "next_action": "next_action_due",
}


class MunicipalityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or number"))
    county = django_filters.ModelChoiceFilter(
        queryset=County.objects.all(), label=_("County"), empty_label=_("All counties")
    )
    centrality_class = django_filters.ChoiceFilter(
        choices=[(i, str(i)) for i in range(1, 7)],
        label=_("Centrality class"),
        empty_label=_("All classes"),
    )
    registration_status = django_filters.ChoiceFilter(
        choices=RegistrationStatus.choices,
        label=_("Registration"),
        empty_label=_("All statuses"),
    )
    o = django_filters.OrderingFilter(
        fields=[(field, key) for key, field in SORTS.items()],
        label=_("Sort by"),
    )

    class Meta:
        model = Municipality
        fields = ["q", "county", "centrality_class", "registration_status"]

    def search(self, queryset, name, value):
        """Name or number, today's or a predecessor's (Odda finds Ullensvang)."""
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value)
            | Q(number__startswith=value)
            | Q(predecessors__name__icontains=value)
            | Q(predecessors__number__startswith=value)
        ).distinct()
