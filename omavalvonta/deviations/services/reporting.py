"""Filing a report: validation, attachments, routing, and who is told."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from omavalvonta.core import registry
from omavalvonta.core.lib.workdays import add_working_days
from omavalvonta.core.services import audit_event_record
from omavalvonta.deviations import law, rules, selectors
from omavalvonta.deviations.models import (
    Attachment,
    Deviation,
    HandlerAssignment,
    Kind,
)
from omavalvonta.deviations.services._common import (
    GDPR_BREACH_HOURS,
    SubmitResult,
    _assigned_event,
    _clean_text,
    _event,
    _local,
    _members_covering,
    _organisation,
    _tell,
    statutory_clock_start,
)
from omavalvonta.deviations.services.report_input import ReportInput, _validated
from omavalvonta.organisation import access, access_people
from omavalvonta.organisation.models import Role

log = logging.getLogger(__name__)


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
    rows = (
        access_people.memberships_of([Role.SUPERVISOR, Role.RESPONSIBLE_PERSON], unit=unit)
        | access_people.memberships_of([Role.REGIONAL_DIRECTOR], region=unit.region_id)
    ).select_related("user")
    best = min(rows, key=lambda m: (preference[m.role], m.user.full_name, m.user_id), default=None)
    return best.user if best is not None else None


# Who among the group's specialists is told of a new report of a kind, besides its
# handler (each holder whose scope covers the unit; the data protection officer's
# notice, with the GDPR's 72 hours, is written out below). What each may then read
# is the access kernel's kind limits. The safety manager (työsuojelupäällikkö)
# leads occupational safety; the HR director (henkilöstöjohtaja) is among the
# directors the provider's programme names to support a unit's handling of
# deviations, and "epäasiallinen käytös tai häirintä" is a deviation's subject
# there: the staff's safety and harassment are theirs.
SPECIALISTS_TOLD: dict[str, tuple[str, ...]] = {
    Kind.THREAT_OR_VIOLENCE: (Role.SAFETY_MANAGER, Role.HR_DIRECTOR),
    Kind.HARASSMENT: (Role.HR_DIRECTOR,),
}
_SPECIALIST_TEXTS = {
    Kind.THREAT_OR_VIOLENCE: (
        gettext_lazy("A threat, danger or violence situation has been reported."),
        gettext_lazy("Threat or violence report: %(kind)s, %(unit)s"),
    ),
    Kind.HARASSMENT: (
        gettext_lazy("Inappropriate treatment or harassment has been reported."),
        gettext_lazy("Harassment report: %(kind)s, %(unit)s"),
    ),
}


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
        _tell(
            [deviation.handler],
            deviation,
            kind="deviation.submitted",
            subject=_("New deviation report: %(kind)s, %(unit)s") % {"kind": kind_label, "unit": unit.name},
            body="\n".join(lines),
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
        _tell(
            _members_covering(unit, [Role.DATA_PROTECTION_OFFICER], exclude_ids=exclude),
            deviation,
            kind="deviation.data_protection",
            subject=_("Data-protection deviation: %(kind)s, %(unit)s") % {"kind": kind_label, "unit": unit.name},
            body="\n".join(lines),
        )
    roles = SPECIALISTS_TOLD.get(deviation.kind)
    if roles:
        intro, subject = _SPECIALIST_TEXTS[deviation.kind]
        lines = [str(intro), "", facts]
        _tell(
            _members_covering(unit, list(roles), exclude_ids=exclude),
            deviation,
            kind=f"deviation.{deviation.kind}",
            subject=str(subject) % {"kind": kind_label, "unit": unit.name},
            body="\n".join(lines),
        )


def _new_deviation(report: ReportInput, *, actor, unit, handler, submitted, submission, digest) -> Deviation:
    organisation = _organisation(unit)
    local_submitted = submitted.astimezone(rules.HELSINKI)
    handling_due_day = add_working_days(local_submitted.date(), organisation.handling_start_working_days)
    deviation = Deviation(
        unit=unit,
        # Unique placeholder until the primary key exists; replaced below.
        number=f"tmp-{uuid.uuid4().hex[:16]}",
        kind=report.kind,
        occurred_at=report.occurred_at,
        location=report.location,
        description=report.description,
        immediate_actions=_clean_text(report.immediate_actions),
        affected_child=bool(report.affected_child),
        affected_staff=bool(report.affected_staff),
        affected_other=bool(report.affected_other),
        improvement_proposal=_clean_text(report.improvement_proposal),
        medication_stage=report.medication_stage,
        medication_substance=report.medication_substance,
        violence_target=report.violence_target,
        injury=bool(report.injury),
        restraint_used=bool(report.restraint_used),
        data_concerned=report.data_concerned,
        personal_data_breach=bool(report.personal_data_breach),
        medication_harm=bool(report.medication_harm),
        child_missing=bool(report.child_missing),
        reported_serious=bool(report.reported_serious),
        reporter=None if report.anonymous else actor,
        is_anonymous=bool(report.anonymous),
        followup_code_digest=digest or "",
        handler=handler,
        submitted_at=submitted,
        submission_digest=submission,
        handling_due_at=dt.datetime.combine(handling_due_day, local_submitted.time(), tzinfo=rules.HELSINKI),
        due_date=local_submitted.date() + dt.timedelta(days=organisation.handling_target_days),
    )
    deviation.serious_reasons = law.serious_reasons(deviation)
    return deviation


def _insert_once(deviation: Deviation, submission: str | None, submission_key: str) -> SubmitResult | None:
    """Store the new report; the report already stored when a request with the
    same key committed first (then nothing is stored)."""
    if submission is None:
        deviation.save(force_insert=True)
        return None
    try:
        # A savepoint: when another request with the same key committed first,
        # the unique index refuses this row and the outer transaction goes on.
        with transaction.atomic():
            deviation.save(force_insert=True)
    except IntegrityError:
        existing = _already_submitted(submission, submission_key)
        if existing is None:
            raise
        return existing
    return None


def _save_attachments(deviation: Deviation, accepted_files) -> None:
    for index, (f, ctype, ext) in enumerate(accepted_files, start=1):
        # An anonymous or protected reporter's file names ("IMG_Eeva.jpg") could identify them.
        original = f"{_('attachment')}-{index}.{ext}" if deviation.identity_protected else (f.name or "")[-200:]
        attachment = Attachment(
            deviation=deviation, unit=deviation.unit, original_name=original, content_type=ctype, size=f.size or 0
        )
        attachment.file.save(f"upload.{ext}", f, save=False)
        attachment.save()


def _record_submitted(deviation: Deviation, *, actor, files: int, public: bool) -> None:
    _event(
        None if deviation.is_anonymous else actor,
        deviation,
        "deviation.submitted",
        kind=deviation.kind,
        number=deviation.number,
        attachments=files,
        **({"channel": "public"} if public else {}),
    )
    if deviation.handler is not None:
        _assigned_event(None, deviation, deviation.handler, routed=True)
    else:
        log.warning("Deviation %s in unit %s has no handler to route to.", deviation.number, deviation.unit.pk)


@transaction.atomic
def deviation_submit(
    *,
    actor,
    unit,
    report: ReportInput,
    submitted_at: dt.datetime | None = None,
    submission_key: str = "",
    origin: str = "",
    _channel: object = None,
) -> SubmitResult:
    """File `report` (a ReportInput) in `unit` (requires deviation.report there).

    * report.anonymous=True stores no identity (reporter=None, audit actor None).
    * A follow-up code is issued for anonymous reports and always for § 29
      grievances; only its HMAC digest is stored.
    * Routes the report: handler = HandlerAssignment(unit, kind) or the unit's
      supervisor (then responsible person, then regional director); notifies the
      handler; data-protection reports also notify data protection officers,
      threat/violence reports safety managers, whose grants cover the unit.
    * Sets number, handling_due_at (organisation.handling_start_working_days
      working days) and due_date (organisation.handling_target_days).
    * report.attachments: uploaded files; images (JPEG, PNG, HEIC, WebP) and PDF
      only, each at most settings.ATTACHMENT_MAX_BYTES, at most 5.
    * A report meeting a serious-event criterion (law.SERIOUS_EVENT_CRITERIA:
      violence with an injury, a missing child, a serious medication error, the
      reporter's own "serious" flag) starts the § 28 clock at once: the
      notification deadline is set, and the unit's responsible persons and the
      handler are alerted immediately (never held for a digest).
    * report.children: the ids of the unit's placed children the report concerns
      (optional; offered by the clients area through core.registry). Its
      statutory notifications then go to their placing counties and social
      workers. An anonymous report names no child.
    * submitted_at: only for the demo loader, to back-date.
    * submission_key: the idempotency key of a browser's queued report. Each key
      is accepted once (only its HMAC is stored, `submission_digest`): a second
      send returns the report already stored with created=False, and nothing is
      stored, routed or notified again, even when both sends race (the unique
      index decides). Its follow-up code is derived from the key, so the second
      answer shows the same code.
    * origin: "name:id" of another area's record the report is made from (a
      restrictive measure that went wrong; core.registry REPORT_ORIGINS): the
      record must be in `unit` and readable by `actor`, the report is not
      anonymous (the record names who recorded it), and the record is linked to
      the report in this transaction.

    Type-specific details of other types (left over when the reporter switched
    type in the form) are dropped rather than refused.
    """
    # The public channel has no actor; only `deviation_submit_public` passes this.
    if _channel is not _PUBLIC_CHANNEL:
        access.require(actor, access.P_DEVIATION_REPORT, unit, kind=report.kind)
    submission = _submission_digest(submission_key)
    if submission is not None:
        existing = _already_submitted(submission, submission_key)
        if existing is not None:
            return existing
    submitted = submitted_at or timezone.now()
    # The origin first: its refusal says why an anonymous report cannot be made here.
    link_origin = _origin_link(origin, actor=actor, unit=unit, report=report)
    report, accepted_files = _validated(report, unit, submitted)

    followup_code = digest = None
    if report.anonymous or report.kind == Kind.GRIEVANCE:
        followup_code = (
            rules.followup_code_from_submission(submission_key) if submission else rules.followup_code_generate()
        )
        digest = rules.followup_code_digest(followup_code)
    deviation = _new_deviation(
        report,
        actor=actor,
        unit=unit,
        handler=_route(unit, report.kind),
        submitted=submitted,
        submission=submission,
        digest=digest,
    )
    existing = _insert_once(deviation, submission, submission_key)
    if existing is not None:
        return existing
    deviation.number = rules.deviation_number(submitted, deviation.pk)
    deviation.save(update_fields=["number"])
    if report.children:
        # Inside this transaction: a child who cannot be named files nothing.
        registry.first(registry.CHILDREN_NAME)(actor=actor, record=deviation, unit=unit, ids=report.children)
    if link_origin is not None:
        link_origin(deviation)
    _save_attachments(deviation, accepted_files)
    _record_submitted(deviation, actor=actor, files=len(accepted_files), public=_channel is _PUBLIC_CHANNEL)
    _notify_on_submit(deviation)
    if deviation.is_serious:
        statutory_clock_start(deviation, started=submitted, actor=None, reasons=deviation.serious_reasons)
    return SubmitResult(deviation=deviation, followup_code=followup_code)

_PUBLIC_CHANNEL = object()


def _origin_link(origin: str, *, actor, unit, report):
    """The link to make once the report is stored, or None without an origin;
    a ValidationError when the origin cannot be used for this report."""
    if not origin:
        return None
    found = selectors.report_origin(origin, actor=actor)
    if found is None or found[2]["unit"].pk != unit.pk:
        raise ValidationError(
            {"__all__": _("The record this report was started from cannot be linked to it. Start the report again from the record.")}
        )
    if report.anonymous:
        raise ValidationError({"anonymous": _("A report started from a record names its author: it cannot be anonymous.")})
    entry, ref, _prefill = found
    return lambda deviation: entry.func(actor=actor, ref=ref, deviation=deviation)


def _submission_digest(submission_key: str) -> str | None:
    if not submission_key:
        return None
    if not rules.submission_key_is_well_formed(submission_key):
        raise ValidationError({"submission_key": _("The report's sending key is not valid. Write the report again.")})
    return rules.submission_digest(submission_key)


def _already_submitted(submission: str, submission_key: str) -> SubmitResult | None:
    deviation = Deviation.objects.filter(submission_digest=submission).first()
    if deviation is None:
        return None
    code = rules.followup_code_from_submission(submission_key) if deviation.followup_code_digest else None
    return SubmitResult(deviation=deviation, followup_code=code, created=False)


def deviation_submit_public(*, unit, description: str, sender_name: str = "", sender_contact: str = "") -> SubmitResult:
    """A written notice about a child's rights or self-determination sent through
    the public channel (no sign-in): filed as a client-rights report in `unit`,
    with no reporter account, routed and notified like any report. The sender
    gets a follow-up code to read the answer on the public follow-up page. A name
    and contact the sender chose to give are kept in the description."""
    text = (description or "").strip()
    if sender_name or sender_contact:
        text += "\n\n" + _("Sender: %(name)s, contact: %(contact)s") % {
            "name": sender_name or "-",
            "contact": sender_contact or "-",
        }
    intro = _("Written notice through the public feedback channel.")
    return deviation_submit(
        actor=None,
        unit=unit,
        report=ReportInput(
            kind=Kind.CLIENT_RIGHTS,
            occurred_at=timezone.now(),
            description=f"{intro}\n\n{text}" if text else "",
            affected_child=True,
            anonymous=True,
        ),
        _channel=_PUBLIC_CHANNEL,
    )


# --- Handling ------------------------------------------------------------------------------



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
