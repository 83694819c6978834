from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "omavalvonta.organisation"
    label = "organisation"
    verbose_name = _("Organisation")

    def ready(self):
        from omavalvonta.core import registry
        from omavalvonta.organisation import (
            sessions,
            signals,  # noqa: F401 (registers the receivers)
            subject_data,
        )

        subject_data.register()

        # Sign-in records in the retention table (privacy).
        registry.register(
            registry.RETENTION, "session", sessions.sessions_due, order=70, label=_("Sign-in sessions"),
            event=_("the sign-in"), destroy=sessions.sessions_destroy, model_label="organisation.signinsession",
        )
