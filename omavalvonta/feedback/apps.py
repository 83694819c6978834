from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Client-experience surveys: question sets per respondent group, quarterly
    rounds per unit, anonymous answers and their figures (NPS, averages), and the
    public feedback channel's messages."""

    name = "omavalvonta.feedback"
    label = "feedback"
    verbose_name = _("Client feedback")

    def ready(self):
        from omavalvonta.core import registry

        # Feedback to a unit steers its action plan (improvement's goal prompts).
        from omavalvonta.feedback import goal_prompt, reports, selectors, services, tallies
        from omavalvonta.organisation import hooks

        goal_prompt.register()

        # Answers in the retention table (privacy); destroyed ones leave the tallies.
        registry.register(
            registry.RETENTION, "feedback_response", services.responses_due, order=30,
            label=_("Client feedback answers"), event=_("the answer"), destroy=services.responses_destroy,
            model_label="feedback.response",
        )

        # The unit's feedback report comes to its meetings' agenda.
        registry.register(
            registry.AGENDA_SOURCES, "feedback_report", reports.feedback_report_for_agenda, order=20, kind="feedback_report"
        )

        registry.register(
            registry.HOME_BLOCKS, "rounds", selectors.round_home_items, order=120, template="feedback/_home_rounds.html"
        )
        # The purchasing county's view and API: its units' answers and NPS, small groups hidden.
        registry.register(
            registry.COUNTY_SECTIONS, "feedback", selectors.county_figures, order=10,
            title=_("Client feedback in the county's units"), template="feedback/_county_figures.html",
        )
        # A unit moved to another region or service type takes its feedback sums along.
        hooks.on_unit_saved(tallies.unit_rescope)
        # The unit's timeline (dashboards): what happened here, never naming a child.
        from omavalvonta.feedback import timeline

        registry.register(
            registry.UNIT_TIMELINE, "feedback", timeline.round_timeline, order=80, label=_("Feedback")
        )
