"""A report's own timeline on its page: readable lines of the events in its
audit trail (selectors.deviation_timeline), naming the reporter only to those
who may see them."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from omavalvonta.core.lib.dates import fi_timestamp
from omavalvonta.core.selectors import audit_events_for
from omavalvonta.core.timeline import TimelineEntry
from omavalvonta.deviations.identity import DISCLOSED_VERB, reporter_visible
from omavalvonta.deviations.models import Deviation, InformedParty, NotificationPurpose, RiskLevel

__all__ = ["deviation_timeline"]


def _classified_label(data) -> str:
    risk = data.get("risk_level")
    risk_label = str(RiskLevel(risk).label).lower() if risk in RiskLevel.values else "?"
    if data.get("is_critical"):
        return _("Classified: risk %(risk)s, critical") % {"risk": risk_label}
    return _("Classified: risk %(risk)s") % {"risk": risk_label}


def _county_notified_label(data) -> str:
    counties = data.get("counties")
    if counties:
        return _("County notified: %(counties)s") % {"counties": ", ".join(counties)}
    return _("County notified")


def _authority_notified_label(data) -> str:
    if data.get("purpose") == NotificationPurpose.ESCALATION:
        return _("Escalated to the supervisory authority")
    return _("Supervisory authority notified")


def _clock_started_label(data) -> str:
    return _("Statutory notification clock started (%(source)s): notify by %(due)s") % {
        "source": data.get("source", ""),
        "due": fi_timestamp(_as_datetime(data.get("due"))),
    }


def _notification_completed_label(data) -> str:
    if data.get("late"):
        return _("Statutory notifications completed late")
    return _("Statutory notifications completed in time")


def _party_label(data) -> str:
    party = data.get("party")
    return str(InformedParty(party).label) if party in InformedParty.values else "?"


def _handling_decided_label(data) -> str:
    if data.get("proposal_id"):
        return _("Handling questions answered: the instruction must change (a proposal was sent)")
    return _("Handling questions answered")


def _closed_label(data) -> str:
    if data.get("uncorrected_reason"):
        return _("Closed before the shortcoming was corrected: %(reason)s") % {"reason": data["uncorrected_reason"]}
    return _("Closed")


# The line of each event on the report's timeline, by verb: a fixed text or one
# made from the event's data.
_TIMELINE_LABELS = {
    "deviation.submitted": lambda data: _("Submitted"),
    "deviation.assigned": lambda data: _("Handler named: %(name)s") % {"name": data.get("handler_name") or "?"},
    "deviation.classified": _classified_label,
    "deviation.action_added": lambda data: _("Corrective action decided"),
    "deviation.answered": lambda data: _("Reporter answered"),
    "deviation.county_notified": _county_notified_label,
    "deviation.authority_notified": _authority_notified_label,
    "deviation.clock_started": _clock_started_label,
    "deviation.serious_alerted": lambda data: _("The responsible persons were alerted at once"),
    "deviation.notification_completed": _notification_completed_label,
    "deviation.notification_late": lambda data: _("Statutory notification deadline passed"),
    "deviation.message_to_reporter": lambda data: _("Question to the reporter"),
    "deviation.message_from_reporter": lambda data: _("Message from the reporter"),
    "deviation.informed_added": lambda data: _("Recorded who was informed: %(party)s") % {"party": _party_label(data)},
    "deviation.informed_removed": lambda data: _("Removed an informed party: %(party)s") % {"party": _party_label(data)},
    "deviation.handling_decided": _handling_decided_label,
    "deviation.closed": _closed_label,
    "deviation.reopened": lambda data: _("Reopened: %(reason)s") % {"reason": data.get("reason", "")},
    "deviation.escalated": lambda data: _("Escalated to the manager"),
    DISCLOSED_VERB: lambda data: _("The reporter's protected identity was disclosed (the reason is recorded)"),
}


def _timeline_label(verb: str, data) -> str | None:
    label = _TIMELINE_LABELS.get(verb)
    return label(data or {}) if label is not None else None


# Events whose actor is the reporter: named only to those who may see them.
_REPORTER_VERBS = ("deviation.submitted", "deviation.message_from_reporter")


def _as_datetime(value) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def deviation_timeline(*, actor, deviation: Deviation) -> list[TimelineEntry]:
    """Readable events from the audit trail. Never names the reporter to someone
    who may not see them.

    Writes no access-log row: the page showing the timeline discloses the reporter
    through reporter_display(), which logs it once."""
    show_reporter = reporter_visible(actor=actor, deviation=deviation)
    entries = []
    # Only what a line shows: not a whole event and User a line.
    for at, verb, data, actor_name in audit_events_for(deviation).values_list("at", "verb", "data", "actor__full_name"):
        label = _timeline_label(verb, data)
        if label is None:  # a verb the timeline does not tell (yet)
            continue
        # The submitter is the reporter; whoever else acted is staff doing their job.
        if verb in _REPORTER_VERBS and not show_reporter:
            actor_name = None
        entries.append(TimelineEntry(at=at, label=label, actor_name=actor_name))
    return entries
