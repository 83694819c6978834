"""Writes of guidance. Each service: keyword-only arguments with `actor` first,
@transaction.atomic, an access check (`selectors.can_on_item` and friends: a
Guidance is not a single-unit record), save(update_fields=[...]), an AuditEvent
in the same transaction, notifications only through the outbox. Business-rule
failures raise ValidationError with a translated message ({field: message}
where a field is to blame).

The loop: register -> (assign) -> prepare the response -> submit for review ->
the quality director approves (responded) or returns it with a comment ->
close. Guidance and decisions without a response: register -> issue as
instructions (staff acknowledge) -> close. Any item may lead to actions.
The deadline job (reminders and escalation) is guidance.deadlines.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

# One definition of an acceptable file (type sniffed against the extension,
# size, count) for the whole product: shared with deviation reports.
from omavalvonta.core.attachments import check_attachments
from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.lib.dates import fi_date_padded
from omavalvonta.core.services import audit_event_record
from omavalvonta.guidance import selectors
from omavalvonta.guidance.models import (
    Guidance,
    GuidanceAttachment,
    GuidanceUnit,
    Kind,
    State,
)
from omavalvonta.improvement.services import acknowledgements_request, action_create, check_due_date
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access
from omavalvonta.organisation.models import Unit

__all__ = [
    "guidance_action_add",
    "guidance_assign",
    "guidance_close",
    "guidance_instructions_issue",
    "guidance_register",
    "guidance_response_save",
    "guidance_response_submit",
    "guidance_review",
]



def detail_link(guidance: Guidance) -> str:
    return f"/ohjaus/{guidance.pk}/"


def instructions_link(guidance: Guidance) -> str:
    return f"/ohjaus/{guidance.pk}/ohje/"


_date = fi_date_padded  # a deadline in message texts: 03.01.2026


def _clean(value) -> str:
    return (value or "").strip()


def _require_item(actor, guidance: Guidance, perm: str) -> None:
    if not selectors.can_on_item(actor, guidance, perm):
        raise PermissionDenied(perm)


def _require_prepare(actor, guidance: Guidance) -> None:
    if not selectors.can_prepare(actor, guidance):
        raise PermissionDenied(access.P_GUIDANCE_MANAGE)


def _lock(guidance: Guidance) -> None:
    """Re-read the row under a lock (PostgreSQL) so that two people acting on
    the same item at once are serialised and each sees the other's state."""
    guidance.refresh_from_db(from_queryset=Guidance.objects.select_for_update())


def _save(guidance: Guidance, fields: list[str], *, expected_version: int | None = None) -> None:
    """Write a person's change; the edit version moves on (checked against
    `expected_version`, the version a form was opened at: core/concurrency.py)."""
    edit_version_claim(guidance, expected=expected_version)
    guidance.save(update_fields=sorted(set(fields) | {"updated_at"}))


def _audit(actor, verb: str, guidance: Guidance, **data) -> None:
    audit_event_record(actor=actor, verb=verb, target=guidance, unit=guidance.unit, **data)


def _assignee_ok(person, units, all_units: bool) -> bool:
    if person is None or not person.is_active:
        return False
    if all_units:
        return access.has_perm_anywhere(person, access.P_GUIDANCE_MANAGE)
    return any(access.can(person, access.P_GUIDANCE_MANAGE, u) for u in units)


def _notify_assignee(actor, guidance: Guidance) -> None:
    person = guidance.assignee
    if person is None or person.pk == actor.pk:
        return
    lines = [
        _("You are responsible for handling this item from %(sender)s:") % {"sender": guidance.sender},
        "",
        guidance.title,
    ]
    if guidance.deadline:
        lines.append(_("Deadline: %(date)s") % {"date": _date(guidance.deadline)})
    notification_enqueue(
        recipient=person,
        kind="guidance.assigned",
        subject=_("Guidance to handle: %(title)s") % {"title": guidance.title[:150]},
        body="\n".join(lines),
        link=detail_link(guidance),
    )


# --- Register -----------------------------------------------------------------------------


def _checked_text(errors: dict, *, kind, authority, county, title, content, sender_reference) -> tuple[str, str, str]:
    """The kind, the sender and the texts of an item; the texts cleaned."""
    if kind not in Kind.values:
        errors["kind"] = _("Choose the kind of the item.")
    if (authority is None) == (county is None):
        errors["sender"] = _("Choose the sender: either a supervisory authority or a wellbeing services county.")
    title, content, sender_reference = _clean(title), _clean(content), _clean(sender_reference)
    if not title:
        errors["title"] = _("Give the item a title.")
    elif len(title) > 250:
        errors["title"] = _("Use at most %(limit)s characters.") % {"limit": 250}
    if not content:
        errors["content"] = _("Write down what the item says.")
    if len(sender_reference) > 100:
        errors["sender_reference"] = _("Use at most %(limit)s characters.") % {"limit": 100}
    return title, content, sender_reference


