from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "omavalvonta.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Imported here: the digest module imports models.
        from omavalvonta.core import jobs, registry
        from omavalvonta.notifications.digest import notifications_send_digests
        from omavalvonta.notifications.services import notification_enqueue, sent_destroy, sent_due

        # The floors below (organisation) send through the outbox by this plug.
        registry.register(registry.OUTBOX, "notifications", notification_enqueue)
        # Sent messages are pruned under privacy's retention table.
        registry.register(
            registry.RETENTION, "outbox", sent_due, order=60, label=_("Sent notifications and e-mail"),
            event=_("sending"), destroy=sent_destroy, model_label="notifications.notification",
        )

        jobs.register("notifications.digests", notifications_send_digests, every_seconds=900)
