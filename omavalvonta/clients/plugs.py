"""What the clients area contributes to other areas, through core.registry:
the report form's child chooser, the naming of children on a report, the
recipients (placing counties, social workers) of a report's statutory
notifications, and the panel of those children on the deviation page. The other areas import nothing of this one."""

from __future__ import annotations

from omavalvonta.core import registry


def register() -> None:
    from omavalvonta.clients import selectors, services

    registry.register(registry.CHILD_CHOICES, "clients", selectors.child_choices)
    registry.register(registry.CHILDREN_NAME, "clients", services.record_children_name)
    # A destroyed record (a deviation report) no longer names the child.
    registry.register(registry.RECORD_DESTROYED, "clients", services.mentions_forget)
    registry.register(registry.CHILDREN_RECIPIENTS, "clients", selectors.record_recipients)
    # The units where a county has children placed now (the county's own view and API).
    registry.register(registry.COUNTY_PLACEMENTS, "clients", selectors.county_placement_units)
    # Before the known risks (risks registers at 10): the handler first sees whom the report concerns.
    registry.register(registry.DEVIATION_PANELS, "clients", selectors.deviation_panel, order=5)
