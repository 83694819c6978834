"""What other areas do when the organisation's structure changes.

The organisation app is the base every area builds on, so it cannot import
them. An area registers a function in core.registry's UNIT_SAVED slot from its
AppConfig.ready() (`on_unit_saved` does it), e.g. the quality calendar gives a
new unit its duties at once:

    hooks.on_unit_saved(make_the_units_duties)

Hooks run after the unit's transaction commits, so a failing hook never undoes
the administrator's change; it is logged, and the area's own periodic job
catches up later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

from omavalvonta.core import registry

log = logging.getLogger(__name__)


def on_unit_saved(func: Callable) -> Callable:
    """Register `func(*, unit, created)`; registering the same function again is a no-op."""
    return registry.register(registry.UNIT_SAVED, f"{func.__module__}.{func.__qualname__}", func)


def unit_saved(*, unit, created: bool) -> None:
    """Called by the unit services: runs every hook once the transaction commits."""

    def run():
        for func in [entry.func for entry in registry.entries(registry.UNIT_SAVED)]:
            try:
                func(unit=unit, created=created)
            except Exception:
                log.exception("Unit hook %s failed for unit %s", getattr(func, "__name__", func), unit.pk)

    transaction.on_commit(run)
