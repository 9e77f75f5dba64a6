from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    # Everyone: their own notifications and how they get them
    path("", views.notification_list, name="notification_list"),
    path("<int:pk>/lest/", views.notification_read, name="notification_read"),
    path("alle-lest/", views.notifications_read_all, name="notifications_read_all"),
    path("innstillinger/", views.preferences, name="preferences"),
    # Advisers: the kinds of reminder and their settings
    path("typer/", views.kind_list, name="kind_list"),
    path("typer/<slug:code>/", views.kind_update, name="kind_update"),
    # Advisers: the annual wheel
    path("arshjul/", views.wheel, name="wheel"),
    path("arshjul/ny/", views.wheel_task_create, name="wheel_task_create"),
    path("arshjul/<int:pk>/endre/", views.wheel_task_update, name="wheel_task_update"),
    path("arshjul/<int:pk>/historikk/", views.wheel_task_history, name="wheel_task_history"),
    path(
        "arshjul/<int:pk>/<int:year>/utfort/",
        views.wheel_occurrence_done,
        name="wheel_occurrence_done",
    ),
    path(
        "arshjul/<int:pk>/<int:year>/gjenapne/",
        views.wheel_occurrence_reopen,
        name="wheel_occurrence_reopen",
    ),
]
