from django.urls import path

from municipalities import views

app_name = "municipalities"

urlpatterns = [
    path("", views.municipality_list, name="municipality_list"),
    path("<municipality_number:number>/", views.municipality_detail, name="municipality_detail"),
]
