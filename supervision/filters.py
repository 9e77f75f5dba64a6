import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from supervision.models import Supervisor

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class SupervisorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name"))
    municipality = django_filters.ModelChoiceFilter(
        queryset=None, label=_("Municipality"), empty_label=_("All municipalities")
    )
    course = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_course", label=_("Supervisor course"), empty_label=_("All")
    )
    free = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_free", label=_("Free places"), empty_label=_("All")
    )
    in_pool = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_pool", label=_("In the pool"), empty_label=_("All")
    )
    active = django_filters.ChoiceFilter(
        choices=[("yes", _("Active")), ("no", _("Inactive"))],
        method="filter_active",
        label=_("Status"),
        empty_label=_("All"),
    )

    class Meta:
        model = Supervisor
        fields = ["q", "municipality", "course", "free", "in_pool", "active"]

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["municipality"].queryset = municipalities

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(person__first_name__icontains=word)
                | Q(person__last_name__icontains=word)
                | Q(person__email__icontains=word)
            )
        return queryset

    def filter_course(self, queryset, name, value):
        return queryset.filter(course_completed_on__isnull=(value == "no"))

    def filter_free(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(is_active=True, load__lt=F("capacity"))
        return queryset.filter(load__gte=F("capacity"))

    def filter_pool(self, queryset, name, value):
        return queryset.filter(in_pool=(value == "yes"))

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=(value == "yes"))
