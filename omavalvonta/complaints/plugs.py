"""What the complaints area contributes to others through core.registry: the
home page's block (the open complaints I handle), the quality calendar's
duties (the written answer, reminded to the handler and escalated to the
unit's leaders once late), the follow-up report's figures and the unit's
timeline. None of them imports anything of this area."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from omavalvonta.core import registry


def register() -> None:
    from omavalvonta.complaints import retention, selectors, subject_data, timeline

    retention.register()
    subject_data.register()

    registry.register(
        registry.HOME_BLOCKS, "complaints", selectors.home_items, order=27, template="complaints/_home_complaints.html"
    )
    registry.register(
        registry.DUTY_SOURCES, "complaints.answers", selectors.complaint_duties, counts=selectors.complaint_duty_counts,
        label=_("Answers to complaints"), remind_days_before=selectors.REMIND_DAYS_BEFORE,
        unit_link=lambda unit_id: reverse("complaints:list") + f"?unit={unit_id}&state=open",
    )
    registry.register(registry.REPORT_SECTIONS, "complaints", selectors.period_figures, title=_("Complaints"))
    registry.register(
        registry.UNIT_TIMELINE, "complaints", timeline.complaint_timeline, order=65, label=_("Complaints")
    )
