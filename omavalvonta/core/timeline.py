"""One entry of a record's timeline (a deviation, an action, a guidance item),
read from its audit events and shown by `templates/components/timeline.html`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    label: str  # translated and readable ("Classified: risk high")
    actor_name: str | None  # None where the viewer may not see who (a protected reporter)
    detail: str = ""
