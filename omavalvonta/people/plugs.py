"""What the competence area contributes to others through core.registry: the
count of expired and expiring qualifications on the unit's meeting agenda
(meetings) and the staffing facts of the self-supervision plan (plans). Neither
imports anything of this area."""

from __future__ import annotations

from omavalvonta.core import registry


def register() -> None:
    from omavalvonta.people import selectors, subject_data

    registry.register(
        registry.AGENDA_SOURCES, "people.competence", selectors.competence_for_agenda,
        order=120, kind="other", once=False,
    )
    registry.register(registry.PLAN_FACTS, "staffing", selectors.staffing_facts)
    registry.register(
        registry.HOME_BLOCKS, "competence", selectors.competence_home_items,
        order=40, template="people/_home_competence.html",
    )
    # What a person's access request finds here (privacy's compile).
    registry.register(registry.SUBJECT_DATA, "people.qualifications", subject_data.subject_data, order=30)
