"""What the outcomes area contributes to other areas, through core.registry:
the panel on the child's page (clients) and the count of measurements due on
the unit's meeting agenda (meetings). Neither imports anything of this area."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from omavalvonta.core import jobs, registry
from omavalvonta.outcomes import duty_counts, effectiveness, report, schedule


def register() -> None:
    from omavalvonta.outcomes import retention

    retention.register()  # the measurements in privacy's retention table
    from omavalvonta.outcomes import selectors

    registry.register(registry.CHILD_PANELS, "outcomes", selectors.child_panel)
    registry.register(
        registry.HOME_BLOCKS, "measurements", selectors.measurement_home_items,
        order=30, template="outcomes/_home_measurements.html",
    )
    registry.register(
        registry.AGENDA_SOURCES, "outcomes.measurements_due", selectors.measurements_for_agenda,
        order=110, kind="other", once=False,
    )
    # The quality calendar reminds of due measurements and escalates late ones.
    registry.register(
        registry.DUTY_SOURCES, "outcomes.measurements", selectors.measurement_duties,
        counts=duty_counts.measurement_duty_counts,
        label=gettext_lazy("Functional-capacity measurements"), remind_days_before=schedule.WINDOW_BEFORE,
        unit_link=lambda unit_id: reverse("outcomes:unit_effectiveness", args=[unit_id]),
    )
    # The organisation's effectiveness figures, kept fresh for the directors' page.
    jobs.register("outcomes.effectiveness", effectiveness.refresh, every_seconds=effectiveness.REFRESH_SECONDS)
    # The follow-up report and the unit's self-supervision plan show the effectiveness figures.
    registry.register(
        registry.REPORT_SECTIONS, "effectiveness", selectors.effectiveness_section,
        title=gettext_lazy("Effectiveness"),
    )
    # The report to the child's social worker: a link and a one-time code (clients'
    # delivery), on demand and at each quarter's start for the last quarter.
    jobs.register("outcomes.quarterly_reports", _quarterly_reports, every_seconds=3600)
    registry.register(
        registry.SOCIAL_WORKER_DOCUMENTS, report.REPORT, report.child_report_document,
        title=gettext_lazy("a report on functional capacity and goals"),
    )
    # The unit's timeline (dashboards): what happened here, never naming a child.
    from omavalvonta.outcomes import timeline

    registry.register(
        registry.UNIT_TIMELINE, "outcomes", timeline.measurement_timeline, order=90, label=gettext_lazy("Functional capacity")
    )


def _quarterly_reports() -> int:
    from omavalvonta.outcomes import services

    return services.quarterly_reports_send()
