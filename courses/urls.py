from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    # The course calendar and the person's own registrations
    path("", views.event_list, name="event_list"),
    path("mine/", views.my_registrations, name="my_registrations"),
    path("kalender/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("kalender/aktiver/", views.calendar_feed_enable, name="calendar_feed_enable"),
    path("kalender/ny-adresse/", views.calendar_feed_reset, name="calendar_feed_reset"),
    path("kalender/sla-av/", views.calendar_feed_disable, name="calendar_feed_disable"),
    # Courses (advisers)
    path("kursoversikt/", views.course_list, name="course_list"),
    path("kursoversikt/nytt/", views.course_create, name="course_create"),
    path("kursoversikt/<int:pk>/endre/", views.course_update, name="course_update"),
    path("kursoversikt/<int:course_pk>/arrangement/nytt/", views.event_create, name="event_create"),
    # Events
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/kalender.ics", views.event_ical, name="event_ical"),
    path("<int:pk>/endre/", views.event_update, name="event_update"),
    path("<int:pk>/publiser/", views.event_publish, name="event_publish"),
    path("<int:pk>/avpubliser/", views.event_unpublish, name="event_unpublish"),
    path("<int:pk>/historikk/", views.event_history, name="event_history"),
    path("<int:pk>/meld-pa/", views.registration_create, name="registration_create"),
    path("<int:pk>/deltakere/", views.event_participants, name="event_participants"),
    path("<int:pk>/deltakere/ny/", views.registration_add, name="registration_add"),
    path("<int:pk>/deltakere.xlsx", views.participants_export, name="participants_export"),
    path("<int:pk>/oppmoteliste.pdf", views.attendance_sheet, name="attendance_sheet"),
    path("<int:pk>/kursbevis/", views.certificates_issue, name="certificates_issue"),
    path("okt/<int:pk>/oppmote/", views.session_attendance, name="session_attendance"),
    # Registrations
    path("pamelding/<int:pk>/", views.registration_detail, name="registration_detail"),
    path("pamelding/<int:pk>/avmeld/", views.registration_cancel, name="registration_cancel"),
    path(
        "pamelding/<int:pk>/venteliste/<slug:action>/",
        views.waitlist_move,
        name="waitlist_move",
    ),
    path(
        "pamelding/<int:pk>/oppmote/<int:session_pk>/",
        views.attendance_toggle,
        name="attendance_toggle",
    ),
    # Certificates of attendance
    path("kursbevis/<int:pk>/", views.certificate_download, name="certificate_download"),
    path("kursbevis/<int:pk>/trekk-tilbake/", views.certificate_revoke, name="certificate_revoke"),
]
