from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    """The units' risk registers, risk assessment sessions and the links between
    risks and deviation reports."""

    name = "omavalvonta.risks"
    label = "risks"
    verbose_name = _("Risks")

    def ready(self):
        from omavalvonta.core import jobs
        from omavalvonta.risks.jobs import risk_reviews_remind

        jobs.register("risks.review_reminders", risk_reviews_remind, every_seconds=6 * 3600)
