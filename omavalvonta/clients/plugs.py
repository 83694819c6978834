"""What the clients area contributes to other areas, through core.registry:
the report form's child chooser, the naming of children on a report, and the
recipients (placing counties, social workers) of a report's statutory
notifications. The other areas import nothing of this one."""

from __future__ import annotations

from omavalvonta.core import registry


def register() -> None:
    from omavalvonta.clients import selectors, services

    registry.register(registry.CHILD_CHOICES, "clients", selectors.child_choices)
    registry.register(registry.CHILDREN_NAME, "clients", services.record_children_name)
    registry.register(registry.CHILDREN_RECIPIENTS, "clients", selectors.record_recipients)
