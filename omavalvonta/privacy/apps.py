from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Data protection: the data-protection officer's review of the access log
    (who read whose data, with flags for unusual reads), data-subject requests,
    and retention: the table of periods, legal holds and logged destruction."""

    name = "omavalvonta.privacy"
    label = "privacy"
    verbose_name = _("Data protection")

    def ready(self):
        from omavalvonta.core import jobs
        from omavalvonta.privacy import reminders, retention

        jobs.register("privacy.subject_request_reminders", reminders.subject_requests_remind, every_seconds=3600)
        # Hourly: proposes once a month (the run's month is unique) and destroys
        # the runs the DPO has approved since.
        jobs.register("privacy.retention", retention.retention_job, every_seconds=3600)
