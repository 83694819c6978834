"""Writes of the complaints area: a complaint recorded by staff or sent through
the public website, its handler, its written answer, its closing, the actions
it led to, and the organisation's deadline. Each checks the actor's right
again (the views declared theirs) and records an audit event.

Notifications name the complaint by its number and unit only: never the
complainant, never what the complaint says."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.complaints import selectors
from omavalvonta.complaints.models import (
    ANSWER_DAYS_MAX,
    ANSWER_DAYS_MIN,
    ANSWER_MAX,
    CONTACT_MAX,
    NAME_MAX,
    OPEN_STATES,
    SUBJECT_MAX,
    ComplainantKind,
    Complaint,
    ComplaintSettings,
    ReceivedVia,
    State,
)
from omavalvonta.core.lib import bounds
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.lib.typed import typed_text as _text
from omavalvonta.core.services import audit_event_record
from omavalvonta.improvement.services import action_create
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access


def _link(complaint: Complaint) -> str:
    return reverse("complaints:detail", args=[complaint.pk])


def _tell(people, *, complaint: Complaint, kind: str, subject: str, body: str, actor=None) -> list[int]:
    sent = []
    for person in {p.pk: p for p in people if p is not None and p.is_active}.values():
        if actor is not None and person.pk == actor.pk:
            continue
        notification_enqueue(recipient=person, kind=kind, subject=subject, body=body, link=_link(complaint))
        sent.append(person.pk)
    return sent


def _values(complaint: Complaint) -> dict:
    return {"number": complaint.pk, "unit": complaint.unit.name, "date": fi_date(complaint.answer_due)}


def _tell_handler(complaint: Complaint, *, actor) -> None:
    _tell(
        [complaint.handler], complaint=complaint, actor=actor, kind="complaint.assigned",
        subject=_("Complaint #%(number)s to handle, %(unit)s") % _values(complaint),
        body=_(
            "You were named the handler of complaint #%(number)s of %(unit)s. The written answer is due by "
            "%(date)s. Open the complaint in the product to read it."
        ) % _values(complaint),
    )


def _check_handler(errors: dict, unit, handler) -> None:
    if handler is not None and not selectors.handler_candidates(unit=unit).filter(pk=handler.pk).exists():
        errors["handler"] = _("%(name)s may not handle complaints of this unit.") % {"name": handler.full_name}


def _check_common(errors: dict, *, complainant_kind, received_via=None) -> None:
    if complainant_kind not in ComplainantKind.values:
        errors["complainant_kind"] = _("Choose who made the complaint.")
    if received_via is not None and received_via not in ReceivedVia.values:
        errors["received_via"] = _("Choose how the complaint was received.")


@transaction.atomic
def complaint_register(
    *, actor, unit, received_on, received_via, complainant_kind, complainant_name, subject,
    complainant_contact: str = "", handler=None, today: dt.date | None = None,
) -> Complaint:
    """A complaint received by letter, e-mail or in person, recorded by staff who
    may handle the unit's complaints. Its answer is due `answer_days()` after
    `received_on`; with a handler named it is in handling at once."""
    access.require(actor, access.P_COMPLAINT_HANDLE, unit)
    today = today or timezone.localdate()
    errors: dict = {}
    _check_common(errors, complainant_kind=complainant_kind, received_via=received_via)
    if not isinstance(received_on, dt.date) or not bounds.in_range(received_on):
        errors["received_on"] = _("Give the date the complaint was received.")
    elif received_on > today:
        errors["received_on"] = _("The date received cannot be in the future.")
    name = _text(errors, "complainant_name", complainant_name, NAME_MAX,
                 required=_("Write the complainant's name: the answer is given to them in writing."))
    contact = _text(errors, "complainant_contact", complainant_contact, CONTACT_MAX)
    subject = _text(errors, "subject", subject, SUBJECT_MAX, required=_("Write in short what the complaint is about."))
    _check_handler(errors, unit, handler)
    if errors:
        raise ValidationError(errors)
    complaint = Complaint.objects.create(
        unit=unit, received_on=received_on, received_via=received_via, complainant_kind=complainant_kind,
        complainant_name=name, complainant_contact=contact, subject=subject, handler=handler,
        state=State.IN_HANDLING if handler is not None else State.RECEIVED,
        answer_due=received_on + dt.timedelta(days=selectors.answer_days()), created_by=actor,
    )
    audit_event_record(actor=actor, verb="complaint.registered", target=complaint, unit=unit, via=received_via)
    if handler is not None:
        _tell_handler(complaint, actor=actor)
    return complaint


@transaction.atomic
def complaint_public_submit(*, unit, complainant_kind, complainant_name, complainant_contact, subject) -> Complaint:
    """A complaint sent through the public website (no account): received today,
    its name and contact required (the answer is written to them). The unit's
    own leaders who handle complaints hear that one arrived (its number only)."""
    errors: dict = {}
    if unit is None or not unit.is_active:
        errors["unit"] = _("Choose the unit the complaint concerns.")
    _check_common(errors, complainant_kind=complainant_kind)
    name = _text(errors, "sender_name", complainant_name, NAME_MAX,
                 required=_("A complaint is answered in writing: write your name."))
    contact = _text(errors, "sender_contact", complainant_contact, CONTACT_MAX,
                    required=_("A complaint is answered in writing: write an address, e-mail or phone number for the answer."))
    subject = _text(errors, "message", subject, SUBJECT_MAX, required=_("Write what your complaint is about."))
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    complaint = Complaint.objects.create(
        unit=unit, received_on=today, received_via=ReceivedVia.PUBLIC_SITE, complainant_kind=complainant_kind,
        complainant_name=name, complainant_contact=contact, subject=subject, state=State.RECEIVED,
        answer_due=today + dt.timedelta(days=selectors.answer_days()),
    )
    audit_event_record(actor=None, verb="complaint.received_public", target=complaint, unit=unit)
    _tell(
        selectors.unit_handlers(unit=unit), complaint=complaint, kind="complaint.received",
        subject=_("New complaint #%(number)s, %(unit)s") % _values(complaint),
        body=_(
            "A complaint (muistutus) #%(number)s about %(unit)s was received through the public website. "
            "Name its handler; the written answer is due by %(date)s."
        ) % _values(complaint),
    )
    return complaint


def _require_handle(actor, complaint: Complaint) -> None:
    access.require(actor, access.P_COMPLAINT_HANDLE, complaint.unit)


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().select_related("unit").get(pk=complaint.pk)


@transaction.atomic
def complaint_assign(*, actor, complaint: Complaint, handler) -> Complaint:
    """Name the handler (a person who may handle the unit's complaints); an
    open complaint is then in handling."""
    _require_handle(actor, complaint)
    complaint = _locked(complaint)
    errors: dict = {}
    if handler is None:
        errors["handler"] = _("Choose the handler.")
    elif complaint.state not in OPEN_STATES:
        errors["handler"] = _("The complaint has been answered: its handler no longer changes.")
    else:
        _check_handler(errors, complaint.unit, handler)
    if errors:
        raise ValidationError(errors)
    complaint.handler = handler
    complaint.state = State.IN_HANDLING
    complaint.save(update_fields=["handler", "state", "updated_at"])
    audit_event_record(actor=actor, verb="complaint.assigned", target=complaint, unit=complaint.unit, handler=handler.pk)
    _tell_handler(complaint, actor=actor)
    return complaint


@transaction.atomic
def complaint_answer(*, actor, complaint: Complaint, answered_on, answer_summary, today: dt.date | None = None) -> Complaint:
    """Record that the written answer was given: its date and its gist. The
    one who records it becomes the handler when none was named."""
    _require_handle(actor, complaint)
    complaint = _locked(complaint)
    today = today or timezone.localdate()
    errors: dict = {}
    if complaint.state not in OPEN_STATES:
        raise ValidationError(_("The complaint has already been answered."))
    if not isinstance(answered_on, dt.date) or not bounds.in_range(answered_on):
        errors["answered_on"] = _("Give the date of the written answer.")
    elif answered_on < complaint.received_on:
        errors["answered_on"] = _("The answer cannot be dated before the complaint was received (%(date)s).") % {
            "date": fi_date(complaint.received_on)
        }
    elif answered_on > today:
        errors["answered_on"] = _("The answer date cannot be in the future.")
    summary = _text(errors, "answer_summary", answer_summary, ANSWER_MAX,
                    required=_("Write the gist of the written answer: what was found and what will be done."))
    if errors:
        raise ValidationError(errors)
    complaint.answered_on = answered_on
    complaint.answer_summary = summary
    complaint.answered_by = actor
    if complaint.handler_id is None:
        complaint.handler = actor
    complaint.state = State.ANSWERED
    complaint.save(update_fields=["answered_on", "answer_summary", "answered_by", "handler", "state", "updated_at"])
    audit_event_record(
        actor=actor, verb="complaint.answered", target=complaint, unit=complaint.unit,
        in_time=answered_on <= complaint.answer_due,
    )
    return complaint


@transaction.atomic
def complaint_close(*, actor, complaint: Complaint) -> Complaint:
    """Close an answered complaint (its actions go on in the action list)."""
    _require_handle(actor, complaint)
    complaint = _locked(complaint)
    if complaint.state != State.ANSWERED:
        raise ValidationError(_("Only an answered complaint can be closed."))
    complaint.state = State.CLOSED
    complaint.closed_at = timezone.now()
    complaint.save(update_fields=["state", "closed_at", "updated_at"])
    audit_event_record(actor=actor, verb="complaint.closed", target=complaint, unit=complaint.unit)
    return complaint


@transaction.atomic
def complaint_action_create(*, actor, complaint: Complaint, title: str, owner, due_date):
    """An action the complaint led to (improvement's action, the complaint its
    source, of the source kind "complaint")."""
    _require_handle(actor, complaint)
    if complaint.state == State.CLOSED:
        raise ValidationError(_("The complaint is closed: decide new actions in the action list."))
    action = action_create(
        actor=actor, unit=complaint.unit, title=title, owner=owner, due_date=due_date, source=complaint,
        source_kind="complaint",
    )
    audit_event_record(actor=actor, verb="complaint.action_added", target=complaint, unit=complaint.unit, action=action.pk)
    return action


@transaction.atomic
def complaint_settings_save(*, actor, answer_days) -> ComplaintSettings:
    """The organisation's deadline for the written answer (days from receipt):
    for complaints received from now on; those recorded keep their due date."""
    if not access.has_perm_organisation_wide(actor, access.P_COMPLAINT_HANDLE):
        raise PermissionDenied(access.P_COMPLAINT_HANDLE)
    if not isinstance(answer_days, int) or not ANSWER_DAYS_MIN <= answer_days <= ANSWER_DAYS_MAX:
        raise ValidationError({"answer_days": _("Give a number of days from %(min)s to %(max)s.") % {
            "min": ANSWER_DAYS_MIN, "max": ANSWER_DAYS_MAX}})
    row = ComplaintSettings.objects.select_for_update().order_by("pk").first() or ComplaintSettings()
    row.answer_days = answer_days
    row.updated_by = actor
    row.save()
    audit_event_record(actor=actor, verb="complaint.settings_saved", target=row, answer_days=answer_days)
    return row
