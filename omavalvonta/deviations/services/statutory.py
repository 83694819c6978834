"""Statutory notifications: the county and its lead official (§ 28/§ 29), and escalation to the supervisory authority."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.deviations import law
from omavalvonta.deviations.models import (
    Deviation,
    NotificationPurpose,
    NotificationRecipient,
    State,
    StatutoryNotification,
)
from omavalvonta.deviations.selectors import deviation_children, notification_counties
from omavalvonta.deviations.services._common import (
    NotificationDraft,
    _check_max_length,
    _clean_text,
    _county_notifications,
    _date,
    _event,
    _local,
    _organisation,
    _save,
    _start_handling,
    statutory_progress,
)
from omavalvonta.improvement.selectors import open_action_count_for_source
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access
from omavalvonta.organisation.models import Authority


def _statutory_subject(deviation: Deviation, duty) -> str:
    values = {"unit": deviation.unit.name, "number": deviation.number}
    if duty is law.GRIEVANCE_DUTY:
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


def _county_recipients(counties) -> list[tuple[str, str, str, int]]:
    """(recipient kind, name, e-mail, county id) for `counties`: each county's
    notification address and its lead official."""
    recipients = []
    for county in counties:
        recipients.append((NotificationRecipient.COUNTY, county.name, county.notification_email, county.pk))
        recipients.append(
            (
                NotificationRecipient.LEAD_OFFICIAL,
                f"{county.lead_official_name} ({county.name})",
                county.lead_official_email,
                county.pk,
            )
        )
    return recipients


def deviation_notification_drafts(*, actor, deviation: Deviation) -> list[NotificationDraft]:
    """Pre-filled notifications for the handler to review: one to each purchasing
    county's notification address and one to its lead official, and for a § 28
    event one to the default supervisory authority (when one is set). No
    personal names of children or of the reporter in the text. When the report
    names children, one to each child's responsible social worker too.

    Every draft carries the same subject and body (deviation_notify_county sends
    one reviewed text to the recipients the handler chooses); an empty list when
    there is nobody to notify."""
    access.require_on(actor, deviation, access.P_DEVIATION_NOTIFY)
    organisation = _organisation(deviation.unit)
    duty = deviation.statutory_duty or law.SERIOUS_EVENT_DUTY
    correction_due = timezone.localdate() + dt.timedelta(days=organisation.correction_due_days)
    authority = Authority.objects.filter(is_default=True).order_by("name", "pk").first() if duty.includes_authority else None
    body = "\n".join(
        [
            _("To the wellbeing services county, its lead social-care official and the supervisory authority")
            if authority is not None
            else _("To the wellbeing services county and its lead social-care official"),
            "",
            _("Legal basis: %(source)s") % {"source": duty.source},
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
    subject = _statutory_subject(deviation, duty)

    def draft(kind, name, email, county_id=None, key=""):
        return NotificationDraft(
            recipient_kind=kind, recipient_name=name, recipient_email=email, subject=subject, body=body,
            county_id=county_id, key=key,
        )

    children = deviation_children(actor=actor, deviation=deviation)
    counties = notification_counties(deviation=deviation, children=children)
    drafts = [draft(*recipient) for recipient in _county_recipients(counties)]
    drafts += [
        draft(NotificationRecipient.SOCIAL_WORKER, name, email, county_id, key)
        for key, name, email, county_id in children["contacts"]
    ]
    if authority is not None:
        drafts.append(draft(NotificationRecipient.AUTHORITY, authority.name, authority.email))
    return drafts


def _names_in(text: str, names) -> bool:
    """Does `text` contain one of `names` as a word (initials of two letters too)?"""
    for name in names:
        name = (name or "").strip()
        if len(name) >= 2 and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE):
            return True
    return False


def _check_message(deviation: Deviation, subject: str, body: str, *, sender, child_names=()) -> tuple[str, str]:
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
    # Nor a child: the message travels by e-mail; the child's social worker knows the child.
    if "body" not in errors and _names_in(f"{subject}\n{body}", child_names):
        errors["body"] = _("The message must not name the child. The child's social worker is told who it concerns.")
    if errors:
        raise ValidationError(errors)
    return subject, body


@transaction.atomic
def deviation_notify_county(
    *,
    actor,
    deviation: Deviation,
    subject: str,
    body: str,
    counties,
    social_workers=(),
    notify_authority: bool = False,
) -> list[StatutoryNotification]:
    """Send the reviewed notification to the recipients the handler chose and
    record each (who, whom, when, what, on which legal basis), the choice too.

    * counties: the counties to notify (each county's notification address and
      its lead official), among the unit's purchasing counties and the placing
      counties of the children the report names. The page proposes the named
      children's counties; with no child named the handler chooses. A county
      with no part in the case must not hear of it.
    * social_workers: the keys of the named children's responsible social
      workers to notify (registry.CHILDREN_RECIPIENTS).
    * notify_authority: also the default supervisory authority (only for a § 28
      event, whose duty names it).

    Sets correction_due (organisation.correction_due_days) on county messages.
    Requires deviation.notify. Stamps the § 28 clock done once nothing is missing."""
    access.require_on(actor, deviation, access.P_DEVIATION_NOTIFY)
    children = deviation_children(actor=actor, deviation=deviation)
    subject, body = _check_message(deviation, subject, body, sender=actor, child_names=children["names"])
    duty = deviation.statutory_duty or law.SERIOUS_EVENT_DUTY
    counties = list(counties or [])
    unit_county_ids = {c.pk for c in notification_counties(deviation=deviation, children=children)}
    contacts = {key: (name, email, county_id) for key, name, email, county_id in children["contacts"]}
    social_workers = [str(k) for k in (social_workers or ())]
    recipients = _chosen_recipients(
        duty, counties=counties, unit_county_ids=unit_county_ids, contacts=contacts,
        social_workers=social_workers, notify_authority=notify_authority,
    )
    now = timezone.now()
    correction_due = timezone.localdate(now) + dt.timedelta(days=_organisation(deviation.unit).correction_due_days)
    records = [
        _notification_send(
            actor, deviation, recipient, purpose=NotificationPurpose.NOTIFICATION, legal_basis=duty.source,
            subject=subject, body=body, now=now, correction_due=correction_due,
        )
        for recipient in recipients
    ]
    fields: list[str] = []
    _start_handling(deviation, now, fields)
    if fields:
        _save(deviation, fields)
    _notified_audit(
        actor, deviation, duty, records, recipients, counties=counties, unit_county_ids=unit_county_ids,
        children=children, contacts=contacts, social_workers=social_workers, notify_authority=notify_authority,
        correction_due=correction_due,
    )
    statutory_progress(deviation, now=now, actor=actor)
    return records


def _notified_audit(actor, deviation, duty, records, recipients, *, counties, unit_county_ids, children, contacts,
                    social_workers, notify_authority, correction_due) -> None:
    """The audit trail of a sending: the choice, with what the page proposed (the
    named children's counties), and the authority told."""
    chosen = sorted(counties, key=lambda c: c.name)
    if chosen or social_workers:
        # The choice, with what the page proposed: the named children's counties.
        _event(
            actor,
            deviation,
            "deviation.county_notified",
            recipients=[r.recipient_email for r in records if r.recipient_kind != NotificationRecipient.AUTHORITY],
            counties=[c.name for c in chosen],
            county_ids=[c.pk for c in chosen],
            not_chosen=sorted(unit_county_ids - {c.pk for c in chosen}),
            children=children["count"],
            proposed_county_ids=children["county_ids"],
            social_workers=[contacts[k][1] for k in dict.fromkeys(social_workers)],
            social_workers_not_chosen=sorted(contacts[k][1] for k in contacts if k not in social_workers),
            source=duty.source,
            correction_due=correction_due.isoformat(),
        )
    if notify_authority:
        _event(
            actor, deviation, "deviation.authority_notified",
            purpose=NotificationPurpose.NOTIFICATION, source=duty.source, authority=recipients[-1][1], recipient=recipients[-1][2],
        )


def _chosen_recipients(duty, *, counties, unit_county_ids, contacts, social_workers, notify_authority) -> list[tuple]:
    """The handler's choice checked against the case: (kind, name, e-mail,
    county id) per recipient, the counties first, the authority last."""
    if any(c.pk not in unit_county_ids for c in counties):
        raise ValidationError({"counties": _("Choose among the unit's purchasing counties.")})
    if any(k not in contacts for k in social_workers):
        raise ValidationError({"social_workers": _("Choose among the social workers of the children the report names.")})
    if notify_authority and not duty.includes_authority:
        raise ValidationError(
            {"notify_authority": _("The supervisory authority is told of this report only by an escalation.")}
        )
    recipients = list(_county_recipients(sorted(counties, key=lambda c: (c.name, c.pk))))
    recipients += [
        (NotificationRecipient.SOCIAL_WORKER, contacts[k][0], contacts[k][1], contacts[k][2])
        for k in dict.fromkeys(social_workers)
    ]
    if not unit_county_ids and not recipients and not notify_authority:
        raise ValidationError(_("The unit has no purchasing wellbeing services county to notify. Ask an administrator to add one."))
    if notify_authority:
        authority = _default_authority()
        recipients.append((NotificationRecipient.AUTHORITY, authority.name, authority.email, None))
    if not recipients:
        raise ValidationError({"counties": _("Choose at least one recipient.")})
    return recipients


def _notification_send(
    actor, deviation, recipient, *, purpose, legal_basis, subject, body, now, correction_due=None
) -> StatutoryNotification:
    """Queue one recipient's message and record it (who, whom, when, what, on which
    basis); `correction_due` and the county only on a county's message."""
    kind, name, email, county_id = recipient
    is_county = kind != NotificationRecipient.AUTHORITY
    outbox = notification_enqueue(
        kind="deviation.county_notification" if is_county else "deviation.authority_notification",
        subject=subject,
        body=body,
        email=email,
        recipient=None,
    )
    return StatutoryNotification.objects.create(
        deviation=deviation,
        unit=deviation.unit,
        recipient_kind=kind,
        purpose=purpose,
        legal_basis=legal_basis,
        recipient_name=name[:200],
        recipient_email=email,
        subject=subject,
        body=body,
        sent_by=actor,
        sent_at=now,
        correction_due=correction_due if is_county else None,
        outbox=outbox,
        county_id=county_id if is_county else None,
    )


def _default_authority():
    authority = Authority.objects.filter(is_default=True).order_by("name", "pk").first()
    if authority is None:
        raise ValidationError(_("No default supervisory authority has been set. Ask an administrator to set one."))
    return authority


def authority_escalation_refusal(deviation: Deviation) -> str | None:
    """Why the report cannot be escalated to the supervisory authority now, or None
    when it can (for views deciding whether to offer the button).

    The shortcoming must still be uncorrected after the county's correction
    date: an open report, or a closed one whose corrective actions are still
    open (closing does not make a shortcoming go away)."""
    if deviation.statutory_notifications.filter(purpose=NotificationPurpose.ESCALATION).exists():
        return _("This report has already been escalated to the supervisory authority.")
    county = _county_notifications(deviation).aggregate(count=Count("id"), due=Min("correction_due"))
    if not county["count"]:
        return _("Notify the purchasing county first.")
    if deviation.state == State.CLOSED and not open_action_count_for_source(source=deviation):
        return _("The report is closed and its corrective actions are done: the shortcoming has been corrected.")
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
    was notified, the correction due date has passed and the shortcoming is still
    uncorrected (see authority_escalation_refusal)."""
    access.require_on(actor, deviation, access.P_DEVIATION_NOTIFY)
    refusal = authority_escalation_refusal(deviation)
    if refusal:
        raise ValidationError(refusal)
    children = deviation_children(actor=actor, deviation=deviation)
    subject, body = _check_message(deviation, subject, body, sender=actor, child_names=children["names"])
    authority = _default_authority()
    record = _notification_send(
        actor, deviation, (NotificationRecipient.AUTHORITY, authority.name, authority.email, None),
        purpose=NotificationPurpose.ESCALATION, legal_basis=law.SECTION_29, subject=subject, body=body, now=timezone.now(),
    )
    _event(
        actor, deviation, "deviation.authority_notified",
        purpose=NotificationPurpose.ESCALATION, source=law.SECTION_29, authority=authority.name, recipient=authority.email,
    )
    return record


# --- Background ------------------------------------------------------------------------------
