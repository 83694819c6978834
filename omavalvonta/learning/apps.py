from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "omavalvonta.learning"
    label = "learning"
    verbose_name = _("Learning reviews")

    def ready(self):
        # Imported here: the plugs import models, which need the app registry ready.
        from omavalvonta.learning import plugs

        plugs.register()
