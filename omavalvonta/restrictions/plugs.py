"""What the restrictions area contributes to others through core.registry: the
panel of a child's restrictive measures on the child's page (clients). Clients
imports nothing of this area."""

from __future__ import annotations

from omavalvonta.core import registry


def register() -> None:
    from omavalvonta.restrictions import selectors

    registry.register(registry.CHILD_PAGE_PANELS, "restrictions", selectors.child_panel, order=10)
