from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scope import scope_for
from alisvest.documents import document_response
from courses.models import CourseEvent
from education_plans.models import EducationPlan
from education_plans.progress import progress_for
from municipalities.models import County, Municipality, NextAction, Region
from reports import services
from reports.exports import chapters, figures_xlsx
from reports.figures import annual_figures
from reports.forms import AnnualReportForm, MapFigureForm, ReportPickForm, RiskFilter, report_years
from reports.maps import Figure, figure_map, figure_value
from reports.models import AnnualReport, GeneratedReport
from reports.risk import count_by_status, municipality_risks

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _regions(request) -> list[Region]:
    """The regions the person advises; anyone else has no annual report to see (404)."""
    regions = list(Region.objects.filter(pk__in=scope_for(request.user).region_ids))
    if not regions:
        raise Http404
    return regions


def _region_year(request, code, year) -> Region:
    if year not in report_years():
        raise Http404
    return get_object_or_404(
        Region.objects.filter(pk__in=scope_for(request.user).region_ids), code=code
    )


@login_required
def annual_report_index(request):
    regions = _regions(request)
    form = ReportPickForm(request.GET or None, regions=regions)
    if request.GET and form.is_valid():
        return redirect(
            "reports:annual_report", form.cleaned_data["region"], form.cleaned_data["year"]
        )
    return redirect("reports:annual_report", regions[0].code, timezone.localdate().year - 1)


@login_required
def annual_report(request, region, year):
    regions = _regions(request)
    region = _region_year(request, region, year)
    report = AnnualReport.objects.filter(region=region, year=year).first()
    figures = annual_figures(region, year)
    for table in figures.tables:
        if table.chart and table.chart.is_map:
            table.chart.links = {
                number: reverse("municipalities:municipality_detail", args=[number])
                for number in table.chart.colours
            }
    context = {
        "region": region,
        "year": year,
        "report": report,
        "figures": figures,
        "chapters": chapters(report, figures),
        "pick": ReportPickForm(initial={"year": year, "region": region.code}, regions=regions),
        "generated": _generated(report),
    }
    return render(request, "reports/annual_report.html", context)


def _generated(report):
    if report is None:
        return GeneratedReport.objects.none()
    return report.generated.select_related("requested_by").order_by("-requested_at", "-pk")


@login_required
def annual_report_edit(request, region, year):
    region = _region_year(request, region, year)
    report = AnnualReport.objects.filter(region=region, year=year).first()
    start = {} if report else services.annual_report_start_text(region=region, year=year)
    form = AnnualReportForm(request.POST or None, instance=report, initial=start)
    if form.is_valid():
        sections = form.cleaned_data
        if report is None and start:
            sections = {**sections, "started_from": start["started_from"]}
        services.annual_report_save(region=region, year=year, by=request.user, **sections)
        messages.success(request, _("The text of the annual report is saved."))
        return redirect("reports:annual_report", region.code, year)
    context = {"region": region, "year": year, "form": form, "report": report, "start": start}
    return render(request, "reports/annual_report_form.html", context)


@login_required
def annual_report_xlsx(request, region, year):
    region = _region_year(request, region, year)
    content = figures_xlsx(annual_figures(region, year))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="arsrapport-{region.code}-{year}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def annual_report_pdf(request, region, year):
    region = _region_year(request, region, year)
    report = services.annual_report_get_or_start(region=region, year=year, by=request.user)
    generated = services.generated_report_request(report=report, by=request.user)
    if request.htmx:
        return render(
            request,
            "reports/_generated_list.html",
            {"generated": _generated(report), "region": region, "year": year},
        )
    messages.success(request, _("The PDF is being made. It appears in the list when it is ready."))
    return redirect(
        reverse("reports:annual_report", args=[region.code, year]) + f"#pdf-{generated.pk}"
    )


def _generated_for(request, pk) -> GeneratedReport:
    return get_object_or_404(
        GeneratedReport.objects.visible_to(request.user).select_related(
            "report__region", "requested_by"
        ),
        pk=pk,
    )


@login_required
def generated_report_status(request, pk):
    """The row of one PDF, polled by htmx until it is ready."""
    generated = _generated_for(request, pk)
    return render(request, "reports/_generated_row.html", {"g": generated})


@login_required
def generated_report_download(request, pk):
    generated = _generated_for(request, pk)
    if generated.status != GeneratedReport.Status.DONE:
        raise Http404
    report = generated.report
    stamp = timezone.localtime(generated.finished_at).strftime("%Y%m%d-%H%M")
    return document_response(
        generated.file,
        filename=f"arsrapport {report.region.code} {report.year} {stamp}.pdf",
        inline=True,
    )


@login_required
@require_POST
def generated_report_note(request, pk):
    generated = _generated_for(request, pk)
    services.generated_report_note(
        generated=generated, by=request.user, note=request.POST.get("note", "")
    )
    messages.success(request, _("The note is saved."))
    report = generated.report
    return redirect(
        reverse("reports:annual_report", args=[report.region.code, report.year])
        + f"#pdf-{generated.pk}"
    )


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
    behind = [p for p in progress_for(plans).values() if p.behind_on_supervision]
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
