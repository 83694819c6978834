from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YearclockConfig(AppConfig):
    """The quality calendar: recurring quality duties per unit, their reminders
    and escalations."""

    name = "omavalvonta.yearclock"
    label = "yearclock"
    verbose_name = _("Quality calendar")

    def ready(self):
        # Imported here: services import models, which need the app registry ready.
        from omavalvonta.core import jobs, registry
        from omavalvonta.organisation import hooks
        from omavalvonta.yearclock import duties, reminders, services
        from omavalvonta.yearclock.selectors import obligation_home_items, obligations_for_agenda

        # The unit's meeting agenda lists the duties due (until they are done).
        registry.register(
            registry.AGENDA_SOURCES, "yearclock.obligations_due", obligations_for_agenda, order=100, kind="other", once=False
        )
        jobs.register("yearclock.generate", services.occurrences_generate, every_seconds=6 * 3600)
        # A duty's evidence that was destroyed under retention (privacy) loses its link.
        registry.register(registry.RECORD_DESTROYED, "yearclock", services.evidence_forget)
        # A new unit (or one whose service type changed) gets its duties at once,
        # not at the job's next run.
        hooks.on_unit_saved(services.occurrences_for_saved_unit)
        jobs.register("yearclock.reminders", reminders.obligations_remind_and_escalate, every_seconds=3600)
        # Duties other areas keep (core.registry DUTY_SOURCES), reminded and escalated alike.
        jobs.register("yearclock.duty_reminders", duties.duties_remind_and_escalate, every_seconds=3600)
        # A supervisor's-review meeting fulfils the unit's twice-monthly review duty.
        registry.register(registry.MINUTES_CLOSED, "yearclock.supervisor_review", services.occurrence_fulfil_by_meeting)
        registry.register(
            registry.HOME_BLOCKS, "obligations", obligation_home_items, order=70, template="yearclock/_home_obligations.html"
        )
