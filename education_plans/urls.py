from django.urls import path

from education_plans import views

app_name = "education_plans"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("eksport/", views.plan_list_export, name="plan_list_export"),
    path("min/", views.my_plan, name="my_plan"),
    path("ny/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/endre/", views.plan_update, name="plan_update"),
    path("<int:pk>/historikk/", views.plan_history, name="plan_history"),
    path("<int:pk>/framdrift/", views.plan_progress_page, name="plan_progress"),
    path("<int:pk>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("<int:pk>/katalogversjon/", views.plan_catalogue_move, name="plan_catalogue_move"),
    # Service periods and group supervision outside the portal
    path("<int:pk>/tjeneste/ny/", views.service_period_create, name="service_period_create"),
    path("tjeneste/<int:pk>/endre/", views.service_period_update, name="service_period_update"),
    path("tjeneste/<int:pk>/slett/", views.service_period_delete, name="service_period_delete"),
    path("<int:pk>/gruppeveiledning/ny/", views.group_period_create, name="group_period_create"),
    path("gruppeveiledning/<int:pk>/slett/", views.group_period_delete, name="group_period_delete"),
    # Learning activities
    path("<int:pk>/aktiviteter/", views.activity_list, name="activity_list"),
    path("<int:pk>/aktiviteter/ny/", views.activity_create, name="activity_create"),
    path("aktiviteter/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("aktiviteter/<int:pk>/endre/", views.activity_update, name="activity_update"),
    path("aktiviteter/<int:pk>/slett/", views.activity_delete, name="activity_delete"),
    path("aktiviteter/<int:pk>/vedlegg/", views.activity_attachment, name="activity_attachment"),
    path("aktiviteter/<int:pk>/bekreft/", views.activity_confirm, name="activity_confirm"),
    path(
        "aktiviteter/<int:pk>/trekk-bekreftelse/",
        views.activity_unconfirm,
        name="activity_unconfirm",
    ),
    path("til-bekreftelse/", views.confirmation_queue, name="confirmation_queue"),
    # Objectives and attestation
    path("<int:pk>/maal/<int:objective_pk>/", views.objective_detail, name="objective_detail"),
    path(
        "<int:pk>/maal/<int:objective_pk>/be-om-attestasjon/",
        views.attestation_request,
        name="attestation_request",
    ),
    path("attestasjon/<int:pk>/attester/", views.attestation_attest, name="attestation_attest"),
    path("attestasjon/<int:pk>/returner/", views.attestation_return, name="attestation_return"),
    path("attestasjon/<int:pk>/trekk/", views.attestation_recall, name="attestation_recall"),
    path(
        "attestasjon/<int:pk>/trekk-foresporsel/",
        views.attestation_withdraw,
        name="attestation_withdraw",
    ),
    path("til-attestasjon/", views.attestation_queue, name="attestation_queue"),
    # Objective catalogues
    path("kataloger/", views.catalogue_list, name="catalogue_list"),
    path("kataloger/<int:pk>/", views.catalogue_detail, name="catalogue_detail"),
    path("kataloger/import/", views.catalogue_import, name="catalogue_import"),
    path("kataloger/import/bekreft/", views.catalogue_import_apply, name="catalogue_import_apply"),
]
