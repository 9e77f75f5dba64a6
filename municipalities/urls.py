from django.urls import path

from municipalities import views

app_name = "municipalities"

urlpatterns = [
    path("", views.municipality_list, name="municipality_list"),
    path("<municipality_number:number>/", views.municipality_detail, name="municipality_detail"),
    # The follow-up log (advisers)
    path(
        "<municipality_number:number>/oppfolging/ny/",
        views.follow_up_create,
        name="follow_up_create",
    ),
    path("oppfolging/<int:pk>/endre/", views.follow_up_update, name="follow_up_update"),
    path("tiltak/<int:pk>/utfort/", views.next_action_done, name="next_action_done"),
    path("tiltak/<int:pk>/gjenapne/", views.next_action_reopen, name="next_action_reopen"),
    path("mine-oppgaver/", views.my_actions, name="my_actions"),
    # Partners (advisers)
    path("partnere/", views.partner_list, name="partner_list"),
    path("partnere/ny/", views.partner_create, name="partner_create"),
    path("partnere/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partnere/<int:pk>/endre/", views.partner_update, name="partner_update"),
    path(
        "partnere/<int:pk>/oppfolging/ny/",
        views.partner_follow_up_create,
        name="partner_follow_up_create",
    ),
    path(
        "partnere/<int:pk>/kontakter/ny/",
        views.partner_contact_create,
        name="partner_contact_create",
    ),
    # Registration as education institution
    path(
        "<municipality_number:number>/registrering/ny/",
        views.registration_create,
        name="registration_create",
    ),
    path("registrering/import/", views.registration_import, name="registration_import"),
    path(
        "registrering/import/bekreft/",
        views.registration_import_apply,
        name="registration_import_apply",
    ),
    # Contacts and practices (advisers and the municipality's managers)
    path("<municipality_number:number>/kontakter/ny/", views.contact_create, name="contact_create"),
    path("kontakter/<int:pk>/endre/", views.contact_update, name="contact_update"),
    path("kontakter/<int:pk>/deaktiver/", views.contact_deactivate, name="contact_deactivate"),
    path(
        "<municipality_number:number>/legekontor/ny/",
        views.practice_create,
        name="practice_create",
    ),
    path("legekontor/<int:pk>/endre/", views.practice_update, name="practice_update"),
    path("legekontor/<int:pk>/deaktiver/", views.practice_deactivate, name="practice_deactivate"),
    # The yearly mapping (kartlegging)
    path("<municipality_number:number>/kartlegging/", views.mapping_list, name="mapping_list"),
    path(
        "<municipality_number:number>/kartlegging/ny/",
        views.mapping_create,
        name="mapping_create",
    ),
    path("kartlegging/<int:pk>/endre/", views.mapping_update, name="mapping_update"),
]
