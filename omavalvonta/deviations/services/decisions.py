"""The programme's three handling questions and the proposals they start.

The handler answers, for each report: was the instruction followed (yes, no, there
is no instruction), must the instruction change, is an outside party needed (and
which). The answers are required before the report is closed
(handling.deviation_close_refusals). "The instruction must change" sends a
proposal to the person responsible for the instruction, one of those holding
instruction.decide over the unit, who accepts or rejects it with a note and a
date; an undecided proposal is reminded and escalated by the quality calendar
(proposals.proposal_duties, core.registry DUTY_SOURCES)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.services import audit_event_record
from omavalvonta.deviations.models import Deviation, InstructionFollowed, InstructionProposal, ProposalState
from omavalvonta.deviations.services._common import (
    _check_max_length,
    _clean_text,
    _event,
    _require_open,
    _save,
    _start_handling,
    detail_link,
)
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access

OUTSIDE_PARTY_MAX = 200
INSTRUCTION_MAX = 300
PROPOSAL_MAX = 4000
DECISION_NOTE_MAX = 4000


def proposal_link(proposal: InstructionProposal) -> str:
    """The in-product address of a proposal, for notifications and duties."""
    return f"/poikkeamat/ohjemuutokset/{proposal.pk}/"


def _check_answers(errors: dict, *, instruction_followed: str, must_change, outside_needed) -> None:
    """Each of the three questions answered (yes/no, or one of the choices)."""
    if instruction_followed not in InstructionFollowed.values:
        errors["instruction_followed"] = _("Answer: was the instruction followed?")
    if must_change not in (True, False):
        errors["must_change"] = _("Answer: must the instruction change?")
    if outside_needed not in (True, False):
        errors["outside_needed"] = _("Answer: is an outside party needed?")


def _cleaned_outside_party(errors: dict, *, outside_needed, outside_party: str) -> str:
    """The outside party, named when one is needed ("" when none is)."""
    outside_party = _clean_text(outside_party) if outside_needed else ""
    if outside_needed and not outside_party:
        errors["outside_party"] = _("Tell which outside party is needed.")
    else:
        _check_max_length(errors, "outside_party", outside_party, OUTSIDE_PARTY_MAX)
    return outside_party


def _check_required_text(errors: dict, field: str, value: str, *, missing: str, limit: int) -> None:
    if not value:
        errors[field] = missing
    else:
        _check_max_length(errors, field, value, limit)


def _check_proposal(errors: dict, *, instruction: str, proposal: str, responsible, unit) -> None:
    """A new proposal names the instruction, says how it should change and goes to
    an active person who decides the unit's instructions."""
    _check_required_text(
        errors, "instruction", instruction, missing=_("Name the instruction that must change."), limit=INSTRUCTION_MAX
    )
    _check_required_text(
        errors, "proposal", proposal, missing=_("Describe how the instruction should change."), limit=PROPOSAL_MAX
    )
    if responsible is None:
        errors["responsible"] = _("Choose who is responsible for the instruction.")
    elif not (responsible.is_active and access.can(responsible, access.P_INSTRUCTION_DECIDE, unit)):
        errors["responsible"] = _("%(name)s cannot decide the instructions of this unit.") % {
            "name": responsible.full_name
        }


def _proposal_make(*, actor, deviation: Deviation, instruction: str, proposal: str, responsible, now) -> InstructionProposal:
    """Record the proposal made from the report and tell the responsible person
    (unless they made it); the message carries no child data."""
    made = InstructionProposal.objects.create(
        deviation=deviation,
        unit=deviation.unit,
        instruction=instruction,
        proposal=proposal,
        responsible=responsible,
        proposed_by=actor,
        proposed_at=now,
    )
    audit_event_record(
        actor=actor, verb="instruction_proposal.made", target=made, unit=deviation.unit,
        deviation_id=deviation.pk, responsible_id=responsible.pk,
    )
    if responsible.pk != actor.pk:
        notification_enqueue(
            recipient=responsible,
            kind="deviation.instruction_proposal",
            subject=_("A proposal to change an instruction waits for your decision (%(unit)s)")
            % {"unit": deviation.unit.name},
            body=_(
                "%(actor)s proposes a change to the instruction \"%(instruction)s\" after handling deviation "
                "report %(number)s. Read the proposal and decide it in the product."
            )
            % {"actor": actor.full_name, "instruction": instruction, "number": deviation.number},
            link=proposal_link(made),
        )
    return made


