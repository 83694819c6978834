from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    """Guidance, decisions, inspection findings and requests for explanation from
    supervisory authorities and wellbeing services counties."""

    name = "omavalvonta.guidance"
    label = "guidance"
    verbose_name = _("Guidance from authorities")

    def ready(self):
        # Imported here: services import models, which need the app registry ready.
        from omavalvonta.core import jobs, registry
        from omavalvonta.guidance.deadlines import guidance_deadlines_check
        from omavalvonta.guidance.selectors import guidance_for_agenda, guidance_home_items

        # New guidance for the unit comes to its meetings' agenda.
        registry.register(registry.AGENDA_SOURCES, "guidance", guidance_for_agenda, order=30, kind="guidance")
        registry.register(
            registry.HOME_BLOCKS, "guidance", guidance_home_items, order=100, template="guidance/_home_guidance.html"
        )

        jobs.register("guidance.deadlines", guidance_deadlines_check, every_seconds=3600)
        # The unit's timeline (dashboards): what happened here, never naming a child.
        from omavalvonta.guidance import timeline

        registry.register(
            registry.UNIT_TIMELINE, "guidance", timeline.guidance_timeline, order=60, label=_("Guidance and requests")
        )
        # Search across units (search): the texts in Finnish inflections, within the searcher's scope.
        from omavalvonta.guidance import search

        registry.register(
            registry.SEARCH_SOURCES, "guidance", search.guidance_search, order=40, label=_("Guidance and requests")
        )
