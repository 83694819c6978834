from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RestrictionsConfig(AppConfig):
    """Restrictive measures (Lastensuojelulaki 417/2007, chapter 11) used on the
    children placed in a unit: the law as data (law.py) and the register."""

    name = "omavalvonta.restrictions"
    label = "restrictions"
    verbose_name = _("Restrictive measures")

    def ready(self):
        from omavalvonta.core import jobs
        from omavalvonta.organisation import hooks
        from omavalvonta.restrictions import monthly, plugs, services

        plugs.register()
        hooks.on_unit_saved(monthly.unit_saved)  # the counted months' regions
        from omavalvonta.restrictions import retention

        retention.register()  # the measures in privacy's retention table
        jobs.register("restrictions.debrief_reminders", services.debriefs_remind, every_seconds=3600)
        # Hourly, but a measure waits for the week after it: the weekly summary goes out on Monday.
        jobs.register("restrictions.social_worker_summary", services.social_workers_summarise, every_seconds=3600)
