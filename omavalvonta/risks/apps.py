from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    """The units' risk registers, risk assessment sessions and the links between
    risks and deviation reports."""

    name = "omavalvonta.risks"
    label = "risks"
    verbose_name = _("Risks")