@transaction.atomic
def deviation_decide_handling(
    *,
    actor,
    deviation: Deviation,
    instruction_followed: str,
    must_change: bool | None,
    outside_needed: bool | None,
    outside_party: str = "",
    instruction: str = "",
    proposal: str = "",
    responsible=None,
    expected_version: int | None = None,
) -> Deviation:
    """Answer (or change the answers to) the three questions (deviation.handle;
    the report open). With `must_change` and no proposal made yet from this
    report, `instruction`, `proposal` and `responsible` make one, and the
    responsible person is told (no child data in the message). Once a proposal
    was made the instruction cannot be answered unchanged: the proposal stays
    to be decided. Every missing answer is named at once."""
    access.require_on(actor, deviation, access.P_DEVIATION_HANDLE)
    _require_open(deviation)
    errors: dict = {}
    _check_answers(errors, instruction_followed=instruction_followed, must_change=must_change, outside_needed=outside_needed)
    outside_party = _cleaned_outside_party(errors, outside_needed=outside_needed, outside_party=outside_party)
    already = InstructionProposal.objects.filter(deviation=deviation).exists()
    create = bool(must_change) and not already
    if must_change is False and already:
        errors["must_change"] = _(
            "A proposal to change the instruction was already made from this report; it stays to be decided."
        )
    instruction, proposal = _clean_text(instruction), _clean_text(proposal)
    if create:
        _check_proposal(errors, instruction=instruction, proposal=proposal, responsible=responsible, unit=deviation.unit)
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    deviation.instruction_followed = instruction_followed
    deviation.instruction_must_change = must_change
    deviation.outside_party_needed = outside_needed
    deviation.outside_party = outside_party
    deviation.decisions_at = now
    fields = ["instruction_followed", "instruction_must_change", "outside_party_needed", "outside_party", "decisions_at"]
    _start_handling(deviation, now, fields)
    _save(deviation, fields, expected_version=expected_version)
    made = None
    if create:
        made = _proposal_make(
            actor=actor, deviation=deviation, instruction=instruction, proposal=proposal, responsible=responsible, now=now
        )
    _event(
        actor, deviation, "deviation.handling_decided",
        instruction_followed=instruction_followed, must_change=must_change, outside_needed=outside_needed,
        proposal_id=made.pk if made else None,
    )
    return deviation


@transaction.atomic
def instruction_proposal_decide(
    *, actor, proposal: InstructionProposal, accepted: bool, note: str, decided_on: dt.date
) -> InstructionProposal:
    """Accept or reject a proposal (instruction.decide over its unit, or the
    person it was sent to), with a note and the date of the decision, which may
    not be in the future nor before the proposal. Decided once; the proposer
    is told."""
    access.require_on(actor, proposal, access.P_INSTRUCTION_DECIDE)
    if proposal.state != ProposalState.PROPOSED:
        raise ValidationError(_("This proposal has already been decided."))
    errors: dict = {}
    if accepted not in (True, False):
        errors["accepted"] = _("Choose whether the proposal is accepted or rejected.")
    note = _clean_text(note)
    if not note:
        errors["note"] = _("Write the decision: what will be done, or why the instruction stays.")
    else:
        _check_max_length(errors, "note", note, DECISION_NOTE_MAX)
    if not isinstance(decided_on, dt.date):
        errors["decided_on"] = _("Give the date of the decision.")
    elif decided_on > timezone.localdate():
        errors["decided_on"] = _("The date cannot be in the future.")
    elif decided_on < timezone.localtime(proposal.proposed_at).date():
        errors["decided_on"] = _("The decision cannot be dated before the proposal.")
    if errors:
        raise ValidationError(errors)
    proposal.state = ProposalState.ACCEPTED if accepted else ProposalState.REJECTED
    proposal.decision_note = note
    proposal.decided_on = decided_on
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["state", "decision_note", "decided_on", "decided_by", "decided_at"])
    audit_event_record(
        actor=actor, verb="instruction_proposal.decided", target=proposal, unit=proposal.unit,
        state=proposal.state, decided_on=decided_on.isoformat(),
    )
    proposer = proposal.proposed_by
    if proposer is not None and proposer.is_active and proposer.pk != actor.pk:
        values = {"instruction": proposal.instruction, "unit": proposal.unit.name}
        notification_enqueue(
            recipient=proposer,
            kind="deviation.instruction_proposal_decided",
            subject=(
                _("Your proposal to change an instruction was accepted (%(unit)s)")
                if accepted
                else _("Your proposal to change an instruction was rejected (%(unit)s)")
            )
            % values,
            body=_("The decision on your proposal to change the instruction \"%(instruction)s\" is in the product.")
            % values,
            # The report page shows the decision to its handler (the proposal page
            # is for those who decide instructions).
            link=detail_link(proposal.deviation) if proposal.deviation_id else "",
        )
    return proposal
