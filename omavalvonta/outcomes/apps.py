from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    """The functional-capacity measure of each child in care: the instruments as
    versioned data, a measurement every three months (the child's and the
    worker's answers side by side), the goals agreed with the child and their
    follow-up, and each domain's trajectory on the child's page."""

    name = "omavalvonta.outcomes"
    label = "outcomes"
    verbose_name = _("Functional capacity")

    def ready(self):
        from omavalvonta.outcomes import plugs

        plugs.register()
