"""What the outcomes area contributes to other areas, through core.registry:
the panel on the child's page (clients) and the count of measurements due on
the unit's meeting agenda (meetings). Neither imports anything of this area."""

from __future__ import annotations

from omavalvonta.core import registry


def register() -> None:
    from omavalvonta.outcomes import selectors

    registry.register(registry.CHILD_PANELS, "outcomes", selectors.child_panel)
    registry.register(
        registry.AGENDA_SOURCES, "outcomes.measurements_due", selectors.measurements_for_agenda,
        order=110, kind="other", once=False,
    )
