from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    """The clients' formal complaints (muistutukset, Sosiaalihuollon asiakaslaki
    812/2000 § 23): received, handled by a named handler, answered in writing by
    the organisation's deadline, with the actions they led to."""

    name = "omavalvonta.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from omavalvonta.complaints import goal_prompt, plugs

        plugs.register()
        # A complaint steers its unit's action plan (improvement's goal prompts).
        goal_prompt.register()
