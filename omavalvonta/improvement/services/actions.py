"""Writes of actions: create, update, complete, the effectiveness check, cancel.

Any area that decides an action calls `action_create` (CONTRACT: deviations and
meetings call it; keep its name and arguments)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.services import audit_event_record
from omavalvonta.improvement.models import (
    Action,
    ActionKind,
    ActionState,
    Effectiveness,
    SourceKind,
)
from omavalvonta.improvement.services._common import (
    TEXT_MAX,
    TITLE_MAX,
    action_link,
    check_length,
    check_required,
    clean_text,
    fi_date,
    raise_if,
    required_text,
)
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access

# Days from completion to the effectiveness check (configurable here only, for now).
EFFECTIVENESS_CHECK_DAYS = 30
# When a check finds the action did not work and no new due date is given.
REOPEN_DUE_DAYS = 30
# Risk levels (of the source deviation) that call for an effectiveness check:
# serious and very serious risks.
SERIOUS_RISK_LEVELS = frozenset({"high", "very_high"})

# The source record's app -> the kind of source. Read from the content type, so
# this app imports no other area's models.
_SOURCE_KIND_BY_APP = {
    "deviations": SourceKind.DEVIATION,
    "audits": SourceKind.AUDIT,
    "complaints": SourceKind.COMPLAINT,
    "feedback": SourceKind.FEEDBACK,
    "guidance": SourceKind.GUIDANCE,
    "meetings": SourceKind.MEETING,
    "plans": SourceKind.PLAN_REVIEW,
}


def _source_kind_for(source) -> str:
    if source is None:
        return SourceKind.OTHER
    return _SOURCE_KIND_BY_APP.get(source._meta.app_label, SourceKind.OTHER)


def _is_serious(source) -> bool:
    """Is the source a record (a deviation) classified as a serious or very serious risk?"""
    return getattr(source, "risk_level", "") in SERIOUS_RISK_LEVELS


def _source_of(action: Action):
    if not action.source_type_id or not action.source_id:
        return None
    model = action.source_type.model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=action.source_id).first()


def _may_manage(actor, action: Action) -> bool:
    return access.can(actor, access.P_ACTION_MANAGE, action.unit)


def _notify_owner(action: Action, *, actor, kind: str, subject: str, body: str) -> None:
    owner = action.owner
    if owner.pk == getattr(actor, "pk", None) or not owner.is_active:
        return
    notification_enqueue(recipient=owner, kind=kind, subject=subject, body=body, link=action_link(action))


def _owner_error(owner, unit, *, check_unit: bool) -> str | None:
    """Why `owner` cannot own an action in `unit` (None: they can). `check_unit`:
    the owner must also work in (or over) the unit."""
    if owner is None or not owner.is_active:
        return _("Choose an active person as the owner.")
    if check_unit and not access.sees_unit(owner, unit):
        return _("%(name)s does not work in this unit.") % {"name": owner.full_name}
    return None


def check_due_date(errors: dict, due_date, *, check_past: bool = True) -> None:
    """Why `due_date` is not an action's due date, into `errors` under
    "due_date": none given, or (`check_past`) a date before today. The areas
    that create actions of their own check theirs with it."""
    if not isinstance(due_date, dt.date):
        errors["due_date"] = _("Give a due date.")
    elif check_past and due_date < timezone.localdate():
        errors["due_date"] = _("The due date cannot be in the past.")


def _check_action_fields(
    errors: dict, *, title: str, description: str, owner, due_date, unit, check_owner_unit: bool, check_past: bool
) -> None:
    """The checks that creating and changing an action share: a title, the text
    lengths, an active owner (in the unit) and a due date (not in the past).
    `title` and `description` are already cleaned; errors go into `errors`."""
    if not title:
        errors["title"] = _("Describe what will be done.")
    else:
        check_length(errors, "title", title, TITLE_MAX)
    check_length(errors, "description", description, TEXT_MAX)
    owner_error = _owner_error(owner, unit, check_unit=check_owner_unit)
    if owner_error:
        errors["owner"] = owner_error
    check_due_date(errors, due_date, check_past=check_past)


def _check_create_only_fields(errors: dict, *, unit, kind, source_kind, plan_goal) -> None:
    """The checks only a new action needs: its kind, where it comes from and the
    plan goal it serves (of the same unit)."""
    if source_kind is not None and source_kind not in SourceKind.values:
        errors["source_kind"] = _("Choose where the action comes from.")
    if kind not in ActionKind.values:
        errors["kind"] = _("Choose the kind of action.")
    if plan_goal is not None and plan_goal.unit_id != unit.pk:
        errors["plan_goal"] = _("The goal belongs to another unit's action plan.")


def _resolved_source_kind(source_kind: str | None, source, plan_goal) -> str:
    """The given source kind, else a plan review for a goal's action without a
    source record, else what the source record is."""
    if source_kind:
        return source_kind
    if plan_goal is not None and source is None:
        return SourceKind.PLAN_REVIEW
    return _source_kind_for(source)


def _source_reference(source) -> tuple[ContentType | None, int | None]:
    """The content type and primary key that point an action at its source."""
    if source is None:
        return None, None
    return ContentType.objects.get_for_model(source), source.pk


def _tell_owner(action: Action, *, actor, kind: str, subject: str, body: str) -> None:
    """Tell the owner about the action: `subject` takes the action's %(title)s,
    `body` also %(actor)s and %(due)s (both already translated)."""
    values = {"actor": actor, "due": fi_date(action.due_date), "title": action.title}
    _notify_owner(action, actor=actor, kind=kind, subject=subject % {"title": action.title[:120]}, body=body % values)


def _notify_assigned(action: Action, *, actor) -> None:
    """Tell the (new) owner that the action is now theirs."""
    _tell_owner(
        action, actor=actor, kind="action.assigned", subject=_("New action for you: %(title)s"),
        body=_("%(actor)s assigned you an action due %(due)s:\n\n%(title)s"),
    )


@transaction.atomic
def action_create(
    *,
    actor,
    unit,
    title,
    owner,
    due_date,
    source=None,
    kind=ActionKind.CORRECTIVE,
    check_access=True,
    description: str = "",
    source_kind: str | None = None,
    plan_goal=None,
    needs_effectiveness_check: bool | None = None,
) -> Action:
    """Create an action in `unit`, optionally linked to its source record, and tell
    the owner.

    With `check_access` the actor needs action.manage in the unit, the owner must
    work in (or over) the unit and the due date may not be in the past; with
    `check_access=False` the caller has made its own checks (deviation handling).
    `source_kind` defaults to what the source is (a deviation, a meeting...) or
    "other". An action from a deviation classified as a high or very high risk
    needs an effectiveness check before it can be closed;
    `needs_effectiveness_check` overrides that for other sources."""
    if check_access:
        access.require(actor, access.P_ACTION_MANAGE, unit)
    title = clean_text(title)
    description = clean_text(description)
    errors: dict = {}
    _check_action_fields(
        errors, title=title, description=description, owner=owner, due_date=due_date, unit=unit,
        check_owner_unit=check_access, check_past=check_access,
    )
    _check_create_only_fields(errors, unit=unit, kind=kind, source_kind=source_kind, plan_goal=plan_goal)
    raise_if(errors)

    if needs_effectiveness_check is None:
        needs_effectiveness_check = _is_serious(source)
    source_type, source_id = _source_reference(source)
    action = Action.objects.create(
        unit=unit,
        kind=kind,
        source_type=source_type,
        source_id=source_id,
        source_kind=_resolved_source_kind(source_kind, source, plan_goal),
        plan_goal=plan_goal,
        title=title,
        description=description,
        owner=owner,
        due_date=due_date,
        needs_effectiveness_check=bool(needs_effectiveness_check),
        created_by=actor,
    )
    audit_event_record(
        actor=actor,
        verb="action.created",
        target=action,
        unit=unit,
        title=title,
        owner_id=owner.pk,
        owner_name=owner.full_name,
        due_date=due_date.isoformat(),
        needs_effectiveness_check=action.needs_effectiveness_check,
    )
    _notify_assigned(action, actor=actor)
    return action


def _require_open(action: Action) -> None:
    if action.state != ActionState.OPEN:
        raise ValidationError(_("Only an open action can be changed."))


def _apply_changes(action: Action, *, title: str, description: str, due_date: dt.date, owner) -> tuple[list, dict]:
    """Set on `action` what differs; return the changed field names and the
    changes for the audit event. A new due date or owner re-arms the reminders."""
    changed = {}
    fields = []
    for name, value in (("title", title), ("description", description), ("due_date", due_date)):
        if getattr(action, name) != value:
            setattr(action, name, value)
            fields.append(name)
            changed[name] = value.isoformat() if isinstance(value, dt.date) else value
    if owner.pk != action.owner_id:
        action.owner = owner
        fields.append("owner")
        changed["owner_id"] = owner.pk
        changed["owner_name"] = owner.full_name
    if "due_date" in fields or "owner" in fields:
        # The new date (or the new owner) deserves its own reminders.
        action.reminded_at = None
        action.overdue_notified_at = None
        fields += ["reminded_at", "overdue_notified_at"]
    return fields, changed


def _notify_update(action: Action, *, actor, fields: list, owner_changed: bool) -> None:
    """A new owner is told the action is theirs; else a moved due date is told."""
    if "owner" in fields and owner_changed:
        _notify_assigned(action, actor=actor)
    elif "due_date" in fields:
        _tell_owner(
            action, actor=actor, kind="action.updated", subject=_("New due date for your action: %(title)s"),
            body=_("%(actor)s moved the due date of your action to %(due)s:\n\n%(title)s"),
        )


@transaction.atomic
def action_update(
    *, actor, action: Action, title: str, owner, due_date: dt.date, description: str = "",
    expected_version: int | None = None,
) -> Action:
    """Change an open action's title, owner, due date and description (action.manage).
    A new owner is told; a new due date re-arms the reminders. `expected_version`:
    the edit version the form was opened at; a newer save refuses this one."""
    access.require_on(actor, action, access.P_ACTION_MANAGE)
    _require_open(action)
    title = clean_text(title)
    description = clean_text(description)
    errors: dict = {}
    _check_action_fields(
        errors, title=title, description=description, owner=owner, due_date=due_date, unit=action.unit,
        # Only a new owner or a new date is checked again: the old ones stand.
        check_owner_unit=owner is not None and owner.pk != action.owner_id,
        check_past=due_date != action.due_date,
    )
    raise_if(errors)
    edit_version_claim(action, expected=expected_version)

    old_owner = action.owner
    fields, changed = _apply_changes(action, title=title, description=description, due_date=due_date, owner=owner)
    if not fields:
        return action
    action.save(update_fields=fields)
    audit_event_record(actor=actor, verb="action.updated", target=action, unit=action.unit, **changed)
    _notify_update(action, actor=actor, fields=fields, owner_changed=owner.pk != old_owner.pk)
    return action


@transaction.atomic
def action_complete(*, actor, action: Action, note: str) -> Action:
    """Mark an open action done with a note of what was done: its owner, someone
    with action.manage in the unit, or a deviation handler there.

    An action that needs an effectiveness check (a serious risk's fix) is not
    closed: it waits in awaiting_check until effectiveness_due."""
    if action.owner_id != actor.pk and not (
        _may_manage(actor, action) or access.can(actor, access.P_DEVIATION_HANDLE, action.unit)
    ):
        access.require_on(actor, action, access.P_ACTION_MANAGE)
    if action.state != ActionState.OPEN:
        raise ValidationError(_("Only an open action can be completed."))
    note = required_text("note", note, missing=_("Tell what was done."))

    now = timezone.now()
    # The source may have been classified as a serious risk after the action was decided.
    needs_check = action.needs_effectiveness_check or _is_serious(_source_of(action))
    action.completion_note = note
    action.completed_at = now
    action.completed_by = actor
    fields = ["state", "completion_note", "completed_at", "completed_by"]
    if needs_check:
        action.state = ActionState.AWAITING_CHECK
        action.needs_effectiveness_check = True
        action.effectiveness_due = timezone.localdate() + dt.timedelta(days=EFFECTIVENESS_CHECK_DAYS)
        action.effectiveness_reminded_at = None
        fields += ["needs_effectiveness_check", "effectiveness_due", "effectiveness_reminded_at"]
    else:
        action.state = ActionState.DONE
    action.save(update_fields=fields)
    audit_event_record(
        actor=actor,
        verb="action.completed",
        target=action,
        unit=action.unit,
        awaiting_check=needs_check,
        effectiveness_due=action.effectiveness_due.isoformat() if needs_check else None,
    )
    creator = action.created_by
    if creator.pk not in (actor.pk, action.owner_id) and creator.is_active:
        notification_enqueue(
            recipient=creator,
            kind="action.completed",
            subject=_("Action completed: %(title)s") % {"title": action.title[:120]},
            body=_("%(actor)s completed the action:\n\n%(title)s\n\nWhat was done: %(note)s")
            % {"actor": actor, "title": action.title, "note": note},
            link=action_link(action),
        )
    return action


@transaction.atomic
def action_record_effectiveness(
    *, actor, action: Action, result: str, evidence: str, new_due_date: dt.date | None = None
) -> Action:
    """Record whether a completed action worked (action.manage), from its
    effectiveness_due on. "yes" and "partly" close it; "no" reopens the loop: the
    action is open again with a new due date (given, or REOPEN_DUE_DAYS ahead) and
    the owner is told."""
    access.require_on(actor, action, access.P_ACTION_MANAGE)
    if action.state != ActionState.AWAITING_CHECK:
        raise ValidationError(_("This action is not waiting for an effectiveness check."))
    today = timezone.localdate()
    if action.effectiveness_due and today < action.effectiveness_due:
        raise ValidationError(
            _("The effectiveness can be checked from %(date)s on.") % {"date": fi_date(action.effectiveness_due)}
        )
    evidence = clean_text(evidence)
    errors: dict = {}
    if result not in Effectiveness.values:
        errors["result"] = _("Choose whether the action worked.")
    check_required(errors, "evidence", evidence, TEXT_MAX, missing=_("Tell what shows whether it worked."))
    if result == Effectiveness.NO and new_due_date is not None and new_due_date <= today:
        errors["new_due_date"] = _("The new due date must be in the future.")
    raise_if(errors)

    now = timezone.now()
    action.effectiveness = result
    action.effectiveness_evidence = evidence
    action.effectiveness_checked_by = actor
    action.effectiveness_checked_at = now
    fields = ["state", "effectiveness", "effectiveness_evidence", "effectiveness_checked_by", "effectiveness_checked_at"]
    audit_event_record(
        actor=actor, verb="action.effectiveness_recorded", target=action, unit=action.unit, result=result, evidence=evidence
    )
    if result in (Effectiveness.YES, Effectiveness.PARTLY):
        action.state = ActionState.DONE
        action.save(update_fields=fields)
        return action

    # It did not work: back to the owner with a new due date.
    action.state = ActionState.OPEN
    action.due_date = new_due_date or today + dt.timedelta(days=REOPEN_DUE_DAYS)
    action.completed_at = None
    action.completed_by = None
    action.effectiveness_due = None
    action.reminded_at = None
    action.overdue_notified_at = None
    action.effectiveness_reminded_at = None
    fields += [
        "due_date",
        "completed_at",
        "completed_by",
        "effectiveness_due",
        "reminded_at",
        "overdue_notified_at",
        "effectiveness_reminded_at",
    ]
    action.save(update_fields=fields)
    audit_event_record(
        actor=actor, verb="action.reopened", target=action, unit=action.unit, due_date=action.due_date.isoformat()
    )
    _notify_owner(
        action,
        actor=actor,
        kind="action.reopened",
        subject=_("Your action did not work and was reopened: %(title)s") % {"title": action.title[:120]},
        body=_(
            "%(actor)s checked the action and found it did not work:\n\n%(evidence)s\n\n"
            "The action is open again, due %(due)s:\n\n%(title)s"
        )
        % {"actor": actor, "evidence": evidence, "due": fi_date(action.due_date), "title": action.title},
    )
    return action


@transaction.atomic
def action_cancel(*, actor, action: Action, reason: str) -> Action:
    """Cancel an open (or awaiting-check) action with a reason (action.manage)."""
    access.require_on(actor, action, access.P_ACTION_MANAGE)
    if action.state not in (ActionState.OPEN, ActionState.AWAITING_CHECK):
        raise ValidationError(_("Only an open action can be cancelled."))
    reason = required_text("reason", reason, missing=_("Tell why the action is cancelled."))
    action.state = ActionState.CANCELLED
    action.cancel_reason = reason
    action.cancelled_at = timezone.now()
    action.save(update_fields=["state", "cancel_reason", "cancelled_at"])
    audit_event_record(actor=actor, verb="action.cancelled", target=action, unit=action.unit, reason=reason)
    _notify_owner(
        action,
        actor=actor,
        kind="action.cancelled",
        subject=_("Action cancelled: %(title)s") % {"title": action.title[:120]},
        body=_("%(actor)s cancelled the action:\n\n%(title)s\n\nReason: %(reason)s")
        % {"actor": actor, "title": action.title, "reason": reason},
    )
    return action
