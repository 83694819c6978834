"""What the outcomes area contributes to other areas, through core.registry:
the panel on the child's page (clients), which imports nothing of this area."""

from __future__ import annotations

from omavalvonta.core import registry


def register() -> None:
    from omavalvonta.outcomes import selectors

    registry.register(registry.CHILD_PANELS, "outcomes", selectors.child_panel)
