"""What the competence area contributes to others through core.registry: the
count of expired and expiring qualifications on the unit's meeting agenda
(meetings) and the staffing facts of the self-supervision plan (plans). Neither
imports anything of this area."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from omavalvonta.core import registry


def _person_left(**kwargs) -> None:
    from omavalvonta.people import services

    services.person_left(**kwargs)


def register() -> None:
    from omavalvonta.people import orientation_selectors, selectors, subject_data, training_selectors

    registry.register(
        registry.AGENDA_SOURCES, "people.competence", selectors.competence_for_agenda,
        order=120, kind="other", once=False,
    )
    registry.register(registry.PLAN_FACTS, "staffing", selectors.staffing_facts)
    registry.register(
        registry.HOME_BLOCKS, "competence", selectors.competence_home_items,
        order=40, template="people/_home_competence.html",
    )
    # Orientation: the newcomer's and the mentor's block, the late items as the
    # quality calendar's duties (reminded to the mentor, escalated to the unit's
    # leaders, once each), and a leaver's orientations (organisation).
    registry.register(
        registry.HOME_BLOCKS, "orientation", orientation_selectors.orientation_home_items,
        order=35, template="people/_home_orientation.html",
    )
    registry.register(
        registry.DUTY_SOURCES, "people.orientation", orientation_selectors.orientation_duties,
        counts=orientation_selectors.orientation_duty_counts,
        label=gettext_lazy("Orientation items"), remind_days_before=0,
        unit_link=lambda unit_id: reverse("people:orientations", args=[unit_id]),
    )
    registry.register(
        registry.DUTY_SOURCES, "people.development", training_selectors.development_duties,
        counts=training_selectors.development_duty_counts,
        label=gettext_lazy("Development discussions"), remind_days_before=training_selectors.DISCUSSION_REMIND_DAYS,
        unit_link=lambda unit_id: reverse("people:unit", args=[unit_id]),
    )
    # The unit's leaders: late orientation items and late development discussions, as counts.
    registry.register(
        registry.HOME_BLOCKS, "people.leading", training_selectors.leader_home_items,
        order=41, template="people/_home_leading.html",
    )
    registry.register(registry.MEMBERSHIP_ENDED, "people.orientation", _person_left)
    # What a person's access request finds here (privacy's compile).
    registry.register(registry.SUBJECT_DATA, "people.qualifications", subject_data.subject_data, order=30)
    registry.register(
        registry.SUBJECT_ACTIONS, "people.qualifications", subject_data.subject_items, order=30,
        title=gettext_lazy("Checks and qualifications"), apply=subject_data.subject_apply,
    )
