from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    """Guidance, decisions, inspection findings and requests for explanation from
    supervisory authorities and wellbeing services counties."""

    name = "omavalvonta.guidance"
    label = "guidance"
    verbose_name = _("Guidance from authorities")

    def ready(self):
        # Imported here: services import models, which need the app registry ready.
        from omavalvonta.core import jobs
        from omavalvonta.guidance.services import guidance_deadlines_check

        jobs.register("guidance.deadlines", guidance_deadlines_check, every_seconds=3600)
