from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "omavalvonta.organisation"
    label = "organisation"
    verbose_name = _("Organisation")

    def ready(self):
        from omavalvonta.organisation import (
            signals,  # noqa: F401 (registers the receivers)
            subject_data,
        )

        subject_data.register()
