"""Reads of deviations. CONTRACT: signatures fixed. Every read starts from
Deviation.objects.for_actor(actor, perm) or access.access_object(...)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from omavalvonta.deviations.models import Deviation


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    label: str  # translated, readable ("Classified: risk high")
    actor_name: str | None  # None where the viewer may not see who (the reporter)


def deviation_get(*, actor, pk, perm: str = "deviation.view", request=None) -> Deviation:
    """One report for `actor`: 404 outside their units, 403 inside without `perm`.
    Writes an access-log row (what="deviation.detail", right=perm)."""
    raise NotImplementedError


def deviation_reporter(*, actor, deviation: Deviation, request=None):
    """The reporter (a User) if `actor` may see them (deviation.view_reporter or
    the named handler) and the report is not anonymous; logs the disclosure
    (what="deviation.reporter"). Otherwise None."""
    raise NotImplementedError


def deviation_list(*, actor, filters: dict | None = None):
    """Reports `actor` may view, newest first, with unit, region and handler
    joined. filters: kind, state, risk_level, unit (id), region (id), date_from,
    date_to (dates, on submitted_at in Helsinki time), overdue (bool), q (text in
    number/description), team_meeting (bool)."""
    raise NotImplementedError


def deviation_list_mine(*, actor):
    """Reports `actor` filed under their own name, newest first."""
    raise NotImplementedError


def deviation_timeline(*, actor, deviation: Deviation) -> list[TimelineEntry]:
    """Readable events from the audit trail. Never names the reporter to someone
    who may not see them."""
    raise NotImplementedError


def deviation_export_rows(*, actor, filters: dict | None = None):
    """Header row then one row per report for CSV (requires deviation.export);
    never the reporter's identity. Streams (iterator)."""
    raise NotImplementedError


def deviation_for_followup_code(*, code: str) -> Deviation | None:
    """The report a follow-up code belongs to, or None. Constant-time digest compare."""
    raise NotImplementedError


def handler_candidates(*, unit):
    """People who can handle reports in `unit` (for the assign and routing forms)."""
    raise NotImplementedError
