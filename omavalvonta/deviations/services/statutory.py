"""Statutory notifications: the county and its lead official (§ 28/§ 29), and escalation to the supervisory authority."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.services import audit_event_record
from omavalvonta.deviations.models import (
    Deviation,
    Kind,
    NotificationRecipient,
    State,
    StatutoryNotification,
)
from omavalvonta.deviations.services._common import (
    NotificationDraft,
    _check_max_length,
    _clean_text,
    _county_notifications,
    _date,
    _local,
    _organisation,
    _save,
    _start_handling,
)
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access
from omavalvonta.organisation.models import Authority


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


def _check_message(deviation: Deviation, subject: str, body: str, *, sender) -> tuple[str, str]:
    subject, body = _clean_text(subject), _clean_text(body)
    errors = {}
    if not subject:
        errors["subject"] = _("Write a subject.")
    else:
        _check_max_length(errors, "subject", subject, 250)
    if not body:
        errors["body"] = _("Write the message.")
    # A last guard for the law's promise: the reporter is not named outside. A
    # handler who reported the case themselves signs as its contact person.
    reporter = deviation.reporter if deviation.reporter_id and deviation.reporter_id != sender.pk else None
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
    subject, body = _check_message(deviation, subject, body, sender=actor)
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
    subject, body = _check_message(deviation, subject, body, sender=actor)
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
