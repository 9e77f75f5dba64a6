from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EducationPlansConfig(AppConfig):
    name = "education_plans"
    verbose_name = _("Education plans")
