"""What the restrictions area contributes to others through core.registry: the
panel of a child's restrictive measures on the child's page (clients), and on a
deviation's page the measures recorded about the same event. Neither imports
anything of this area."""

from __future__ import annotations

from omavalvonta.core import registry


def register() -> None:
    from omavalvonta.restrictions import selectors

    registry.register(registry.CHILD_PANELS, "restrictions", selectors.child_panel, order=10)
    # After the named children (clients, 5): the measures recorded about the same event.
    registry.register(registry.DEVIATION_PANELS, "restrictions", selectors.deviation_panel, order=7)
