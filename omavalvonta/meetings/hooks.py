"""What other areas do when a meeting's minutes are closed.

The meetings area imports nothing of the areas that act on it, so they register
a function in core.registry's MINUTES_CLOSED slot from their AppConfig.ready():
the quality calendar marks the supervisor's-review duty done when such a
meeting is held.

    registry.register(registry.MINUTES_CLOSED, "yearclock", fulfil_the_duty)

Hooks run inside the transaction that closes the minutes, each in a savepoint:
a failing hook is logged and undone alone, and never keeps the minutes open
(the duty can still be marked done by hand)."""

from __future__ import annotations

import logging

from django.db import transaction

from omavalvonta.core import registry

log = logging.getLogger(__name__)


def minutes_closed(*, actor, meeting) -> None:
    """Called by meetings.services.meeting_close."""
    for func in [entry.func for entry in registry.entries(registry.MINUTES_CLOSED)]:
        try:
            with transaction.atomic():
                func(actor=actor, meeting=meeting)
        except Exception:
            log.exception("Minutes hook %s failed for meeting %s", getattr(func, "__name__", func), meeting.pk)
