from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeviationsConfig(AppConfig):
    name = "omavalvonta.deviations"
    label = "deviations"
    verbose_name = _("Deviations")

    def ready(self):
        # Imported here: services import models, which need the app registry ready.
        from omavalvonta.core import jobs
        from omavalvonta.deviations.services import deviations_escalate_stalled

        jobs.register("deviations.escalate_stalled", deviations_escalate_stalled, every_seconds=300)