def _check_dates(errors: dict, *, kind, received_on, deadline) -> None:
    today = timezone.localdate()
    if not isinstance(received_on, dt.date):
        errors["received_on"] = _("Tell when the item was received.")
    elif received_on > today:
        errors["received_on"] = _("The date of receipt cannot be in the future.")
    if kind == Kind.INFORMATION_REQUEST and deadline is None:
        errors["deadline"] = _("A request for explanation needs a deadline.")
    elif deadline is not None and isinstance(received_on, dt.date) and deadline < received_on:
        errors["deadline"] = _("The deadline cannot be before the date of receipt.")


def _check_scope(errors: dict, *, units, applies_to_all_units, assignee) -> None:
    if not units and not applies_to_all_units:
        errors["units"] = _("Choose the units concerned, or mark the item as affecting all units.")
    if any(not u.is_active for u in units):
        errors["units"] = _("A chosen unit is no longer active.")
    if assignee is not None and not _assignee_ok(assignee, units, applies_to_all_units):
        errors["assignee"] = _("%(name)s cannot prepare responses for these units.") % {"name": assignee}


def _save_attachments(guidance: Guidance, accepted_files, actor) -> None:
    for f, ctype, ext in accepted_files:
        attachment = GuidanceAttachment(
            guidance=guidance,
            original_name=(f.name or "")[-200:],
            content_type=ctype,
            size=f.size or 0,
            uploaded_by=actor,
        )
        attachment.file.save(f"upload.{ext}", f, save=False)
        attachment.save()


@transaction.atomic
def guidance_register(
    *,
    actor,
    kind: str,
    title: str,
    content: str,
    received_on: dt.date,
    authority=None,
    county=None,
    sender_reference: str = "",
    deadline: dt.date | None = None,
    units=(),
    applies_to_all_units: bool = False,
    assignee=None,
    attachments=(),
) -> Guidance:
    """Register an item from an authority or a county.

    * Exactly one sender: `authority` or `county`.
    * A request for explanation needs a deadline.
    * Scope: the listed `units`, and/or `applies_to_all_units` (a letter to one
      unit marked as affecting all). guidance.manage is needed in every listed
      unit, or organisation-wide for a group-wide item.
    * `assignee` (optional) prepares the response: must hold guidance.manage in
      one of the units; is notified.
    * attachments: as deviation attachments (images and PDF, size and count limits).
    """
    units = list({u.pk: u for u in units or ()}.values())
    applies_to_all_units = bool(applies_to_all_units)
    # Access first: a refusal must not depend on what else was typed.
    if applies_to_all_units and not access.has_perm_organisation_wide(actor, access.P_GUIDANCE_MANAGE):
        raise PermissionDenied(access.P_GUIDANCE_MANAGE)
    for unit in units:
        access.require(actor, access.P_GUIDANCE_MANAGE, unit)

    errors: dict[str, object] = {}
    title, content, sender_reference = _checked_text(
        errors, kind=kind, authority=authority, county=county, title=title, content=content, sender_reference=sender_reference
    )
    _check_dates(errors, kind=kind, received_on=received_on, deadline=deadline)
    _check_scope(errors, units=units, applies_to_all_units=applies_to_all_units, assignee=assignee)
    accepted_files, file_problems = check_attachments(attachments)
    if file_problems:
        errors["attachments"] = file_problems
    if errors:
        raise ValidationError(errors)

    guidance = Guidance.objects.create(
        kind=kind,
        authority=authority,
        county=county,
        sender_reference=sender_reference,
        received_on=received_on,
        title=title,
        content=content,
        deadline=deadline,
        applies_to_all_units=applies_to_all_units,
        unit=units[0] if len(units) == 1 and not applies_to_all_units else None,
        assignee=assignee,
        registered_by=actor,
    )
    GuidanceUnit.objects.bulk_create(GuidanceUnit(guidance=guidance, unit=u) for u in units)
    _save_attachments(guidance, accepted_files, actor)
    _audit(
        actor,
        "guidance.registered",
        guidance,
        kind=kind,
        units=[u.pk for u in units],
        all_units=applies_to_all_units,
        attachments=len(accepted_files),
    )
    if assignee is not None:
        _audit(actor, "guidance.assigned", guidance, assignee_id=assignee.pk, assignee_name=assignee.full_name)
        _notify_assignee(actor, guidance)
    return guidance


