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
from municipalities.models import Region
from reports import services
from reports.exports import chapters, figures_xlsx
from reports.figures import annual_figures
from reports.forms import AnnualReportForm, ReportPickForm, report_years
from reports.models import AnnualReport, GeneratedReport

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
