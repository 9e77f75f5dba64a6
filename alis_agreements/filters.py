"""The filters and sort orders of the position, ALIS and agreement lists."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alis_agreements.models import (
    ENDING_SOON_DAYS,
    Agreement,
    AgreementStatus,
    Employment,
    EmploymentForm,
    Position,
    PositionType,
)
from municipalities.models import Municipality


def _municipalities(request):
    if request is None:
        return Municipality.objects.none()
    return Municipality.objects.visible_to(request.user).order_by("name")


class PositionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Title or practice"))
    municipality = django_filters.ModelChoiceFilter(
        queryset=_municipalities, label=_("Municipality"), empty_label=_("All municipalities")
    )
    status = django_filters.ChoiceFilter(
        choices=Position.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )
    employment_form = django_filters.ChoiceFilter(
        choices=EmploymentForm.choices, label=_("Employment form"), empty_label=_("All forms")
    )
    position_type = django_filters.ChoiceFilter(
        choices=PositionType.choices, label=_("Position type"), empty_label=_("All types")
    )
    o = django_filters.OrderingFilter(
        fields=[
            ("municipality__name", "municipality"),
            ("title", "title"),
            ("status", "status"),
            ("start_date", "start"),
            ("list_size", "list_size"),
        ],
        label=_("Sort by"),
    )

    class Meta:
        model = Position
        fields = ["q", "municipality", "status", "employment_form", "position_type"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(practice__name__icontains=value))


class EmploymentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or HPR number"))
    municipality = django_filters.ModelChoiceFilter(
        field_name="position__municipality",
        queryset=_municipalities,
        label=_("Municipality"),
        empty_label=_("All municipalities"),
    )
    employment_form = django_filters.ChoiceFilter(
        field_name="position__employment_form",
        choices=EmploymentForm.choices,
        label=_("Employment form"),
        empty_label=_("All forms"),
    )
    state = django_filters.ChoiceFilter(
        method="by_state",
        choices=[
            ("current", _("Current")),
            ("upcoming", _("Upcoming")),
            ("ended", _("Ended")),
        ],
        label=_("Employment"),
        empty_label=_("All"),
    )
    o = django_filters.OrderingFilter(
        fields=[
            ("alis__last_name", "name"),
            ("position__municipality__name", "municipality"),
            ("start_date", "start"),
            ("end_date", "end"),
            ("percentage", "percentage"),
        ],
        label=_("Sort by"),
    )

    class Meta:
        model = Employment
        fields = ["q", "municipality", "employment_form", "state"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(alis__first_name__icontains=value)
            | Q(alis__last_name__icontains=value)
            | Q(alis__hpr_number__startswith=value)
        )

    def by_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == "current":
            return queryset.active(today)
        if value == "upcoming":
            return queryset.filter(start_date__gt=today)
        if value == "ended":
            return queryset.filter(end_date__lt=today)
        return queryset


class AgreementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("ALIS or position"))
    municipality = django_filters.ModelChoiceFilter(
        field_name="employment__position__municipality",
        queryset=_municipalities,
        label=_("Municipality"),
        empty_label=_("All municipalities"),
    )
    status = django_filters.ChoiceFilter(
        choices=AgreementStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    ending = django_filters.ChoiceFilter(
        method="ending_soon",
        label=_("Ending"),
        choices=[("90", _("Within 90 days"))],
        empty_label=_("Any time"),
    )
    o = django_filters.OrderingFilter(
        fields=[
            ("employment__alis__last_name", "alis"),
            ("employment__position__municipality__name", "municipality"),
            ("status", "status"),
            ("starts_on", "start"),
            ("ends_on", "end"),
        ],
        label=_("Sort by"),
    )

    class Meta:
        model = Agreement
        fields = ["q", "municipality", "status", "ending"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(employment__alis__first_name__icontains=value)
            | Q(employment__alis__last_name__icontains=value)
            | Q(employment__position__title__icontains=value)
        )

    def ending_soon(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        return queryset.filter(
            status=AgreementStatus.SIGNED,
            ends_on__gte=today,
            ends_on__lte=today + datetime.timedelta(days=ENDING_SOON_DAYS),
        )
