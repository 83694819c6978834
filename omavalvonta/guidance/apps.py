from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    """Guidance, decisions, inspection findings and requests for explanation from
    supervisory authorities and wellbeing services counties."""

    name = "omavalvonta.guidance"
    label = "guidance"
    verbose_name = _("Guidance from authorities")
