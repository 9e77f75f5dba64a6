from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, register_converter

from accounts import views as account_views
from alisvest import views
from alisvest.converters import MunicipalityNumberConverter
from partners import views as partner_views

register_converter(MunicipalityNumberConverter, "municipality_number")

# Staff admin logs in through allauth too, so the admin is behind the same two-factor step.
admin.site.login = secure_admin_login(admin.site.login)


urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("om/", views.about, name="about"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("accounts.urls")),
    path("konto/", include("allauth.urls")),
    path("kommuner/", include("municipalities.urls")),
    path("avtaler/", include("alis_agreements.urls")),
    path("utdanningsplaner/", include("education_plans.urls")),
    path("veiledning/", include("supervision.urls")),
    path("kurs/", include("courses.urls")),
    path("institusjonstjeneste/", include("partners.urls")),
    # The public position board (no login)
    path("ledige-stillinger/", partner_views.board, name="board"),
    path("ledige-stillinger/feed/", partner_views.BoardFeed(), name="board_feed"),
    path("varsler/", include("reminders.urls")),
    path("rapporter/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
