"""Writes of deviations. CONTRACT: the signatures and docstrings below are fixed;
views, the demo and tests are written against them. Each service: keyword-only
arguments with `actor` first, @transaction.atomic, access.require/require_on,
save(update_fields=[...]), an AuditEvent (core.services.audit_event_record) in
the same transaction, notifications only through notifications.services
.notification_enqueue. Business-rule failures raise
django.core.exceptions.ValidationError with a translated, user-facing message
(dict form {field: message} where a field is to blame)."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.lib.workdays import add_working_days
from omavalvonta.core.services import audit_event_record
from omavalvonta.deviations import rules
from omavalvonta.deviations.models import (
    Attachment,
    Consequence,
    Deviation,
    HandlerAssignment,
    Kind,
    Likelihood,
    MedicationStage,
    NotificationRecipient,
    State,
    StatutoryNotification,
    ViolenceTarget,
)
from omavalvonta.improvement.services import action_create
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access
from omavalvonta.organisation.models import Authority, Membership, Role

log = logging.getLogger(__name__)

# A clock a few minutes fast on a phone must not block a report.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
GDPR_BREACH_HOURS = 72
STALLED_BATCH = 500
_COUNTY_KINDS = (NotificationRecipient.COUNTY, NotificationRecipient.LEAD_OFFICIAL)


@dataclass(frozen=True)
class SubmitResult:
    deviation: Deviation
    # Plain follow-up code, shown once to the reporter; None when not issued.
    followup_code: str | None


@dataclass(frozen=True)
class NotificationDraft:
    recipient_kind: str  # NotificationRecipient value
    recipient_name: str
    recipient_email: str
    subject: str
    body: str


# --- Small helpers ---------------------------------------------------------------------


def detail_link(deviation: Deviation) -> str:
    """The in-product address of a report, for notifications (relative to SITE_URL)."""
    return f"/poikkeamat/{deviation.pk}/"


def _local(value: dt.datetime | None) -> str:
    return value.astimezone(rules.HELSINKI).strftime("%d.%m.%Y %H:%M") if value else ""


def _date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _require_open(deviation: Deviation) -> None:
    if deviation.state == State.CLOSED:
        raise ValidationError(_("This report is closed. Reopen it before changing it."))


def _start_handling(deviation: Deviation, now: dt.datetime, fields: list[str]) -> None:
    """The first handler write moves a new report into handling; the stalled-handling
    job watches exactly this stamp."""
    if deviation.state == State.SUBMITTED:
        deviation.state = State.IN_HANDLING
        fields.append("state")
    if deviation.handling_started_at is None:
        deviation.handling_started_at = now
        fields.append("handling_started_at")


def _save(deviation: Deviation, fields: list[str]) -> None:
    # update_fields skips auto_now unless named; the list page sorts on freshness.
    deviation.save(update_fields=sorted(set(fields) | {"updated_at"}))


def _members_covering(unit, roles, *, exclude_ids=()) -> list:
    """Active people holding one of `roles` over `unit` (the unit itself, its region
    or the whole organisation), ordered by name. One query."""
    rows = (
        Membership.objects.filter(role__in=list(roles), user__is_active=True)
        .filter(Q(unit_id=unit.pk) | Q(region_id=unit.region_id) | Q(unit__isnull=True, region__isnull=True))
        .exclude(user_id__in=list(exclude_ids))
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    people = {}
    for m in rows:
        people.setdefault(m.user_id, m.user)
    return list(people.values())


def _clean_text(value) -> str:
    return (value or "").strip()


def _organisation(unit):
    return unit.region.organisation


def _county_notifications(deviation: Deviation):
    return StatutoryNotification.objects.filter(deviation=deviation, recipient_kind__in=_COUNTY_KINDS)


# --- Submit --------------------------------------------------------------------------------


def _check_max_length(errors: dict, field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors[field] = _("Use at most %(limit)s characters (now %(count)s).") % {"limit": limit, "count": len(value)}


def _check_attachments(files) -> tuple[list[tuple[object, str, str]], list[str]]:
    """(file, content type, extension) for each acceptable file, and the problems."""
    accepted, problems = [], []
    files = [f for f in (files or ()) if f]
    if len(files) > rules.MAX_ATTACHMENTS:
        problems.append(_("Attach at most %(count)s files.") % {"count": rules.MAX_ATTACHMENTS})
        return accepted, problems
    max_bytes = settings.ATTACHMENT_MAX_BYTES
    for f in files:
        name = getattr(f, "name", "") or ""
        size = getattr(f, "size", None)
        f.seek(0)
        head = f.read(rules.SNIFF_BYTES)
        if size is None:
            f.seek(0, 2)
            size = f.tell()
        f.seek(0)
        ctype = rules.attachment_content_type(name, head)
        if ctype is None:
            problems.append(
                _("%(name)s: only images (JPEG, PNG, HEIC, WebP) and PDF files can be attached.") % {"name": name}
            )
        elif size == 0:
            problems.append(_("%(name)s is empty.") % {"name": name})
        elif size > max_bytes:
            problems.append(
                _("%(name)s is too large: at most %(mb)s MB per file.")
                % {"name": name, "mb": round(max_bytes / (1024 * 1024), 1)}
            )
        else:
            accepted.append((f, ctype, rules.attachment_extension(name)))
    return accepted, problems


def _route(unit, kind: str):
    """The handler for a new report: the unit's named handler for the type, else the
    supervisor, else the responsible person, else the regional director."""
    assignment = (
        HandlerAssignment.objects.filter(unit=unit, kind=kind, handler__is_active=True)
        .select_related("handler")
        .first()
    )
    # A named handler who has since lost the right (moved unit) must not receive it.
    if assignment is not None and access.can(assignment.handler, access.P_DEVIATION_HANDLE, unit, kind=kind):
        return assignment.handler
    preference = {Role.SUPERVISOR: 0, Role.RESPONSIBLE_PERSON: 1, Role.REGIONAL_DIRECTOR: 2}
    rows = Membership.objects.filter(user__is_active=True).filter(
        Q(role__in=[Role.SUPERVISOR, Role.RESPONSIBLE_PERSON], unit_id=unit.pk)
        | Q(role=Role.REGIONAL_DIRECTOR, region_id=unit.region_id)
    ).select_related("user")
    best = min(rows, key=lambda m: (preference[m.role], m.user.full_name, m.user_id), default=None)
    return best.user if best is not None else None


def _notify_on_submit(deviation: Deviation) -> None:
    """Tell the handler, and the DPO / safety manager for their types. Never names
    the reporter: e-mail leaves the product."""
    unit, kind_label = deviation.unit, deviation.get_kind_display()
    facts = "\n".join(
        [
            _("Report: %(number)s") % {"number": deviation.number},
            _("Type: %(kind)s") % {"kind": kind_label},
            _("Unit: %(unit)s") % {"unit": unit.name},
            _("Occurred: %(when)s") % {"when": _local(deviation.occurred_at)},
        ]
    )
    link = detail_link(deviation)
    if deviation.handler is not None:
        lines = [
            _("A deviation report has been filed and you are named its handler."),
            "",
            facts,
            _("Handling must start by %(due)s.") % {"due": _local(deviation.handling_due_at)},
        ]
        if deviation.kind == Kind.GRIEVANCE:
            lines += [
                "",
                _(
                    "This is a statutory grievance (Sote-valvontalaki § 29): the purchasing county must be "
                    "notified, and the reporter's identity is protected."
                ),
            ]
        notification_enqueue(
            recipient=deviation.handler,
            kind="deviation.submitted",
            subject=_("New deviation report: %(kind)s, %(unit)s") % {"kind": kind_label, "unit": unit.name},
            body="\n".join(lines),
            link=link,
        )
    exclude = [deviation.handler_id] if deviation.handler_id else []
    if deviation.kind == Kind.DATA_PROTECTION:
        lines = [_("A data-protection or information-security deviation has been reported."), "", facts]
        if deviation.personal_data_breach:
            deadline = deviation.submitted_at + dt.timedelta(hours=GDPR_BREACH_HOURS)
            lines += [
                "",
                _(
                    "Possible personal-data breach: under the GDPR the data protection authority must be "
                    "notified within 72 hours, by %(deadline)s, unless the breach is unlikely to result in a risk."
                )
                % {"deadline": _local(deadline)},
            ]
        for person in _members_covering(unit, [Role.DATA_PROTECTION_OFFICER], exclude_ids=exclude):
            notification_enqueue(
                recipient=person,
                kind="deviation.data_protection",
                subject=_("Data-protection deviation: %(kind)s, %(unit)s") % {"kind": kind_label, "unit": unit.name},
                body="\n".join(lines),
                link=link,
            )
    if deviation.kind == Kind.THREAT_OR_VIOLENCE:
        lines = [_("A threat, danger or violence situation has been reported."), "", facts]
        for person in _members_covering(unit, [Role.SAFETY_MANAGER], exclude_ids=exclude):
            notification_enqueue(
                recipient=person,
                kind="deviation.threat_or_violence",
                subject=_("Threat or violence report: %(kind)s, %(unit)s") % {"kind": kind_label, "unit": unit.name},
                body="\n".join(lines),
                link=link,
            )


@transaction.atomic
def deviation_submit(
    *,
    actor,
    unit,
    kind: str,
    occurred_at: dt.datetime,
    description: str,
    location: str = "",
    immediate_actions: str = "",
    affected_child: bool = False,
    affected_staff: bool = False,
    affected_other: bool = False,
    improvement_proposal: str = "",
    anonymous: bool = False,
    attachments=(),
    medication_stage: str = "",
    medication_substance: str = "",
    violence_target: str = "",
    injury: bool = False,
    police_called: bool = False,
    restraint_used: bool = False,
    data_concerned: str = "",
    personal_data_breach: bool = False,
    submitted_at: dt.datetime | None = None,
) -> SubmitResult:
    """File a report in `unit` (requires deviation.report there).

    * anonymous=True stores no identity (reporter=None, audit actor None).
    * A follow-up code is issued for anonymous reports and always for § 29
      grievances; only its HMAC digest is stored.
    * Routes the report: handler = HandlerAssignment(unit, kind) or the unit's
      supervisor (then responsible person, then regional director); notifies the
      handler; data-protection reports also notify data protection officers,
      threat/violence reports safety managers, whose grants cover the unit.
    * Sets number, handling_due_at (organisation.handling_start_working_days
      working days) and due_date (organisation.handling_target_days).
    * attachments: uploaded files; images (JPEG, PNG, HEIC, WebP) and PDF only,
      each at most settings.ATTACHMENT_MAX_BYTES, at most 5.
    * submitted_at: only for the demo loader, to back-date.

    Type-specific details of other types (left over when the reporter switched
    type in the form) are dropped rather than refused.
    """
    access.require(actor, access.P_DEVIATION_REPORT, unit, kind=kind)
    now = timezone.now()
    submitted = submitted_at or now
    errors: dict[str, object] = {}

    if kind not in Kind.values:
        errors["kind"] = _("Choose the type of the report.")
    if not unit.is_active:
        errors["unit"] = _("This unit is no longer active.")
    if not isinstance(occurred_at, dt.datetime):
        errors["occurred_at"] = _("Tell when it happened.")
    else:
        if timezone.is_naive(occurred_at):
            occurred_at = occurred_at.replace(tzinfo=rules.HELSINKI)
        if occurred_at > submitted + FUTURE_TOLERANCE:
            errors["occurred_at"] = _("The time cannot be in the future.")
    description = _clean_text(description)
    if not description:
        errors["description"] = _("Describe what happened.")
    location = _clean_text(location)
    _check_max_length(errors, "location", location, 200)

    # Type-specific details: required where the type needs them, dropped elsewhere.
    medication_stage, medication_substance = _clean_text(medication_stage), _clean_text(medication_substance)
    violence_target, data_concerned = _clean_text(violence_target), _clean_text(data_concerned)
    if kind == Kind.MEDICATION:
        if not medication_stage:
            errors["medication_stage"] = _("Choose the stage of the medication process.")
        elif medication_stage not in MedicationStage.values:
            errors["medication_stage"] = _("Choose one of the listed stages.")
        _check_max_length(errors, "medication_substance", medication_substance, 200)
    else:
        medication_stage, medication_substance = "", ""
    if kind == Kind.THREAT_OR_VIOLENCE:
        if not violence_target:
            errors["violence_target"] = _("Choose at whom the threat or violence was directed.")
        elif violence_target not in ViolenceTarget.values:
            errors["violence_target"] = _("Choose one of the listed targets.")
    else:
        violence_target, injury, police_called, restraint_used = "", False, False, False
    if kind == Kind.DATA_PROTECTION:
        _check_max_length(errors, "data_concerned", data_concerned, 300)
    else:
        data_concerned, personal_data_breach = "", False

    accepted_files, file_problems = _check_attachments(attachments)
    if file_problems:
        errors["attachments"] = file_problems
    if errors:
        raise ValidationError(errors)

    organisation = _organisation(unit)
    local_submitted = submitted.astimezone(rules.HELSINKI)
    handling_due_day = add_working_days(local_submitted.date(), organisation.handling_start_working_days)
    followup_code = digest = None
    if anonymous or kind == Kind.GRIEVANCE:
        followup_code = rules.followup_code_generate()
        digest = rules.followup_code_digest(followup_code)
    handler = _route(unit, kind)

    deviation = Deviation.objects.create(
        unit=unit,
        # Unique placeholder until the primary key exists; replaced below.
        number=f"tmp-{uuid.uuid4().hex[:16]}",
        kind=kind,
        occurred_at=occurred_at,
        location=location,
        description=description,
        immediate_actions=_clean_text(immediate_actions),
        affected_child=bool(affected_child),
        affected_staff=bool(affected_staff),
        affected_other=bool(affected_other),
        improvement_proposal=_clean_text(improvement_proposal),
        medication_stage=medication_stage,
        medication_substance=medication_substance,
        violence_target=violence_target,
        injury=bool(injury),
        police_called=bool(police_called),
        restraint_used=bool(restraint_used),
        data_concerned=data_concerned,
        personal_data_breach=bool(personal_data_breach),
        reporter=None if anonymous else actor,
        is_anonymous=bool(anonymous),
        followup_code_digest=digest or "",
        handler=handler,
        submitted_at=submitted,
        handling_due_at=dt.datetime.combine(handling_due_day, local_submitted.time(), tzinfo=rules.HELSINKI),
        due_date=local_submitted.date() + dt.timedelta(days=organisation.handling_target_days),
    )
    deviation.number = rules.deviation_number(submitted, deviation.pk)
    deviation.save(update_fields=["number"])

    for index, (f, ctype, ext) in enumerate(accepted_files, start=1):
        # An anonymous reporter's file names ("IMG_Eeva.jpg") could identify them.
        original = f"{_('attachment')}-{index}.{ext}" if anonymous else (f.name or "")[-200:]
        attachment = Attachment(
            deviation=deviation, unit=unit, original_name=original, content_type=ctype, size=f.size or 0
        )
        attachment.file.save(f"upload.{ext}", f, save=False)
        attachment.save()

    audit_event_record(
        actor=None if anonymous else actor,
        verb="deviation.submitted",
        target=deviation,
        unit=unit,
        kind=kind,
        number=deviation.number,
        attachments=len(accepted_files),
    )
    if handler is not None:
        audit_event_record(
            actor=None,
            verb="deviation.assigned",
            target=deviation,
            unit=unit,
            handler_id=handler.pk,
            handler_name=handler.full_name,
            routed=True,
        )
    else:
        log.warning("Deviation %s in unit %s has no handler to route to.", deviation.number, unit.pk)
    _notify_on_submit(deviation)
    return SubmitResult(deviation=deviation, followup_code=followup_code)


# --- Handling ------------------------------------------------------------------------------


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
    audit_event_record(
        actor=actor,
        verb="deviation.assigned",
        target=deviation,
        unit=deviation.unit,
        handler_id=handler.pk,
        handler_name=handler.full_name,
    )
    if handler.pk != actor.pk:
        notification_enqueue(
            recipient=handler,
            kind="deviation.assigned",
            subject=_("You are now the handler of deviation report %(number)s (%(kind)s, %(unit)s)")
            % {"number": deviation.number, "kind": deviation.get_kind_display(), "unit": deviation.unit.name},
            body=_("%(actor)s named you the handler of deviation report %(number)s. Handling must start by %(due)s.")
            % {"actor": actor.full_name, "number": deviation.number, "due": _local(deviation.handling_due_at)},
            link=detail_link(deviation),
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
) -> Deviation:
    """Classify (handler or deviation.handle). Risk level from the organisation's
    matrix. A submitted report moves to in_handling. Consequence serious or very
    serious makes the report critical.

    Critical cannot be withdrawn once the county has been notified: the record
    must keep saying why the notification was sent."""
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
    deviation.risk_level = rules.risk_level_for(_organisation(deviation.unit).risk_matrix, consequence, likelihood)
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
    _save(deviation, fields)
    audit_event_record(
        actor=actor,
        verb="deviation.classified",
        target=deviation,
        unit=deviation.unit,
        consequence=consequence,
        likelihood=likelihood,
        risk_level=deviation.risk_level,
        is_critical=critical,
    )
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
    if not isinstance(due_date, dt.date):
        errors["due_date"] = _("Give a due date.")
    elif due_date < timezone.localdate():
        errors["due_date"] = _("The due date cannot be in the past.")
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
    audit_event_record(
        actor=actor,
        verb="deviation.action_added",
        target=deviation,
        unit=deviation.unit,
        action_id=action.pk,
        due_date=due_date.isoformat(),
    )
    return action


@transaction.atomic
def deviation_answer(*, actor, deviation: Deviation, answer: str) -> Deviation:
    """Write (or rewrite) the answer to the reporter; stamps answered_at and tells
    a named reporter in the product and by e-mail (never anyone else)."""
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
    _save(deviation, fields)
    audit_event_record(actor=actor, verb="deviation.answered", target=deviation, unit=deviation.unit, rewritten=rewritten)
    reporter = deviation.reporter if deviation.reporter_id and not deviation.is_anonymous else None
    if reporter is not None and reporter.is_active:
        # The answer itself stays in the product, where reads are logged.
        notification_enqueue(
            recipient=reporter,
            kind="deviation.answered",
            subject=_("Your deviation report %(number)s has been answered") % {"number": deviation.number},
            body=_("The handler has answered your deviation report %(number)s (%(kind)s). Read the answer in the product.")
            % {"number": deviation.number, "kind": deviation.get_kind_display()},
            link=detail_link(deviation),
        )
    return deviation


@transaction.atomic
def deviation_close(*, actor, deviation: Deviation) -> Deviation:
    """Close. Refused (ValidationError) before the reporter has been answered, and
    for a report that requires a statutory notification not yet sent."""
    access.require_on(actor, deviation, access.P_DEVIATION_HANDLE)
    if deviation.state == State.CLOSED:
        raise ValidationError(_("This report is already closed."))
    if deviation.answered_at is None or not deviation.answer.strip():
        raise ValidationError(_("Answer the reporter before closing the report."))
    if deviation.requires_statutory_notification and not _county_notifications(deviation).exists():
        raise ValidationError(_("Notify the purchasing county before closing: this report requires it by law."))
    deviation.state = State.CLOSED
    deviation.closed_at = timezone.now()
    _save(deviation, ["state", "closed_at"])
    audit_event_record(actor=actor, verb="deviation.closed", target=deviation, unit=deviation.unit)
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
    audit_event_record(actor=actor, verb="deviation.reopened", target=deviation, unit=deviation.unit, reason=reason)
    return deviation


# --- Statutory notifications ----------------------------------------------------------------


def _statutory_subject(deviation: Deviation) -> str:
    values = {"unit": deviation.unit.name, "number": deviation.number}
    if deviation.kind == Kind.GRIEVANCE:
        return _("Notification of a shortcoming in a client's care (§ 29): %(unit)s, %(number)s") % values
    return _("Notification of a serious risk to client safety (§ 28): %(unit)s, %(number)s") % values


def _facts_without_names(deviation: Deviation, organisation) -> list[str]:
    """The structured facts of a report. Free text is left out on purpose: it may
    name a child or the reporter, and this leaves the provider."""
    unit = deviation.unit
    address = ", ".join(p for p in [unit.street_address, f"{unit.postal_code} {unit.city}".strip()] if p)
    affected = [
        str(label)
        for flag, label in [
            (deviation.affected_child, _("a child or young person")),
            (deviation.affected_staff, _("staff")),
            (deviation.affected_other, _("someone else")),
        ]
        if flag
    ]
    lines = [
        _("Service provider: %(name)s") % {"name": organisation.name},
        _("Service unit: %(unit)s") % {"unit": f"{unit.name}, {address}" if address else unit.name},
        _("Report: %(number)s, %(kind)s") % {"number": deviation.number, "kind": deviation.get_kind_display()},
        _("Occurred: %(when)s") % {"when": _local(deviation.occurred_at)},
        _("Reported: %(when)s") % {"when": _local(deviation.submitted_at)},
    ]
    if affected:
        lines.append(_("Affected: %(who)s") % {"who": ", ".join(affected)})
    if deviation.risk_level:
        lines.append(
            _("Assessed consequence: %(consequence)s; likelihood of recurrence: %(likelihood)s; risk level: %(risk)s")
            % {
                "consequence": deviation.get_consequence_display(),
                "likelihood": deviation.likelihood,
                "risk": deviation.get_risk_level_display(),
            }
        )
    return lines


def _sender_lines(actor) -> list[str]:
    return [_("Contact person: %(name)s, %(email)s") % {"name": actor.full_name, "email": actor.email}]


def _county_recipients(deviation: Deviation) -> list[tuple[str, str, str]]:
    """(recipient kind, name, e-mail) for every purchasing county of the unit."""
    recipients = []
    for county in deviation.unit.counties.order_by("name"):
        recipients.append((NotificationRecipient.COUNTY, county.name, county.notification_email))
        recipients.append(
            (NotificationRecipient.LEAD_OFFICIAL, f"{county.lead_official_name} ({county.name})", county.lead_official_email)
        )
    return recipients


def deviation_notification_drafts(*, actor, deviation: Deviation) -> list[NotificationDraft]:
    """Pre-filled notifications for the handler to review: one to each purchasing
    county's notification address and one to its lead official. No personal
    names of children or of the reporter in the text.

    Every draft carries the same subject and body (deviation_notify_county sends
    one reviewed text to all of them); an empty list when the unit has no county."""
    access.require_on(actor, deviation, access.P_DEVIATION_NOTIFY)
    organisation = _organisation(deviation.unit)
    correction_due = timezone.localdate() + dt.timedelta(days=organisation.correction_due_days)
    body = "\n".join(
        [
            _("To the wellbeing services county and its lead social-care official"),
            "",
            *_facts_without_names(deviation, organisation),
            "",
            _("What happened and what has been done (without names):"),
            "",
            "",
            _("We will report on the correction by %(date)s.") % {"date": _date(correction_due)},
            "",
            *_sender_lines(actor),
        ]
    )
    subject = _statutory_subject(deviation)
    return [
        NotificationDraft(recipient_kind=kind, recipient_name=name, recipient_email=email, subject=subject, body=body)
        for kind, name, email in _county_recipients(deviation)
    ]


def _check_message(deviation: Deviation, subject: str, body: str) -> tuple[str, str]:
    subject, body = _clean_text(subject), _clean_text(body)
    errors = {}
    if not subject:
        errors["subject"] = _("Write a subject.")
    else:
        _check_max_length(errors, "subject", subject, 250)
    if not body:
        errors["body"] = _("Write the message.")
    # A last guard for the law's promise: the reporter is not named outside.
    reporter = deviation.reporter if deviation.reporter_id else None
    if reporter is not None and reporter.full_name.strip():
        name = reporter.full_name.strip().lower()
        if name in subject.lower() or name in body.lower():
            errors["body"] = _("The message must not name the reporter.")
    if errors:
        raise ValidationError(errors)
    return subject, body


@transaction.atomic
def deviation_notify_county(*, actor, deviation: Deviation, subject: str, body: str) -> list[StatutoryNotification]:
    """Send the reviewed notification to every draft recipient through the outbox
    and record each (who, whom, when, what); sets correction_due (organisation
    .correction_due_days). Requires deviation.notify."""
    access.require_on(actor, deviation, access.P_DEVIATION_NOTIFY)
    subject, body = _check_message(deviation, subject, body)
    recipients = _county_recipients(deviation)
    if not recipients:
        raise ValidationError(_("The unit has no purchasing wellbeing services county to notify. Ask an administrator to add one."))
    now = timezone.now()
    correction_due = timezone.localdate(now) + dt.timedelta(days=_organisation(deviation.unit).correction_due_days)
    records = []
    for kind, name, email in recipients:
        outbox = notification_enqueue(
            kind="deviation.county_notification", subject=subject, body=body, email=email, recipient=None
        )
        records.append(
            StatutoryNotification.objects.create(
                deviation=deviation,
                unit=deviation.unit,
                recipient_kind=kind,
                recipient_name=name[:200],
                recipient_email=email,
                subject=subject,
                body=body,
                sent_by=actor,
                sent_at=now,
                correction_due=correction_due,
                outbox=outbox,
            )
        )
    fields: list[str] = []
    _start_handling(deviation, now, fields)
    if fields:
        _save(deviation, fields)
    audit_event_record(
        actor=actor,
        verb="deviation.county_notified",
        target=deviation,
        unit=deviation.unit,
        recipients=[r.recipient_email for r in records],
        correction_due=correction_due.isoformat(),
    )
    return records


def _default_authority():
    authority = Authority.objects.filter(is_default=True).order_by("name", "pk").first()
    if authority is None:
        raise ValidationError(_("No default supervisory authority has been set. Ask an administrator to set one."))
    return authority


def authority_escalation_refusal(deviation: Deviation) -> str | None:
    """Why the report cannot be escalated to the supervisory authority now, or None
    when it can (for views deciding whether to offer the button)."""
    if deviation.state == State.CLOSED:
        return _("A closed report cannot be escalated.")
    if deviation.statutory_notifications.filter(recipient_kind=NotificationRecipient.AUTHORITY).exists():
        return _("This report has already been escalated to the supervisory authority.")
    county = _county_notifications(deviation).aggregate(count=Count("id"), due=Min("correction_due"))
    if not county["count"]:
        return _("Notify the purchasing county first.")
    # The first deadline given to the county counts: a later message does not buy time.
    due = county["due"]
    if due is not None and timezone.localdate() <= due:
        return _("The county's correction deadline %(date)s has not passed yet.") % {"date": _date(due)}
    return None


def deviation_authority_draft(*, actor, deviation: Deviation) -> NotificationDraft:
    """Pre-filled escalation message to the default supervisory authority."""
    access.require_on(actor, deviation, access.P_DEVIATION_NOTIFY)
    authority = _default_authority()
    organisation = _organisation(deviation.unit)
    notified = _county_notifications(deviation).aggregate(first=Min("sent_at"), due=Min("correction_due"))
    body = "\n".join(
        [
            _("To the supervisory authority"),
            "",
            _(
                "We notified the purchasing wellbeing services county of the shortcoming below on %(notified)s. "
                "It has not been corrected by the agreed date %(due)s, so we bring it to your attention "
                "(Sote-valvontalaki § 29)."
            )
            % {"notified": _local(notified["first"]), "due": _date(notified["due"])},
            "",
            *_facts_without_names(deviation, organisation),
            _("Current state: %(state)s") % {"state": deviation.get_state_display()},
            "",
            _("What has been done and what is still missing (without names):"),
            "",
            "",
            *_sender_lines(actor),
        ]
    )
    return NotificationDraft(
        recipient_kind=NotificationRecipient.AUTHORITY,
        recipient_name=authority.name,
        recipient_email=authority.email,
        subject=_("Escalation of an uncorrected shortcoming: %(unit)s, %(number)s")
        % {"unit": deviation.unit.name, "number": deviation.number},
        body=body,
    )


@transaction.atomic
def deviation_escalate_to_authority(*, actor, deviation: Deviation, subject: str, body: str) -> StatutoryNotification:
    """Escalate to the default supervisory Authority. Allowed only when the county
    was notified, the correction due date has passed and the report is still open."""
    access.require_on(actor, deviation, access.P_DEVIATION_NOTIFY)
    refusal = authority_escalation_refusal(deviation)
    if refusal:
        raise ValidationError(refusal)
    subject, body = _check_message(deviation, subject, body)
    authority = _default_authority()
    outbox = notification_enqueue(
        kind="deviation.authority_notification", subject=subject, body=body, email=authority.email, recipient=None
    )
    record = StatutoryNotification.objects.create(
        deviation=deviation,
        unit=deviation.unit,
        recipient_kind=NotificationRecipient.AUTHORITY,
        recipient_name=authority.name[:200],
        recipient_email=authority.email,
        subject=subject,
        body=body,
        sent_by=actor,
        sent_at=timezone.now(),
        outbox=outbox,
    )
    audit_event_record(
        actor=actor,
        verb="deviation.authority_notified",
        target=deviation,
        unit=deviation.unit,
        authority=authority.name,
        recipient=authority.email,
    )
    return record


# --- Background ------------------------------------------------------------------------------


def deviations_escalate_stalled(*, now: dt.datetime | None = None) -> int:
    """Background job: reports still `submitted` after handling_due_at, not yet
    escalated, are escalated to the handler's own manager (the unit's responsible
    person and the region's regional director): notification, escalated_at, audit
    event (actor None). Returns how many.

    Each report is claimed with a conditional UPDATE in its own transaction, so
    workers running side by side never escalate one twice, and one bad row does
    not hold back the rest."""
    now = now or timezone.now()
    due = (
        Deviation.objects.filter(state=State.SUBMITTED, handling_due_at__lt=now, escalated_at__isnull=True)
        .select_related("unit", "unit__region", "handler")
        .order_by("handling_due_at", "id")[:STALLED_BATCH]
    )
    count = 0
    for deviation in due:
        with transaction.atomic():
            claimed = Deviation.objects.filter(
                pk=deviation.pk, state=State.SUBMITTED, escalated_at__isnull=True
            ).update(escalated_at=now)
            if not claimed:
                continue
            deviation.escalated_at = now
            unit = deviation.unit
            managers = (
                Membership.objects.filter(user__is_active=True)
                .filter(
                    Q(role=Role.RESPONSIBLE_PERSON, unit_id=unit.pk)
                    | Q(role=Role.RESPONSIBLE_PERSON, region_id=unit.region_id)
                    | Q(role=Role.REGIONAL_DIRECTOR, region_id=unit.region_id)
                )
                # The stalled handler is who the escalation is about, not to.
                .exclude(user_id=deviation.handler_id or 0)
                .select_related("user")
                .order_by("user__full_name", "user_id")
            )
            recipients = list({m.user_id: m.user for m in managers}.values())
            handler_name = deviation.handler.full_name if deviation.handler_id else _("no handler named")
            for person in recipients:
                notification_enqueue(
                    recipient=person,
                    kind="deviation.escalated",
                    subject=_("Handling has not started: deviation report %(number)s, %(unit)s")
                    % {"number": deviation.number, "unit": unit.name},
                    body=_(
                        "Deviation report %(number)s (%(kind)s) was filed in %(unit)s on %(submitted)s. "
                        "Handling should have started by %(due)s but has not. Handler: %(handler)s."
                    )
                    % {
                        "number": deviation.number,
                        "kind": deviation.get_kind_display(),
                        "unit": unit.name,
                        "submitted": _local(deviation.submitted_at),
                        "due": _local(deviation.handling_due_at),
                        "handler": handler_name,
                    },
                    link=detail_link(deviation),
                )
            audit_event_record(
                actor=None,
                verb="deviation.escalated",
                target=deviation,
                unit=unit,
                recipients=[p.pk for p in recipients],
            )
            count += 1
    return count


# --- Routing ----------------------------------------------------------------------------------


@transaction.atomic
def handler_assignment_set(*, actor, unit, kind: str, handler) -> None:
    """Name the handler of one report type in a unit (requires deviation.routing);
    handler=None removes the row (back to the supervisor)."""
    access.require(actor, access.P_DEVIATION_ROUTING, unit)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose the type of the report.")})
    existing = HandlerAssignment.objects.filter(unit=unit, kind=kind).first()
    if handler is None:
        if existing is not None:
            existing.delete()
            audit_event_record(actor=actor, verb="deviation.routing_cleared", target=unit, unit=unit, kind=kind)
        return
    if not handler.is_active or not access.can(handler, access.P_DEVIATION_HANDLE, unit, kind=kind):
        raise ValidationError(
            {"handler": _("%(name)s cannot handle this type of report in this unit.") % {"name": handler.full_name}}
        )
    if existing is None:
        HandlerAssignment.objects.create(unit=unit, kind=kind, handler=handler)
    elif existing.handler_id != handler.pk:
        existing.handler = handler
        existing.save(update_fields=["handler"])
    else:
        return
    audit_event_record(
        actor=actor,
        verb="deviation.routing_set",
        target=unit,
        unit=unit,
        kind=kind,
        handler_id=handler.pk,
        handler_name=handler.full_name,
    )
