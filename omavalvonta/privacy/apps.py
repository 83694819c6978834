from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Data protection: the data-protection officer's review of the access log
    (who read whose data, with flags for unusual reads). Data-subject requests
    and retention will live here too."""

    name = "omavalvonta.privacy"
    label = "privacy"
    verbose_name = _("Data protection")

    def ready(self):
        from omavalvonta.core import jobs
        from omavalvonta.privacy import reminders

        jobs.register("privacy.subject_request_reminders", reminders.subject_requests_remind, every_seconds=3600)