@transaction.atomic
def guidance_assign(*, actor, guidance: Guidance, assignee) -> Guidance:
    """Name who prepares the response (requires guidance.manage over the item)."""
    _require_item(actor, guidance, access.P_GUIDANCE_MANAGE)
    _lock(guidance)
    if guidance.state == State.CLOSED:
        raise ValidationError(_("This item is closed."))
    units = selectors.guidance_units(guidance=guidance)
    if not _assignee_ok(assignee, units, guidance.applies_to_all_units):
        raise ValidationError(
            {"assignee": _("%(name)s cannot prepare responses for these units.") % {"name": assignee}}
        )
    if guidance.assignee_id == assignee.pk:
        return guidance
    guidance.assignee = assignee
    _save(guidance, ["assignee"])
    _audit(actor, "guidance.assigned", guidance, assignee_id=assignee.pk, assignee_name=assignee.full_name)
    _notify_assignee(actor, guidance)
    return guidance


# --- The response ------------------------------------------------------------------------


def _check_response_state(guidance: Guidance) -> None:
    if not guidance.requires_response:
        raise ValidationError(_("This kind of item is not answered; issue it as instructions instead."))
    if guidance.state not in (State.REGISTERED, State.RESPONSE_IN_PREPARATION):
        raise ValidationError(_("The response can no longer be changed."))


@transaction.atomic
def guidance_response_save(*, actor, guidance: Guidance, response: str, expected_version: int | None = None) -> Guidance:
    """Save the response draft (the assignee or a manager of the item). The
    first save moves the item to `response_in_preparation`. `expected_version`:
    the edit version the form was opened at; a newer save refuses this one."""
    _require_prepare(actor, guidance)
    _lock(guidance)
    _check_response_state(guidance)
    guidance.response = _clean(response)
    fields = ["response"]
    if guidance.state == State.REGISTERED:
        guidance.state = State.RESPONSE_IN_PREPARATION
        fields.append("state")
    _save(guidance, fields, expected_version=expected_version)
    _audit(actor, "guidance.response_saved", guidance)
    return guidance


@transaction.atomic
def guidance_response_submit(
    *, actor, guidance: Guidance, response: str | None = None, expected_version: int | None = None
) -> Guidance:
    """Submit the response for the quality director's review (saving `response`
    first when given). Notifies the quality directors covering the item.
    `expected_version` as in guidance_response_save."""
    _require_prepare(actor, guidance)
    _lock(guidance)
    _check_response_state(guidance)
    if response is not None:
        guidance.response = _clean(response)
    if not guidance.response:
        raise ValidationError({"response": _("Write the response before submitting it for review.")})
    guidance.state = State.RESPONSE_IN_REVIEW
    guidance.response_submitted_at = timezone.now()
    _save(guidance, ["response", "state", "response_submitted_at"], expected_version=expected_version)
    _audit(actor, "guidance.response_submitted", guidance)
    for person in selectors.quality_directors(guidance=guidance):
        if person.pk == actor.pk:
            continue
        notification_enqueue(
            recipient=person,
            kind="guidance.review_requested",
            subject=_("Response to review: %(title)s") % {"title": guidance.title[:150]},
            body=_("%(actor)s submitted a response for your review.\n\n%(title)s\nDeadline: %(deadline)s")
            % {"actor": actor, "title": guidance.title, "deadline": _date(guidance.deadline) or "–"},
            link=detail_link(guidance),
        )
    return guidance


@transaction.atomic
def guidance_review(
    *, actor, guidance: Guidance, approve: bool, comment: str = "", response_date: dt.date | None = None
) -> Guidance:
    """The quality director's review (guidance.review over the item).

    approve=True: the response is final; the item is `responded` with
    `response_date` (today by default). approve=False: back to preparation with
    a required comment, and the assignee is told."""
    _require_item(actor, guidance, access.P_GUIDANCE_REVIEW)
    _lock(guidance)
    if guidance.state != State.RESPONSE_IN_REVIEW:
        raise ValidationError(_("There is no response waiting for review."))
    comment = _clean(comment)
    now = timezone.now()
    guidance.reviewed_by = actor
    guidance.reviewed_at = now
    guidance.review_comment = comment
    if approve:
        guidance.state = State.RESPONDED
        guidance.response_date = response_date or timezone.localdate()
        _save(guidance, ["state", "reviewed_by", "reviewed_at", "review_comment", "response_date"])
        _audit(actor, "guidance.response_approved", guidance, response_date=guidance.response_date.isoformat())
        subject = _("Response approved: %(title)s")
        body = _("%(actor)s approved the response.\n\n%(title)s")
        kind = "guidance.response_approved"
    else:
        if not comment:
            raise ValidationError({"comment": _("Tell what should be changed.")})
        guidance.state = State.RESPONSE_IN_PREPARATION
        _save(guidance, ["state", "reviewed_by", "reviewed_at", "review_comment"])
        _audit(actor, "guidance.response_returned", guidance, comment=comment[:500])
        subject = _("Response returned for changes: %(title)s")
        body = _("%(actor)s returned the response for changes.\n\n%(title)s")
        kind = "guidance.response_returned"
    if guidance.assignee_id and guidance.assignee_id != actor.pk:
        text = body % {"actor": actor, "title": guidance.title}
        if comment:
            text = f"{text}\n\n{comment}"
        notification_enqueue(
            recipient=guidance.assignee,
            kind=kind,
            subject=subject % {"title": guidance.title[:150]},
            body=text,
            link=detail_link(guidance),
        )
    return guidance


