from django.apps import AppConfig


class AlisvestConfig(AppConfig):
    """The project package as an app, for the shared template tags and commands."""

    name = "alisvest"
    verbose_name = "ALIS Vest"
