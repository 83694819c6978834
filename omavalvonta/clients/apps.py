from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    """The children in care: each child's placement in a unit (minimal by design:
    no identity code, no health data), and which children a deviation report
    concerns, so that its statutory notifications go to their placing county."""

    name = "omavalvonta.clients"
    label = "clients"
    verbose_name = _("Children in care")

    def ready(self):
        from omavalvonta.clients import plugs

        plugs.register()
