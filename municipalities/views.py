from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from municipalities.filters import MunicipalityFilter
from municipalities.models import FollowUpEntry, Municipality, Population


def _population_years():
    return list(Population.objects.order_by("-year").values_list("year", flat=True).distinct())


@login_required
def municipality_list(request):
    years = _population_years()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year not in years:
        year = years[0] if years else timezone.localdate().year
    municipalities = (
        Municipality.objects.visible_to(request.user)
        .select_related("county")
        .with_registration_status()
        .with_population(year)
        .with_follow_up_facts(request.user)
        .order_by("name")
    )
    filterset = MunicipalityFilter(request.GET, queryset=municipalities)
    context = {
        "filter": filterset,
        "municipalities": filterset.qs,
        "year": year,
        "years": years,
        "today": timezone.localdate(),
    }
    template = "municipalities/municipality_list.html"
    if request.htmx and request.htmx.target == "municipality-table":
        template = "municipalities/_municipality_table.html"
    return render(request, template, context)


@login_required
def municipality_detail(request, number):
    municipality = get_object_or_404(
        Municipality.objects.visible_to(request.user).select_related("county", "region"),
        number=number,
    )
    context = {
        "municipality": municipality,
        "registration_status": municipality.registration_status_on(timezone.localdate()),
        "registration_changes": municipality.registration_changes.select_related("recorded_by"),
        "predecessors": municipality.predecessors.all(),
        "populations": municipality.populations.order_by("year"),
        "centrality_classes": municipality.centrality_classes.order_by("-version"),
        "contacts": municipality.contacts.all(),
        "practices": municipality.practices.all(),
        "follow_ups": FollowUpEntry.objects.visible_to(request.user)
        .filter(municipality=municipality)
        .select_related("created_by")
        .prefetch_related("next_actions__owner")[:50],
        "last_population_year": municipality.populations.aggregate(y=Max("year"))["y"],
    }
    return render(request, "municipalities/municipality_detail.html", context)
