from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    # The dashboard and the map
    path("oversikt/", views.dashboard, name="dashboard"),
    path("kart/", views.region_map, name="region_map"),
]
