from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "omavalvonta.improvement"
    label = "improvement"
    verbose_name = _("Improvement")

    def ready(self):
        # Imported here: services import models, which need the app registry ready.
        from omavalvonta.core import jobs
        from omavalvonta.improvement.services import actions_send_reminders

        jobs.register("improvement.action_reminders", actions_send_reminders, every_seconds=3600)
