from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("", views.arrangement_list, name="arrangement_list"),
    path("ny/", views.arrangement_create, name="arrangement_create"),
    path("<int:pk>/", views.arrangement_detail, name="arrangement_detail"),
    path("<int:pk>/endre/", views.arrangement_update, name="arrangement_update"),
    path("<int:pk>/kommuner/", views.party_add, name="party_add"),
    path("<int:pk>/plasser/", views.places_set, name="places_set"),
    path("<int:pk>/signer/", views.arrangement_sign, name="arrangement_sign"),
    path("<int:pk>/avtale.pdf", views.arrangement_pdf, name="arrangement_pdf"),
    # The postings the person keeps (the public board is in board_urls)
    path("utlysninger/", views.posting_list, name="posting_list"),
    path("utlysninger/ny/", views.posting_create, name="posting_create"),
    path("utlysninger/<int:pk>/endre/", views.posting_update, name="posting_update"),
    path("utlysninger/<int:pk>/trekk/", views.posting_withdraw, name="posting_withdraw"),
]