# --- Actions and instructions ----------------------------------------------------------


@transaction.atomic
def guidance_action_add(*, actor, guidance: Guidance, unit: Unit, title: str, owner, due_date: dt.date):
    """Decide an action arising from the item, in one of its units (any active
    unit for a group-wide item). Requires guidance.manage in that unit; the
    action links back to the item (its source)."""
    units = selectors.guidance_units(guidance=guidance)
    if not guidance.applies_to_all_units and unit.pk not in {u.pk for u in units}:
        raise ValidationError({"unit": _("Choose one of the units this item concerns.")})
    access.require(actor, access.P_GUIDANCE_MANAGE, unit)
    if not selectors.can_view_item(actor, guidance):
        raise PermissionDenied(access.P_GUIDANCE_VIEW)
    errors = {}
    title = _clean(title)
    if not title:
        errors["title"] = _("Tell what is to be done.")
    if owner is None or not owner.is_active or not access.can(owner, access.P_ACTION_VIEW, unit):
        errors["owner"] = _("Choose an owner who works in this unit.")
    check_due_date(errors, due_date)
    if errors:
        raise ValidationError(errors)
    # Our own check (guidance.manage in the unit) stands in for the action
    # service's default one (deviation.handle).
    action = action_create(
        actor=actor, unit=unit, title=title, owner=owner, due_date=due_date, source=guidance, check_access=False
    )
    _audit(actor, "guidance.action_added", guidance, action_id=action.pk, title=title[:200], unit_id=unit.pk)
    return action


@transaction.atomic
def guidance_instructions_issue(*, actor, guidance: Guidance, instructions: str) -> int:
    """Turn the item into instructions for staff: store the instruction text and
    ask everyone working in the affected units (all active units for a
    group-wide item) to acknowledge it, per unit. People already asked are not
    asked again, so issuing again reaches only newcomers. Guidance and decisions
    move to `instructions_issued`. Returns how many were asked."""
    _require_item(actor, guidance, access.P_GUIDANCE_MANAGE)
    _lock(guidance)
    if guidance.state == State.CLOSED:
        raise ValidationError(_("This item is closed."))
    instructions = _clean(instructions)
    if not instructions:
        raise ValidationError({"instructions": _("Write the instructions the staff must know.")})
    now = timezone.now()
    guidance.instructions = instructions
    guidance.instructions_issued_at = now
    fields = ["instructions", "instructions_issued_at"]
    if not guidance.requires_response and guidance.state == State.REGISTERED:
        guidance.state = State.INSTRUCTIONS_ISSUED
        fields.append("state")
    _save(guidance, fields)
    if guidance.applies_to_all_units:
        units = list(Unit.objects.filter(is_active=True).order_by("name"))
    else:
        units = [u for u in selectors.guidance_units(guidance=guidance) if u.is_active]
    asked = 0
    reason = _("New instructions: %(title)s") % {"title": guidance.title}
    for unit in units:
        asked += acknowledgements_request(
            actor=actor,
            unit=unit,
            target=guidance,
            users=selectors.unit_staff(unit=unit),
            reason=reason[:200],
            link=instructions_link(guidance),
        )
    _audit(actor, "guidance.instructions_issued", guidance, asked=asked, units=len(units))
    return asked


@transaction.atomic
def guidance_close(*, actor, guidance: Guidance) -> Guidance:
    """Close a handled item (guidance.manage): an answered item once responded;
    guidance and decisions once registered or issued as instructions."""
    _require_item(actor, guidance, access.P_GUIDANCE_MANAGE)
    _lock(guidance)
    if guidance.state == State.CLOSED:
        return guidance
    if guidance.requires_response and guidance.state != State.RESPONDED:
        raise ValidationError(_("The response must be approved before the item can be closed."))
    guidance.state = State.CLOSED
    guidance.closed_at = timezone.now()
    _save(guidance, ["state", "closed_at"])
    _audit(actor, "guidance.closed", guidance)
    return guidance
