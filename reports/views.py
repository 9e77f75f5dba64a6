from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from accounts.scope import scope_for
from courses.models import CourseEvent
from education_plans.models import EducationPlan
from education_plans.progress import BEHIND_MONTHS_SHORT, progress_for
from municipalities.models import County, Municipality, NextAction
from reports.forms import MapFigureForm, RiskFilter
from reports.maps import Figure, figure_map, figure_value
from reports.risk import count_by_status, municipality_risks

# The dashboard and the map
#
# Advisers see their region, managers their municipalities (the same view, without the office's
# follow-up log: meetings and next actions). Anyone else has nothing here: 404, as for every
# page outside a person's scope.

DASHBOARD_ROWS = 8
UPCOMING_EVENTS = 5


def _require_office(request):
    scope = scope_for(request.user)
    if not (scope.region_ids or scope.managed_municipality_ids):
        raise Http404
    return scope


def _municipalities(request):
    return Municipality.objects.visible_to(request.user).order_by("name")


def _none_last(value):
    return (value is None, value or 0)


# Sort keys of the risk table; "status" puts the most serious first.
RISK_SORTS = {
    "name": lambda r: r.municipality.name,
    "county": lambda r: r.municipality.county.name,
    "status": lambda r: -r.severity,
    "registration": lambda r: r.facts.registration_status or "",
    "alis": lambda r: r.facts.alis_in_position,
    "open": lambda r: r.facts.open_positions,
    "gps": lambda r: _none_last(r.facts.gps),
    "ending": lambda r: r.facts.agreements_ending,
    "free": lambda r: r.facts.free_supervisor_places,
    "meeting": lambda r: -1 if r.facts.days_since_meeting is None else -r.facts.days_since_meeting,
}


def _sorted(risks, order: str):
    key = order.removeprefix("-")
    if key not in RISK_SORTS:
        key, order = "status", "status"
    by_name = sorted(risks, key=lambda r: r.municipality.name)
    return sorted(by_name, key=RISK_SORTS[key], reverse=order.startswith("-"))


def _filtered(risks, form: RiskFilter):
    if not form.is_valid():
        return risks
    status, county = form.cleaned_data["status"], form.cleaned_data["county"]
    return [
        r
        for r in risks
        if (not status or r.status == status)
        and (county is None or r.municipality.county_id == county.pk)
    ]


def _behind_on_supervision(request, municipality_ids):
    """Plans of the municipalities' ALIS whose confirmed supervision hours are below what is
    due so far, or short in three of the last twelve months; the furthest behind first."""
    plans = (
        EducationPlan.objects.visible_to(request.user)
        .filter(municipality_id__in=municipality_ids)
        .select_related("alis", "municipality", "alm_catalogue", "fkm_catalogue")
    )
    behind = [
        p
        for p in progress_for(plans).values()
        if (p.supervision.target and p.supervision.done < p.supervision.target)
        or p.months_short >= BEHIND_MONTHS_SHORT
    ]
    return sorted(
        behind,
        key=lambda p: (p.supervision.done - p.supervision.target, -p.months_short),
    )


@login_required
def dashboard(request):
    scope = _require_office(request)
    municipalities = _municipalities(request)
    risks = municipality_risks(municipalities, user=request.user)
    form = RiskFilter(
        request.GET or None,
        counties=County.objects.filter(municipalities__in=municipalities).distinct(),
    )
    shown = _sorted(_filtered(risks, form), request.GET.get("o", ""))
    context = {
        "scope": scope,
        "form": form,
        "risks": shown,
        "counts": count_by_status(risks),
        "total": len(risks),
        "advises": bool(scope.region_ids),
        "today": timezone.localdate(),
    }
    if request.htmx and request.htmx.target == "risk-table":
        return render(request, "reports/_risk_table.html", context)
    ids = [r.municipality.pk for r in risks]
    behind = _behind_on_supervision(request, ids)
    now = timezone.now()
    context.update(
        map=figure_map(Figure.RISK, risks, width=300),
        behind=behind[:DASHBOARD_ROWS],
        behind_count=len(behind),
        events=CourseEvent.objects.visible_to(request.user)
        .with_dates()
        .upcoming(now)
        .filter(starts_at__isnull=False)
        .with_counts()
        .select_related("course")
        .order_by("starts_at")[:UPCOMING_EVENTS],
    )
    if scope.region_ids:
        actions = (
            NextAction.objects.visible_to(request.user)
            .open()
            .filter(entry__municipality_id__in=ids)
            .select_related("entry__municipality", "owner")
            .by_urgency()
        )
        context.update(
            actions=actions[:DASHBOARD_ROWS],
            action_count=actions.count(),
            overdue_count=actions.overdue().count(),
        )
    return render(request, "reports/dashboard.html", context)


@login_required
def region_map(request):
    _require_office(request)
    form = MapFigureForm(request.GET or None)
    figure = (form.is_valid() and form.cleaned_data["figure"]) or Figure.RISK
    risks = municipality_risks(_municipalities(request), user=request.user)
    context = {
        "form": form,
        "figure": Figure(figure),
        "map": figure_map(figure, risks, width=560),
        "rows": [(r, figure_value(figure, r)) for r in risks],
    }
    if request.htmx and request.htmx.target == "region-map":
        return render(request, "reports/_map.html", context)
    return render(request, "reports/map.html", context)
