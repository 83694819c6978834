from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Team meetings, supervisor reviews and management group meetings: agendas
    that build themselves, minutes, and acknowledgements."""

    name = "omavalvonta.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # Meetings' own agenda sources (the orders place the other areas' between them).
        from omavalvonta.core import registry
        from omavalvonta.meetings import group_agenda, selectors
        from omavalvonta.meetings.agenda import register_agenda_source
        from omavalvonta.meetings.models import AgendaItemKind, MeetingKind
        from omavalvonta.meetings.services import agenda_sources_forget

        registry.register(registry.RECORD_DESTROYED, "meetings", agenda_sources_forget)
        from omavalvonta.meetings import retention

        retention.register()  # the minutes in privacy's retention table

        register_agenda_source("deviations", selectors.deviations_for_agenda, kind=AgendaItemKind.DEVIATION, order=10)
        register_agenda_source(
            "actions_due", selectors.actions_due_for_agenda, kind=AgendaItemKind.ACTION_DUE, once=False, order=40
        )
        # The management group: group-level summaries (unit None), counted anew each
        # time the agenda is built or refreshed.
        group = (MeetingKind.MANAGEMENT_GROUP,)
        for order, name, func, kind in [
            (60, "group_serious_deviations", group_agenda.group_serious_deviations_for_agenda, AgendaItemKind.DEVIATION),
            (61, "group_statutory_notifications", group_agenda.group_statutory_notifications_for_agenda, AgendaItemKind.DEVIATION),
            (62, "group_overdue_actions", group_agenda.group_overdue_actions_for_agenda, AgendaItemKind.ACTION_DUE),
            (63, "group_guidance", group_agenda.group_guidance_for_agenda, AgendaItemKind.GUIDANCE),
        ]:
            register_agenda_source(name, func, kind=kind, meeting_kinds=group, once=False, order=order)
        # The occupational safety committee: threats and violence across the chair's scope.
        register_agenda_source(
            "safety_deviations", group_agenda.safety_deviations_for_agenda, kind=AgendaItemKind.DEVIATION,
            meeting_kinds=(MeetingKind.SAFETY_COMMITTEE,), once=False, order=65,
        )
        # The programme's meeting rhythms as quality-calendar duties (meetings/rhythms.py).
        from omavalvonta.meetings import childrens, rhythms

        rhythms.register()
        # The children's meetings feed the good-treatment plan and the team goals page.
        registry.register(registry.PLAN_FACTS, "childrens_meetings", childrens.plan_fact)
        registry.register(
            registry.TEAM_FACTS, "childrens_meetings", childrens.team_fact, order=10,
            template="meetings/_team_childrens.html", title=_("Children's meetings"),
        )
        # Past meetings' minutes can be the evidence of a quality-calendar duty.
        registry.register(
            registry.EVIDENCE_SOURCES, "meetings.meeting", selectors.evidence_meetings, order=30, group_label=_("Meeting minutes")
        )
        # The home page: what to read and acknowledge, and the person's next meetings.
        registry.register(
            registry.HOME_BLOCKS, "acknowledgements", selectors.acknowledgement_home_items,
            order=60, template="meetings/_home_acknowledgements.html",
        )
        registry.register(
            registry.HOME_BLOCKS, "meetings", selectors.meeting_home_items, order=110, template="meetings/_home_meetings.html"
        )
        # The unit's timeline (dashboards): what happened here, never naming a child.
        from omavalvonta.meetings import timeline

        registry.register(
            registry.UNIT_TIMELINE, "meetings", timeline.meeting_timeline, order=40, label=_("Meetings")
        )
        # Search across units (search): the texts in Finnish inflections, within the searcher's scope.
        from omavalvonta.meetings import search

        registry.register(
            registry.SEARCH_SOURCES, "minutes", search.minutes_search, order=30, label=_("Meeting minutes")
        )
