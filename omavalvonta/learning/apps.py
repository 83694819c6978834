from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "omavalvonta.learning"
    label = "learning"
    verbose_name = _("Learning reviews")

    def ready(self):
        # Imported here: the plugs import models, which need the app registry ready.
        from omavalvonta.core import jobs
        from omavalvonta.learning import plugs, services

        plugs.register()
        # The acknowledgement requests of a shared summary, made in the background.
        jobs.register("learning.share_requests", services.summary_requests_make, every_seconds=60)
