from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Institution service")

    def ready(self):
        # The arrangements' merge fields join the agreement templates' sandbox.
        from alis_agreements import sandbox
        from alis_agreements.models import TemplateKind
        from partners import documents

        sandbox.register_fields(
            TemplateKind.INSTITUTION_SERVICE, documents.FIELDS, documents.sample_fields
        )
