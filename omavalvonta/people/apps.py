from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """People and competence (issue 18): checks and qualifications with expiry
    (the kinds are data, seeded by a migration), their reminders, and a unit's
    competence at a glance."""

    name = "omavalvonta.people"
    label = "people"
    verbose_name = _("Competence")

    def ready(self):
        from omavalvonta.core import jobs
        from omavalvonta.people import plugs, reminders

        plugs.register()
        jobs.register("people.expiry_reminders", reminders.qualifications_remind, every_seconds=3600)
