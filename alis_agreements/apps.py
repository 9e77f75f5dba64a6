from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlisAgreementsConfig(AppConfig):
    name = "alis_agreements"
    verbose_name = _("Positions and agreements")
