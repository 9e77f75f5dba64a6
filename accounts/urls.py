from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("min-konto/", views.my_account, name="my_account"),
    path("min-konto/tofaktor/", views.two_factor_required, name="two_factor_required"),
    path("min-konto/tofaktor/ferdig/", views.two_factor_done, name="two_factor_done"),
    # People and roles (advisers and managers)
    path("tilgang/roller/", views.role_assignment_list, name="role_assignment_list"),
    path("tilgang/roller/<int:pk>/", views.role_assignment_detail, name="role_assignment_detail"),
    path("tilgang/roller/<int:pk>/avslutt/", views.role_assignment_end, name="role_assignment_end"),
    path("tilgang/invitasjoner/", views.invitation_list, name="invitation_list"),
    path("tilgang/invitasjoner/ny/", views.invitation_create, name="invitation_create"),
    path(
        "tilgang/invitasjoner/<int:pk>/send-igjen/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "tilgang/invitasjoner/<int:pk>/trekk-tilbake/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    # The link in the invitation e-mail
    path("invitasjon/<slug:token>/", views.invitation_accept, name="invitation_accept"),
]
