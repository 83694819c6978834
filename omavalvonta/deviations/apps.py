from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeviationsConfig(AppConfig):
    name = "omavalvonta.deviations"
    label = "deviations"
    verbose_name = _("Deviations")

    def ready(self):
        # Imported here: services import models, which need the app registry ready.
        from omavalvonta.core import jobs, offline, registry
        from omavalvonta.deviations import home, subject_data
        from omavalvonta.deviations.services import deviations_escalate_stalled, deviations_statutory_clock_check, retention

        # What a person's access request finds here (privacy's compile).
        subject_data.register()
        # A report steers its unit's action plan (improvement's goal prompts).
        from omavalvonta.deviations import goal_prompt

        goal_prompt.register()
        # Closed reports and their attachments in the retention table (privacy).
        retention.register()

        jobs.register("deviations.escalate_stalled", deviations_escalate_stalled, every_seconds=300)
        # The reports' running counts (report_counts.py): their triggers after every
        # migrate, their rows summed every hour.
        from django.db.models.signals import post_migrate

        from omavalvonta.deviations import report_counts

        post_migrate.connect(report_counts.ensure, sender=self, dispatch_uid="deviations.report_counts")
        jobs.register("deviations.report_counts", report_counts.report_counts_job, every_seconds=3600)
        # The § 28 clock runs by the hour of the day: check it often.
        jobs.register("deviations.statutory_clock", deviations_statutory_clock_check, every_seconds=300)

        # The home page: the statutory notifications first, then the reports the person handles.
        registry.register(
            registry.HOME_BLOCKS, "statutory", home.statutory_clock_home_items,
            order=10, template="deviations/_home_statutory.html",
        )
        registry.register(
            registry.HOME_BLOCKS, "queue", home.handler_queue_home_items, order=20, template="deviations/_home_queue.html"
        )

        # Proposals to change an instruction: the responsible person's open ones on
        # the home page; undecided ones reminded and escalated by the quality
        # calendar (proposals.py says after how many days).
        from django.urls import reverse
        from django.utils.translation import gettext_lazy

        from omavalvonta.deviations import proposals

        registry.register(
            registry.HOME_BLOCKS, "instruction_proposals", proposals.proposal_home_items,
            order=25, template="deviations/_home_proposals.html",
        )
        registry.register(
            registry.DUTY_SOURCES, "deviations.instruction_proposals", proposals.proposal_duties,
            counts=proposals.proposal_duty_counts,
            label=gettext_lazy("Proposals to change an instruction"),
            remind_days_before=proposals.PROPOSAL_REMIND_DAYS_BEFORE,
            unit_link=lambda unit_id: reverse("deviations:proposals"),
        )

        # The report form opens without a network (the service worker keeps its
        # offline copy) and its reports wait in the browser's queue.
        offline.register_page(
            "deviations:new_offline",
            fallback_for="deviations:new",
            title=_("Report a deviation"),
            options_url_name="deviations:offline_units",
        )
        # A learning review can be opened from a report (learning reads the slot).
        from omavalvonta.deviations import learning_origin

        learning_origin.register()
        # The purchasing county's own view and API: what was notified to it.
        from omavalvonta.deviations import county

        registry.register(
            registry.COUNTY_NOTIFICATIONS, "deviations", county.county_notifications,
            detail=county.county_notification_detail, labels=county.labels,
        )
        # The unit's timeline (dashboards): what happened here, never naming a child.
        from omavalvonta.deviations import timeline

        registry.register(
            registry.UNIT_TIMELINE, "deviations", timeline.deviation_timeline, order=10, label=_("Deviations and grievances")
        )
        registry.register(
            registry.UNIT_TIMELINE, "notifications", timeline.notification_timeline, order=20, label=_("Statutory notifications")
        )
        # Search across units (search): the texts in Finnish inflections, within the searcher's scope.
        from omavalvonta.deviations import search

        registry.register(
            registry.SEARCH_SOURCES, "deviations", search.deviation_search, order=10, label=_("Deviations")
        )
