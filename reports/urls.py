from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("arsrapport/", views.annual_report_index, name="annual_report_index"),
    # The PDF versions first: "pdf" would also read as a region's code.
    path("arsrapport/pdf/<int:pk>/", views.generated_report_status, name="generated_report_status"),
    path(
        "arsrapport/pdf/<int:pk>/last-ned/",
        views.generated_report_download,
        name="generated_report_download",
    ),
    path(
        "arsrapport/pdf/<int:pk>/merknad/",
        views.generated_report_note,
        name="generated_report_note",
    ),
    path("arsrapport/<slug:region>/<int:year>/", views.annual_report, name="annual_report"),
    path(
        "arsrapport/<slug:region>/<int:year>/tekst/",
        views.annual_report_edit,
        name="annual_report_edit",
    ),
    path(
        "arsrapport/<slug:region>/<int:year>/tall.xlsx",
        views.annual_report_xlsx,
        name="annual_report_xlsx",
    ),
    path(
        "arsrapport/<slug:region>/<int:year>/pdf/",
        views.annual_report_pdf,
        name="annual_report_pdf",
    ),
    # The dashboard and the map
    path("oversikt/", views.dashboard, name="dashboard"),
    path("kart/", views.region_map, name="region_map"),
]
