from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "omavalvonta.improvement"
    label = "improvement"
    verbose_name = _("Improvement")

    def ready(self):
        # Imported here: services import models, which need the app registry ready.
        from omavalvonta.core import jobs, registry
        from omavalvonta.improvement.selectors import action_home_items, evidence_actions
        from omavalvonta.improvement.services import actions_send_reminders, plan_follow_up_reminders_send

        registry.register(registry.EVIDENCE_SOURCES, "improvement.action", evidence_actions, order=20, group_label=_("Actions"))
        from omavalvonta.improvement.services import retention
        from omavalvonta.improvement.services.log import sources_forget

        # Finished actions in the retention table (privacy); destroyed records are no longer a source.
        retention.register()
        registry.register(registry.RECORD_DESTROYED, "improvement", sources_forget)
        registry.register(
            registry.HOME_BLOCKS, "actions", action_home_items, order=50, template="improvement/_home_actions.html"
        )

        jobs.register("improvement.action_reminders", actions_send_reminders, every_seconds=3600)
        jobs.register(
            "improvement.plan_follow_up_reminders", plan_follow_up_reminders_send, every_seconds=6 * 3600
        )
        # The unit's timeline (dashboards): what happened here, never naming a child.
        from omavalvonta.improvement import timeline

        registry.register(
            registry.UNIT_TIMELINE, "actions", timeline.action_timeline, order=30, label=_("Actions")
        )
        # Search across units (search): the texts in Finnish inflections, within the searcher's scope.
        from omavalvonta.improvement import search

        registry.register(
            registry.SEARCH_SOURCES, "actions", search.action_search, order=20, label=_("Actions")
        )
