from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "omavalvonta.core"
    label = "core"

    def ready(self):
        from django.db.backends.signals import connection_created

        from omavalvonta.core import registry, services
        from omavalvonta.core.lib import textsearch

        # SQLite folds ASCII letters only: search's Unicode lower-case (textsearch).
        connection_created.connect(textsearch.sqlite_functions_register, dispatch_uid="omv_sqlite_lower")

        # The access log's rows in the retention table (privacy): the log is
        # append-only in the application except for this destruction.
        registry.register(
            registry.RETENTION, "access_log", services.access_log_due, order=50,
            label=_("Access-log rows"), event=_("the read"), destroy=services.access_log_destroy,
            model_label="core.accesslogentry",
        )
