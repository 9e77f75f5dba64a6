from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    # Supervisors: capacity, the register and the pool (advisers and managers)
    path("kapasitet/", views.capacity, name="capacity"),
    path("veiledere/", views.supervisor_list, name="supervisor_list"),
    path("veiledere/ny/", views.supervisor_create, name="supervisor_create"),
    path("veiledere/meg/", views.my_profile, name="my_profile"),
    path("veiledere/<int:pk>/", views.supervisor_detail, name="supervisor_detail"),
    path("veiledere/<int:pk>/endre/", views.supervisor_update, name="supervisor_update"),
    path("veilederpool/", views.pool, name="pool"),
    path("uten-veileder/", views.alis_without_supervisor, name="alis_without_supervisor"),
    path("alis/", views.alis_overview, name="alis_overview"),
    # An ALIS's supervision: strip, supervisors, the log
    path("logg/", views.my_log, name="my_log"),
    path("alis/<int:pk>/", views.alis_supervision, name="alis_supervision"),
    path("alis/<int:pk>/okter/ny/", views.session_create, name="session_create"),
    path("alis/<int:pk>/eksport/", views.session_export, name="session_export"),
    path("alis/<int:pk>/veileder/ny/", views.relationship_create, name="relationship_create"),
    path("relasjoner/<int:pk>/bytt/", views.relationship_change, name="relationship_change"),
    path("relasjoner/<int:pk>/avslutt/", views.relationship_end, name="relationship_end"),
    path("okter/<int:pk>/", views.session_detail, name="session_detail"),
    path("okter/<int:pk>/endre/", views.session_update, name="session_update"),
    path("okter/<int:pk>/korriger/", views.session_correct, name="session_correct"),
    path("okter/<int:pk>/slett/", views.session_delete, name="session_delete"),
    path("okter/<int:pk>/signer/", views.session_sign, name="session_sign"),
    # The supervisor's work
    path("signering/", views.sign_queue, name="sign_queue"),
    path("mine-veiledede/", views.my_supervisees, name="my_supervisees"),
    # Supervision groups
    path("grupper/", views.group_list, name="group_list"),
    path("grupper/ny/", views.group_create, name="group_create"),
    path("grupper/<int:pk>/", views.group_detail, name="group_detail"),
    path("grupper/<int:pk>/endre/", views.group_update, name="group_update"),
    path("grupper/<int:pk>/medlemmer/ny/", views.membership_create, name="membership_create"),
    path("medlemskap/<int:pk>/endre/", views.membership_update, name="membership_update"),
    path("medlemskap/<int:pk>/slett/", views.membership_delete, name="membership_delete"),
    path("grupper/<int:pk>/moter/nytt/", views.meeting_create, name="meeting_create"),
    path("moter/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("moter/<int:pk>/endre/", views.meeting_update, name="meeting_update"),
    path("moter/<int:pk>/slett/", views.meeting_delete, name="meeting_delete"),
]
