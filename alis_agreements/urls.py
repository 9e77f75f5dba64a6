from django.urls import path

from alis_agreements import views

app_name = "alis_agreements"

urlpatterns = [
    # Agreements
    path("", views.agreement_list, name="agreement_list"),
    path("<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("<int:pk>/endre/", views.agreement_update, name="agreement_update"),
    path("<int:pk>/forhandsvisning.pdf", views.agreement_preview, name="agreement_preview"),
    path("<int:pk>/avtale.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("<int:pk>/signert-kopi/", views.agreement_scan, name="agreement_scan"),
    path(
        "<int:pk>/signert-kopi/last-opp/", views.agreement_scan_upload, name="agreement_scan_upload"
    ),
    path("<int:pk>/send/", views.agreement_send, name="agreement_send"),
    path("<int:pk>/trekk-tilbake/", views.agreement_withdraw, name="agreement_withdraw"),
    path("<int:pk>/signer/", views.agreement_sign, name="agreement_sign"),
    path("<int:pk>/avslutt/", views.agreement_end, name="agreement_end"),
    path("<int:pk>/ny-versjon/", views.agreement_new_version, name="agreement_new_version"),
    path("<int:pk>/slett/", views.agreement_delete, name="agreement_delete"),
    path("<int:pk>/historikk/", views.agreement_history, name="agreement_history"),
    # Positions
    path("stillinger/", views.position_list, name="position_list"),
    path("stillinger/ny/", views.position_create, name="position_create"),
    path("stillinger/<int:pk>/", views.position_detail, name="position_detail"),
    path("stillinger/<int:pk>/endre/", views.position_update, name="position_update"),
    path("stillinger/<int:pk>/ansett/", views.employment_create, name="employment_create"),
    # ALIS, their employments and leave
    path("alis/", views.employment_list, name="employment_list"),
    path("alis/<int:pk>/", views.alis_detail, name="alis_detail"),
    path("ansettelser/<int:pk>/", views.employment_detail, name="employment_detail"),
    path("ansettelser/<int:pk>/endre/", views.employment_update, name="employment_update"),
    path("ansettelser/<int:pk>/avtale/ny/", views.agreement_create, name="agreement_create"),
    path("ansettelser/<int:pk>/permisjon/ny/", views.leave_create, name="leave_create"),
    path("permisjoner/<int:pk>/endre/", views.leave_update, name="leave_update"),
    path("permisjoner/<int:pk>/slett/", views.leave_delete, name="leave_delete"),
    # Templates and measure types (the office's advisers)
    path("maler/", views.template_list, name="template_list"),
    path("maler/ny/", views.template_create, name="template_create"),
    path("maler/forhandsvisning.pdf", views.template_preview_draft, name="template_preview_draft"),
    path("maler/<int:pk>/", views.template_detail, name="template_detail"),
    path(
        "maler/<int:pk>/ny-versjon/", views.template_version_create, name="template_version_create"
    ),
    path("maler/<int:pk>/standard/", views.template_make_default, name="template_make_default"),
    path(
        "maler/versjoner/<int:pk>/forhandsvisning.pdf",
        views.template_version_preview,
        name="template_version_preview",
    ),
    path("tiltakstyper/ny/", views.measure_type_create, name="measure_type_create"),
    path("tiltakstyper/<int:pk>/endre/", views.measure_type_update, name="measure_type_update"),
    # Grants
    path("tilskudd/", views.grant_overview, name="grant_overview"),
    path("tilskudd/ordninger/ny/", views.grant_scheme_create, name="grant_scheme_create"),
    path(
        "tilskudd/ordninger/<int:pk>/endre/", views.grant_scheme_update, name="grant_scheme_update"
    ),
    path(
        "tilskudd/ordninger/<int:pk>/satser/ny/",
        views.grant_table_create,
        name="grant_table_create",
    ),
    path("tilskudd/satser/<int:pk>/", views.grant_table_detail, name="grant_table_detail"),
    path("tilskudd/satser/<int:pk>/endre/", views.grant_table_update, name="grant_table_update"),
    path(
        "tilskudd/<municipality_number:number>/<int:year>/",
        views.grant_summary,
        name="grant_summary",
    ),
    path(
        "tilskudd/<municipality_number:number>/<int:year>/regneark.xlsx",
        views.grant_summary_xlsx,
        name="grant_summary_xlsx",
    ),
]
