"""What other areas do when a meeting's minutes are closed.

The meetings area cannot import the areas that build on it, so they register a
function here from their AppConfig.ready(): the quality calendar marks the
supervisor's-review duty done when such a meeting is held.

    hooks.on_minutes_closed(fulfil_the_duty)

Hooks run inside the transaction that closes the minutes, each in a savepoint:
a failing hook is logged and undone alone, and never keeps the minutes open
(the duty can still be marked done by hand)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

log = logging.getLogger(__name__)

_MINUTES_CLOSED: list[Callable] = []


def on_minutes_closed(func: Callable) -> Callable:
    """Register `func(*, actor, meeting)`; registering the same function again is a no-op."""
    if func not in _MINUTES_CLOSED:
        _MINUTES_CLOSED.append(func)
    return func


def minutes_closed(*, actor, meeting) -> None:
    """Called by meetings.services.meeting_close."""
    for func in list(_MINUTES_CLOSED):
        try:
            with transaction.atomic():
                func(actor=actor, meeting=meeting)
        except Exception:
            log.exception("Minutes hook %s failed for meeting %s", getattr(func, "__name__", func), meeting.pk)
