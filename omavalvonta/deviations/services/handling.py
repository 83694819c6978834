"""The handler's work: assign, classify, decide actions, answer, close, reopen."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from omavalvonta.deviations import rules
from omavalvonta.deviations.models import (
    Consequence,
    Deviation,
    Kind,
    Likelihood,
    NotificationRecipient,
    State,
)
from omavalvonta.deviations.services._common import (
    _assigned_event,
    _check_max_length,
    _clean_text,
    _county_notifications,
    _event,
    _local,
    _organisation,
    _require_open,
    _save,
    _start_handling,
    _tell,
    statutory_clock_start,
    statutory_missing,
    statutory_progress,
)
from omavalvonta.improvement.selectors import open_action_count_for_source
from omavalvonta.improvement.services import action_create, check_due_date
from omavalvonta.organisation import access, risk


@transaction.atomic
def deviation_assign(*, actor, deviation: Deviation, handler) -> Deviation:
    """Name another handler (requires deviation.handle in the unit; the new handler
    must be able to handle in the unit). Notifies the new handler.

    Counts as the start of handling when the current handler forwards the report
    or someone takes it over themselves; a re-routing by a third person does not."""
    access.require_on(actor, deviation, access.P_DEVIATION_HANDLE)
    _require_open(deviation)
    if handler is None or not handler.is_active:
        raise ValidationError({"handler": _("Choose an active person as the handler.")})
    if not access.can(handler, access.P_DEVIATION_HANDLE, deviation.unit, kind=deviation.kind):
        raise ValidationError(
            {"handler": _("%(name)s cannot handle this type of report in this unit.") % {"name": handler.full_name}}
        )
    if deviation.handler_id == handler.pk:
        return deviation
    now = timezone.now()
    fields = ["handler"]
    if actor.pk in (deviation.handler_id, handler.pk):
        _start_handling(deviation, now, fields)
    deviation.handler = handler
    _save(deviation, fields)
    _assigned_event(actor, deviation, handler)
    if handler.pk != actor.pk:
        _tell(
            [handler],
            deviation,
            kind="deviation.assigned",
            subject=_("You are now the handler of deviation report %(number)s (%(kind)s, %(unit)s)")
            % {"number": deviation.number, "kind": deviation.get_kind_display(), "unit": deviation.unit.name},
            body=_("%(actor)s named you the handler of deviation report %(number)s. Handling must start by %(due)s.")
            % {"actor": actor.full_name, "number": deviation.number, "due": _local(deviation.handling_due_at)},
        )
    return deviation


@transaction.atomic
def deviation_classify(
    *,
    actor,
    deviation: Deviation,
    consequence: int,
    likelihood: int,
    is_critical: bool = False,
    contributing_factors: str = "",
    analysis: str = "",
    for_team_meeting: bool = False,
    expected_version: int | None = None,
) -> Deviation:
    """Classify (handler or deviation.handle). Risk level from the organisation's
    matrix. A submitted report moves to in_handling. Consequence serious or very
    serious makes the report critical, which starts the § 28 notification clock
    (law.SERIOUS_EVENT_DUTY) now unless it already runs.

    Critical cannot be withdrawn once the county has been notified: the record
    must keep saying why the notification was sent. `expected_version`: the edit
    version the form was opened at (a newer save refuses this one: EditConflict)."""
    access.require_on(actor, deviation, access.P_DEVIATION_HANDLE)
    _require_open(deviation)
    errors = {}
    if isinstance(consequence, bool) or consequence not in Consequence.values:
        errors["consequence"] = _("Choose the consequence.")
    if isinstance(likelihood, bool) or likelihood not in Likelihood.values:
        errors["likelihood"] = _("Choose the likelihood of recurrence.")
    if errors:
        raise ValidationError(errors)
    critical = (
        bool(is_critical)
        or rules.is_critical_consequence(consequence)
        or (deviation.is_critical and _county_notifications(deviation).exists())
    )
    now = timezone.now()
    deviation.consequence = consequence
    deviation.likelihood = likelihood
    deviation.risk_level = risk.risk_level_for(_organisation(deviation.unit).risk_matrix, consequence, likelihood)
    deviation.is_critical = critical
    deviation.contributing_factors = _clean_text(contributing_factors)
    deviation.analysis = _clean_text(analysis)
    deviation.for_team_meeting = bool(for_team_meeting)
    deviation.classified_at = now
    fields = [
        "consequence",
        "likelihood",
        "risk_level",
        "is_critical",
        "contributing_factors",
        "analysis",
        "for_team_meeting",
        "classified_at",
    ]
    _start_handling(deviation, now, fields)
    _save(deviation, fields, expected_version=expected_version)
    _event(
        actor, deviation, "deviation.classified",
        consequence=consequence, likelihood=likelihood, risk_level=deviation.risk_level, is_critical=critical,
    )
    if critical:
        statutory_clock_start(deviation, started=now, actor=actor, reasons=["critical"])
        statutory_progress(deviation, now=now, actor=actor)
    return deviation


@transaction.atomic
def deviation_add_action(*, actor, deviation: Deviation, title: str, owner, due_date: dt.date):
    """Decide a corrective action (improvement.services.action_create, source=the
    deviation). Moves the report to actions_decided. Returns the Action.

    The owner must be someone working in (or over) the unit, or the named handler."""
    access.require_on(actor, deviation, access.P_DEVIATION_HANDLE)
    _require_open(deviation)
    errors = {}
    title = _clean_text(title)
    if not title:
        errors["title"] = _("Describe what will be done.")
    else:
        _check_max_length(errors, "title", title, 300)
    if owner is None or not owner.is_active:
        errors["owner"] = _("Choose an active person as the owner.")
    elif owner.pk != deviation.handler_id and not access.sees_unit(owner, deviation.unit):
        errors["owner"] = _("%(name)s does not work in this unit.") % {"name": owner.full_name}
    check_due_date(errors, due_date)
    if errors:
        raise ValidationError(errors)
    # Our own require_on covers the named handler, whom the unit grant may not.
    action = action_create(
        actor=actor,
        unit=deviation.unit,
        title=title,
        owner=owner,
        due_date=due_date,
        source=deviation,
        check_access=False,
    )
    fields: list[str] = []
    _start_handling(deviation, timezone.now(), fields)
    if deviation.state == State.IN_HANDLING:
        deviation.state = State.ACTIONS_DECIDED
        fields.append("state")
    _save(deviation, fields)
    _event(actor, deviation, "deviation.action_added", action_id=action.pk, due_date=due_date.isoformat())
    return action


@transaction.atomic
def deviation_answer(*, actor, deviation: Deviation, answer: str, expected_version: int | None = None) -> Deviation:
    """Write (or rewrite) the answer to the reporter; stamps answered_at and tells
    a named reporter in the product and by e-mail (never anyone else).
    `expected_version` as in deviation_classify."""
    access.require_on(actor, deviation, access.P_DEVIATION_HANDLE)
    _require_open(deviation)
    answer = _clean_text(answer)
    if not answer:
        raise ValidationError({"answer": _("Write the answer to the reporter.")})
    now = timezone.now()
    rewritten = deviation.answered_at is not None
    deviation.answer = answer
    deviation.answered_at = now
    fields = ["answer", "answered_at"]
    _start_handling(deviation, now, fields)
    _save(deviation, fields, expected_version=expected_version)
    _event(actor, deviation, "deviation.answered", rewritten=rewritten)
    reporter = deviation.reporter if deviation.reporter_id and not deviation.is_anonymous else None
    if reporter is not None and reporter.is_active:
        # The answer itself stays in the product, where reads are logged.
        _tell(
            [reporter],
            deviation,
            kind="deviation.answered",
            subject=_("Your deviation report %(number)s has been answered") % {"number": deviation.number},
            body=_("The handler has answered your deviation report %(number)s (%(kind)s). Read the answer in the product.")
            % {"number": deviation.number, "kind": deviation.get_kind_display()},
        )
    return deviation


CLOSE_REASON_MAX = 2000


def deviation_close_refusals(deviation: Deviation, *, actor=None, reason: str = "") -> list[str]:
    """Everything that keeps the report from being closed now, all at once
    (empty: it may be closed). `reason`: why a § 29 grievance is closed while
    its corrective actions are still open; only the unit's responsible person
    may record one (access.P_DEVIATION_CLOSE_UNCORRECTED)."""
    if deviation.state == State.CLOSED:
        return [_("This report is already closed.")]
    refusals = []
    if deviation.answered_at is None or not deviation.answer.strip():
        refusals.append(_("Answer the reporter."))
    if deviation.decisions_at is None:
        refusals.append(
            _(
                "Answer the three handling questions: was the instruction followed, must the instruction "
                "change, is an outside party needed."
            )
        )
    duty = deviation.statutory_duty
    missing = statutory_missing(deviation)
    if NotificationRecipient.COUNTY in missing:
        refusals.append(_("Notify the purchasing county: the law requires it (%(source)s).") % {"source": duty.source})
    if NotificationRecipient.AUTHORITY in missing:
        refusals.append(
            _("Notify the supervisory authority: the law requires it (%(source)s).") % {"source": duty.source}
        )
    if deviation.kind == Kind.GRIEVANCE:
        still_open = open_action_count_for_source(source=deviation)
        if still_open:
            if not reason:
                refusals.append(
                    ngettext(
                        "%(count)d corrective action is still open, so the shortcoming is not corrected. "
                        "The unit's responsible person may close the report by recording why.",
                        "%(count)d corrective actions are still open, so the shortcoming is not corrected. "
                        "The unit's responsible person may close the report by recording why.",
                        still_open,
                    )
                    % {"count": still_open}
                )
            elif actor is not None and not access.can(actor, access.P_DEVIATION_CLOSE_UNCORRECTED, deviation.unit):
                refusals.append(
                    _("Only the unit's responsible person may close a grievance whose shortcoming is not corrected.")
                )
            elif len(reason) > CLOSE_REASON_MAX:
                refusals.append(
                    _("Use at most %(limit)s characters (now %(count)s).") % {"limit": CLOSE_REASON_MAX, "count": len(reason)}
                )
    return refusals


@transaction.atomic
def deviation_close(*, actor, deviation: Deviation, reason: str = "") -> Deviation:
    """Close. Refused (ValidationError listing every unmet condition at once)
    before the reporter has been answered, before the three handling questions
    have been answered (services/decisions.py), while a statutory notification the
    law requires is missing, and for a § 29 grievance whose corrective actions
    are still open, unless the responsible person records why (`reason`)."""
    access.require_on(actor, deviation, access.P_DEVIATION_HANDLE)
    reason = _clean_text(reason)
    refusals = deviation_close_refusals(deviation, actor=actor, reason=reason)
    if refusals:
        raise ValidationError(refusals)
    uncorrected = deviation.kind == Kind.GRIEVANCE and open_action_count_for_source(source=deviation) > 0
    deviation.state = State.CLOSED
    deviation.closed_at = timezone.now()
    deviation.uncorrected_close_reason = reason if uncorrected else ""
    _save(deviation, ["state", "closed_at", "uncorrected_close_reason"])
    data = {"uncorrected_reason": reason} if uncorrected else {}
    _event(actor, deviation, "deviation.closed", **data)
    return deviation


@transaction.atomic
def deviation_reopen(*, actor, deviation: Deviation, reason: str) -> Deviation:
    """Reopen a closed report (back to in_handling), with a reason on the timeline."""
    access.require_on(actor, deviation, access.P_DEVIATION_HANDLE)
    if deviation.state != State.CLOSED:
        raise ValidationError(_("Only a closed report can be reopened."))
    reason = _clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Tell why the report is reopened.")})
    errors: dict = {}
    _check_max_length(errors, "reason", reason, 500)
    if errors:
        raise ValidationError(errors)
    deviation.state = State.IN_HANDLING
    deviation.closed_at = None
    _save(deviation, ["state", "closed_at"])
    _event(actor, deviation, "deviation.reopened", reason=reason)
    return deviation


# --- Statutory notifications ----------------------------------------------------------------
