from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "omavalvonta.core"
    label = "core"

    def ready(self):
        from omavalvonta.core import registry, services

        # The access log's rows in the retention table (privacy): the log is
        # append-only in the application except for this destruction.
        registry.register(
            registry.RETENTION, "access_log", services.access_log_due, order=50,
            label=_("Access-log rows"), event=_("the read"), destroy=services.access_log_destroy,
            model_label="core.accesslogentry",
        )
