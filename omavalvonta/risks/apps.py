from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    """The units' risk registers, risk assessment sessions and the links between
    risks and deviation reports."""

    name = "omavalvonta.risks"
    label = "risks"
    verbose_name = _("Risks")

    def ready(self):
        from omavalvonta.core import jobs, registry
        from omavalvonta.risks.jobs import risk_reviews_remind
        from omavalvonta.risks.selectors import deviation_panel

        # The deviation page shows the known risks a report is tied to.
        registry.register(registry.DEVIATION_PANELS, "risks", deviation_panel, order=10)

        jobs.register("risks.review_reminders", risk_reviews_remind, every_seconds=6 * 3600)
