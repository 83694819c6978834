"""What the restrictions area contributes to others through core.registry: the
panel of a child's restrictive measures on the child's page (clients), on a
deviation's page the measures recorded about the same event, the documents the
child's social worker downloads with a one-time code (clients' delivery), the
figures for the meeting agenda and the reports. Neither imports anything of
this area."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from omavalvonta.core import registry


def register() -> None:
    from omavalvonta.restrictions import documents, home, selectors, services

    registry.register(registry.CHILD_PANELS, "restrictions", selectors.child_panel, order=10)
    # After the named children (clients, 5): the measures recorded about the same event.
    registry.register(registry.DEVIATION_PANELS, "restrictions", selectors.deviation_panel, order=7)
    # A measure that went wrong opens a deviation report about the same event.
    registry.register(registry.REPORT_ORIGINS, "restriction", services.restriction_deviation_link, prefill=selectors.report_origin)
    registry.register(
        registry.AGENDA_SOURCES, "restrictions.last_month", selectors.last_month_for_agenda,
        order=115, kind="other", once=False,
    )
    registry.register(
        registry.REPORT_SECTIONS, "restrictions", selectors.period_figures, title=_("Restrictive measures")
    )
    registry.register(registry.PLAN_FACTS, "restrictions", selectors.plan_fact)
    # The purchasing county's view and API: measures on its own children, counts only.
    registry.register(
        registry.COUNTY_SECTIONS, "restrictions", selectors.county_figures, order=20,
        title=_("Restrictive measures on the county's children"), template="restrictions/_county_figures.html",
    )
    # After the statutory notifications and the reports I handle.
    registry.register(
        registry.HOME_BLOCKS, "restrictions", home.restriction_home_items,
        order=25, template="restrictions/_home_restrictions.html",
    )
    registry.register(
        registry.SOCIAL_WORKER_DOCUMENTS, services.NOTICE, documents.notice_document,
        title=_("information on restrictive measures"),
    )
    registry.register(
        registry.SOCIAL_WORKER_DOCUMENTS, services.ASSESSMENT, documents.assessment_document,
        title=_("a request to assess the service need"),
    )
    # The unit's timeline (dashboards): what happened here, never naming a child.
    from omavalvonta.restrictions import timeline

    registry.register(
        registry.UNIT_TIMELINE, "restrictions", timeline.restriction_timeline, order=100, label=_("Restrictive measures")
    )
