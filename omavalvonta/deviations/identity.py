"""Who reported a deviation: who may see the reporter (the one home of the
rule, `reporter_display` and `reporter_visible`) and the dialogue between the
handler and the reporter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from omavalvonta.core.selectors import audit_events_for
from omavalvonta.core.services import access_log_record
from omavalvonta.deviations.models import (
    Deviation,
)
from omavalvonta.organisation import access

# --- Who reported ---------------------------------------------------------------------
#
# The one home of the rule: every page, list, export, message or timeline that
# could name a reporter asks `reporter_display` (or `reporter_visible`).
#
# * The reporter themselves: "you".
# * An anonymous report (or one from the public channel): nobody.
# * A protected identity (`Deviation.identity_protected`: a § 29 grievance):
#   nobody by default, not the handler nor a director. The unit's responsible
#   person (deviation.disclose_reporter) may disclose it for one report through a
#   reasoned step (`services.deviation_reporter_disclose`, an audit event with
#   the reason); from then on the name is shown to them on that report, each
#   showing written to the access log.
# * Any other report: deviation.view_reporter (or the named handler), each
#   showing written to the access log.

REPORTER_YOU = "you"
REPORTER_SHOWN = "shown"
REPORTER_ANONYMOUS = "anonymous"
REPORTER_PROTECTED = "protected"  # a § 29 identity, disclosed to nobody (yet)
REPORTER_HIDDEN = "hidden"  # an ordinary report; this reader has no right to the name

DISCLOSED_VERB = "deviation.reporter_disclosed"


@dataclass(frozen=True)
class ReporterDisplay:
    """What one reader may know of a report's reporter. `name` only when shown;
    `can_disclose`: a protected identity this reader may disclose (with a reason)."""

    state: str
    name: str | None = None
    can_disclose: bool = False

    @property
    def is_shown(self) -> bool:
        return self.state in (REPORTER_YOU, REPORTER_SHOWN)


def _is_active(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.is_active)


def may_disclose_reporter(actor, deviation: Deviation) -> bool:
    """May `actor` disclose this report's protected identity (its unit's
    responsible person; never for an anonymous report)?"""
    if not deviation.identity_protected or deviation.is_anonymous or deviation.reporter_id is None:
        return False
    if not _is_active(actor) or actor.pk == deviation.reporter_id:
        return False
    return access.can(actor, access.P_DEVIATION_DISCLOSE_REPORTER, deviation.unit, kind=deviation.kind)


def _disclosed_to(actor, deviation: Deviation) -> bool:
    return audit_events_for(deviation).filter(verb=DISCLOSED_VERB, actor_id=actor.pk).exists()


def _reporter_state(actor, deviation: Deviation) -> tuple[str, bool, str]:
    """(state, can_disclose, the right a showing is logged under). Reads nothing
    into the access log."""
    if deviation.is_anonymous or deviation.reporter_id is None:
        return REPORTER_ANONYMOUS, False, ""
    if not _is_active(actor):
        return REPORTER_HIDDEN, False, ""
    if actor.pk == deviation.reporter_id:
        return REPORTER_YOU, False, ""
    if deviation.identity_protected:
        if not may_disclose_reporter(actor, deviation):
            return REPORTER_PROTECTED, False, ""
        if _disclosed_to(actor, deviation):
            return REPORTER_SHOWN, False, access.P_DEVIATION_DISCLOSE_REPORTER
        return REPORTER_PROTECTED, True, ""
    if access.can_on(actor, deviation, access.P_DEVIATION_VIEW_REPORTER):
        return REPORTER_SHOWN, False, access.P_DEVIATION_VIEW_REPORTER
    return REPORTER_HIDDEN, False, ""


def reporter_visible(*, actor, deviation: Deviation) -> bool:
    """Would `reporter_display` name the reporter to `actor`? Logs nothing: for
    parts of a page (a timeline, a message thread) whose page calls
    `reporter_display`, which logs the showing once."""
    return _reporter_state(actor, deviation)[0] in (REPORTER_YOU, REPORTER_SHOWN)


def reporter_display(*, actor, deviation: Deviation, request=None) -> ReporterDisplay:
    """What `actor` may see of who reported, for the template component
    deviations/_reporter.html. A name shown to anyone but the reporter writes an
    access-log row (what="deviation.reporter", with the right used)."""
    state, can_disclose, right = _reporter_state(actor, deviation)
    if state == REPORTER_YOU:
        return ReporterDisplay(state, name=deviation.reporter.full_name)
    if state == REPORTER_SHOWN:
        access_log_record(
            actor=actor, target=deviation, what="deviation.reporter", right=right, unit=deviation.unit, request=request
        )
        return ReporterDisplay(state, name=deviation.reporter.full_name)
    return ReporterDisplay(state, can_disclose=can_disclose)


# --- The dialogue with the reporter ------------------------------------------------------------


@dataclass(frozen=True)
class ThreadMessage:
    """One message as a page shows it: who (as the viewer may know them), when, what."""

    at: dt.datetime
    to_reporter: bool
    author_label: str
    body: str


def reporter_label(*, actor, deviation: Deviation) -> str:
    """The name a message from the reporter goes under for `actor`: "You" to the
    reporter, the name where reporter_display would show it, otherwise a neutral
    "Reporter". Logs nothing: the page calls reporter_display, which logs once."""
    if not reporter_visible(actor=actor, deviation=deviation):
        return str(_("Reporter"))
    if getattr(actor, "pk", None) == deviation.reporter_id:
        return str(_("You"))
    return deviation.reporter.full_name


def deviation_messages(*, actor, deviation: Deviation) -> list[ThreadMessage]:
    """The messages between the handler and the reporter of an (already
    authorised) report, oldest first. Staff see who asked; the reporter's name
    only as the one rule allows (reporter_label); the reporter sees "Handler"."""
    rows = list(deviation.messages.select_related("author").order_by("created_at", "id"))
    if not rows:
        return []
    is_reporter = deviation.reporter_id is not None and getattr(actor, "pk", None) == deviation.reporter_id
    sees_staff = not is_reporter or access.can_on(actor, deviation, access.P_DEVIATION_HANDLE)
    from_reporter = reporter_label(actor=actor, deviation=deviation) if any(not m.to_reporter for m in rows) else ""
    thread = []
    for m in rows:
        label = from_reporter
        if m.to_reporter:
            label = m.author.full_name if sees_staff and m.author_id and m.author else str(_("Handler"))
        thread.append(ThreadMessage(at=m.created_at, to_reporter=m.to_reporter, author_label=label, body=m.body))
    return thread


def followup_messages(*, deviation: Deviation) -> list[ThreadMessage]:
    """The messages of a report opened with its follow-up code, for the public
    follow-up page: nobody is named ("Handler", "You")."""
    return [
        ThreadMessage(
            at=m.created_at,
            to_reporter=m.to_reporter,
            author_label=str(_("Handler")) if m.to_reporter else str(_("You")),
            body=m.body,
        )
        for m in deviation.messages.order_by("created_at", "id")
    ]


def question_waits(messages: list[ThreadMessage]) -> bool:
    """Is the latest message a question the reporter has not answered yet?"""
    return bool(messages) and messages[-1].to_reporter
