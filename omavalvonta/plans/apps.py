from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """Units' self-supervision plans and good-treatment plans, the group's
    self-supervision programme and its four-monthly follow-up reports."""

    name = "omavalvonta.plans"
    label = "plans"
    verbose_name = _("Self-supervision plans")

    def ready(self):
        # Imported here: services import models, which need the app registry ready.
        from omavalvonta.core import jobs, registry
        from omavalvonta.plans.home import plan_home_items
        from omavalvonta.plans.selectors import (
            evidence_plan_versions,
            followup_home_items,
            plan_reviews_for_agenda,
        )

        # A plan whose review is due comes to the unit's meetings' agenda.
        registry.register(registry.AGENDA_SOURCES, "plan_review", plan_reviews_for_agenda, order=50, kind="plan_review")
        from omavalvonta.plans.programme import followup_reports_prepare, followup_reports_remind
        from omavalvonta.plans.services import plan_reviews_remind

        registry.register(
            registry.EVIDENCE_SOURCES, "plans.planversion", evidence_plan_versions,
            order=10, group_label=_("Approved plan versions"),
        )
        jobs.register("plans.review_reminders", plan_reviews_remind, every_seconds=6 * 3600)
        jobs.register("plans.followup_reports", followup_reports_prepare, every_seconds=6 * 3600)
        jobs.register("plans.followup_publication", followup_reports_remind, every_seconds=6 * 3600)
        registry.register(registry.HOME_BLOCKS, "plans", plan_home_items, order=80, template="plans/_home_plans.html")
        registry.register(registry.HOME_BLOCKS, "followup", followup_home_items, order=90, template="plans/_home_followup.html")
        # The group programme's four-monthly review: reminded to the quality
        # director, escalated to the management group when late.
        from omavalvonta.organisation.models import Role
        from omavalvonta.plans.selectors import programme_duties, programme_duties_from, programme_duty_facts

        registry.register(
            registry.DUTY_SOURCES, "plans.programme_review", programme_duties,
            label=_("Self-supervision programme review"), organisation=True, remind_days_before=21,
            roles=(Role.QUALITY_DIRECTOR,), facts=programme_duty_facts, duties_from=programme_duties_from,
        )
        # The unit's timeline (dashboards): what happened here, never naming a child.
        from omavalvonta.plans import timeline

        registry.register(
            registry.UNIT_TIMELINE, "plans", timeline.plan_timeline, order=50, label=_("Plans")
        )
