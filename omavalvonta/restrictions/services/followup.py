"""The register's follow-up writes (issue 16, phase 2): the signed decision or
account and its handover, the child's social worker told (at once or in the
weekly summary, through clients' one-time-code delivery), the many/consecutive/
long flag and the unit's reduction goal. Every write checks the kernel again."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.clients import selectors as clients_selectors, services as clients_services
from omavalvonta.core.services import audit_event_record
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access, access_people
from omavalvonta.restrictions import law, rules
from omavalvonta.restrictions.models import (
    ChildFlag,
    DeliveryTo,
    DocumentHandover,
    ReductionGoal,
    Restriction,
    RestrictionDocument,
)

TEXT_LIMIT = 4000
JOB_BATCH = 500


# --- The written decision or account (item 2) --------------------------------------------


def _content(restriction: Restriction) -> dict:
    """The measure's facts as signed into a document (ISO times; the PDF formats them)."""
    p = restriction.placement
    return {
        "child": p.name,
        "birth_year": p.birth_year,
        "unit": restriction.unit.name,
        "measure": restriction.measure,
        "started_at": restriction.started_at.isoformat(),
        "ended_at": restriction.ended_at.isoformat() if restriction.ended_at else "",
        "details": restriction.details,
        "reason": restriction.reason,
        "milder_means": restriction.milder_means,
        "decided_by": restriction.decided_by_name,
        "carried_out_by": restriction.carried_out_by,
        "child_heard": restriction.child_heard,
        "child_view": restriction.child_view,
        "child_not_heard_reason": restriction.child_not_heard_reason,
        "injuries": restriction.injuries,
    }


def _signable_kind(actor, restriction: Restriction) -> str:
    """The kind of document the measure is answered with (a decision or an
    account), once the actor may sign it: a decision needs restriction.decide,
    an account restriction.record. A measure decided outside the unit has none."""
    rule = restriction.rule
    kind = law.document_kind(rule, restriction.record_kind) if rule else None
    if kind is None:
        raise ValidationError(_("This measure was decided outside the unit: its decision is not written here."))
    perm = access.P_RESTRICTION_DECIDE if kind == law.DECISION else access.P_RESTRICTION_RECORD
    access.require(actor, perm, restriction.unit)
    return kind


def _reasoning_error(reasoning: str, kind: str) -> str | None:
    if not reasoning:
        return _("Write the reasoning of the decision.") if kind == law.DECISION else _("Write the account.")
    if len(reasoning) > TEXT_LIMIT:
        return _("Use at most %(limit)s characters.") % {"limit": TEXT_LIMIT}
    return None


def _correction_reason_error(correction_reason: str, *, correcting: bool) -> str | None:
    """A corrected version says why it is needed; the first version needs no reason."""
    if correcting and not correction_reason:
        return _("A signed document is not changed: write why this corrected version is needed.")
    if len(correction_reason) > TEXT_LIMIT:
        return _("Use at most %(limit)s characters.") % {"limit": TEXT_LIMIT}
    return None


def _check_document_texts(reasoning: str, correction_reason: str, *, kind: str, correcting: bool) -> None:
    errors = {}
    reasoning_error = _reasoning_error(reasoning, kind)
    if reasoning_error:
        errors["reasoning"] = reasoning_error
    correction_error = _correction_reason_error(correction_reason, correcting=correcting)
    if correction_error:
        errors["correction_reason"] = correction_error
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def document_sign(*, actor, restriction: Restriction, reasoning: str, correction_reason: str = "") -> RestrictionDocument:
    """Sign the written decision (the decider of an appealable measure the unit
    decided) or the written account (restriction.record; a restraint and the other
    measures the law answers with an account). Frozen once signed: signing again
    is a correction, a new version with its reason."""
    kind = _signable_kind(actor, restriction)
    # One signer at a time: the restriction's row is the lock for its versions.
    Restriction.objects.select_for_update().filter(pk=restriction.pk).first()
    last = restriction.documents.order_by("-version").first()
    reasoning = (reasoning or "").strip()
    correction_reason = (correction_reason or "").strip()
    _check_document_texts(reasoning, correction_reason, kind=kind, correcting=last is not None)
    document = RestrictionDocument.objects.create(
        restriction=restriction,
        version=(last.version + 1) if last else 1,
        kind=kind,
        content=_content(restriction),
        reasoning=reasoning,
        correction_reason=correction_reason if last else "",
        signed_by=actor,
        signed_by_name=actor.get_full_name() or str(actor),
        signed_at=timezone.now(),
    )
    audit_event_record(
        actor=actor, verb="restriction.document_signed", target=restriction, unit=restriction.unit,
        version=document.version, kind=kind,
    )
    return document


@transaction.atomic
def handover_record(*, actor, document: RestrictionDocument, to: str, given_on, how: str) -> DocumentHandover:
    """Record that a decision was given to the child or the guardian."""
    restriction = document.restriction
    access.require(actor, access.P_RESTRICTION_RECORD, restriction.unit)
    errors = {}
    if to not in DeliveryTo.values:
        errors["to"] = _("Choose to whom the decision was given.")
    if not isinstance(given_on, dt.date):
        errors["given_on"] = _("Give the date the decision was given.")
    elif given_on > timezone.localdate() or given_on < document.signed_at.date():
        errors["given_on"] = _("The date is between the signing and today.")
    how = (how or "").strip()
    if not how:
        errors["how"] = _("Write how the decision was given (in person, by post...).")
    elif len(how) > 200:
        errors["how"] = _("Use at most %(limit)s characters.") % {"limit": 200}
    if errors:
        raise ValidationError(errors)
    handover = DocumentHandover.objects.create(document=document, to=to, given_on=given_on, how=how, recorded_by=actor)
    audit_event_record(
        actor=actor, verb="restriction.document_given", target=restriction, unit=restriction.unit,
        version=document.version, to=to,
    )
    return handover


# --- The social worker informed (item 3) ---------------------------------------------------

NOTICE = "restrictions.notice"
ASSESSMENT = "restrictions.assessment"


def _inform_at_once(restriction: Restriction, actor) -> None:
    """A serious measure: its own delivery to the social worker, in this transaction."""
    delivery = clients_services.social_worker_deliver(
        placement=restriction.placement, generator=NOTICE, params={"restrictions": [restriction.pk]}, actor=actor
    )
    Restriction.objects.filter(pk=restriction.pk, social_worker_delivery__isnull=True).update(
        social_worker_delivery=delivery
    )
    restriction.social_worker_delivery = delivery


def week_start(now: dt.datetime) -> dt.datetime:
    """Monday 00:00 (local) of `now`'s week."""
    local = timezone.localtime(now)
    monday = local.date() - dt.timedelta(days=local.weekday())
    return timezone.make_aware(dt.datetime.combine(monday, dt.time()))


def social_workers_summarise(*, now: dt.datetime | None = None) -> int:
    """The weekly summary: per child, the measures of earlier weeks not yet told
    to the social worker go in one delivery. Claim-safe: a measure is claimed by
    a conditional update inside the delivery's transaction; two workers never
    send the same measure twice (the loser's delivery rolls back). Returns the
    deliveries sent."""
    now = now or timezone.now()
    before = week_start(now)
    placements = list(
        Restriction.objects.filter(social_worker_delivery__isnull=True, started_at__lt=before)
        .values_list("placement_id", flat=True)
        .distinct()
        .order_by("placement_id")[:JOB_BATCH]
    )
    sent = 0
    for placement_id in placements:
        with transaction.atomic():
            ids = list(
                Restriction.objects.filter(
                    placement_id=placement_id, social_worker_delivery__isnull=True, started_at__lt=before
                ).values_list("pk", flat=True)
            )
            if not ids:
                continue
            placement = clients_selectors.placement_for_job(pk=placement_id)
            delivery = clients_services.social_worker_deliver(
                placement=placement, generator=NOTICE, params={"restrictions": ids}
            )
            claimed = Restriction.objects.filter(pk__in=ids, social_worker_delivery__isnull=True).update(
                social_worker_delivery=delivery
            )
            if claimed != len(ids):
                # Another worker took (some of) them meanwhile: send nothing this round.
                transaction.set_rollback(True)
                continue
            sent += 1
    return sent


# --- Many, consecutive or long (item 4) ----------------------------------------------------


def unit_leaders(unit):
    """Those who decide on measures in `unit` (its leaders), in a fixed order."""
    return access_people.people_with(access.P_RESTRICTION_DECIDE, unit).order_by("pk")


def notify_each(recipients, **message) -> int:
    """The same notification (`kind`, `subject`, `body`, `link`, ...) to each of
    `recipients`; returns how many were queued."""
    sent = 0
    for person in recipients:
        notification_enqueue(recipient=person, **message)
        sent += 1
    return sent


def flags_check(*, placement, actor=None, now: dt.datetime | None = None) -> ChildFlag | None:
    """Raise the child's flag when a rule (rules.FLAG_RULES) is met and none is
    open: the unit's leaders are told (no child named) and the social worker is
    asked for an assessment of the service need (a delivery: no child data in
    the e-mail). Returns the new flag, or None."""
    now = now or timezone.now()
    if ChildFlag.objects.filter(placement=placement, handled_at__isnull=True).exists():
        return None
    rows = list(
        Restriction.objects.filter(placement=placement, started_at__gte=now - rules.LOOK_BACK).only(
            "measure", "started_at", "ended_at"
        )
    )
    met = rules.first_met(rows, now)
    if met is None:
        return None
    with transaction.atomic():
        try:
            with transaction.atomic():
                flag = ChildFlag.objects.create(placement=placement, unit=placement.unit, rule=met.key, raised_at=now)
        except IntegrityError:
            return None  # raised meanwhile by another request
        delivery = clients_services.social_worker_deliver(
            placement=placement, generator=ASSESSMENT, params={"flag": flag.pk}, actor=actor
        )
        ChildFlag.objects.filter(pk=flag.pk).update(social_worker_delivery=delivery)
        unit = placement.unit
        notify_each(
            unit_leaders(unit),
            kind="restriction.flag",
            subject=_("A child's restrictive measures need attention: %(unit)s") % {"unit": unit.name},
            body=_(
                "A child of %(unit)s has had %(rule)s. The child's social worker was asked to assess the "
                "service need. See the child's page and record how the situation is handled."
            )
            % {"unit": unit.name, "rule": met.explain()},
            link=reverse("clients:detail", args=[placement.pk]),
        )
        audit_event_record(actor=actor, verb="restriction.flag_raised", target=flag, unit=unit, rule=met.key)
    return flag


@transaction.atomic
def flag_handle(*, actor, flag: ChildFlag, handling: str) -> ChildFlag:
    """Record how a flag was handled (restriction.decide): it leaves the child's page."""
    access.require(actor, access.P_RESTRICTION_DECIDE, flag.unit)
    handling = (handling or "").strip()
    if not handling:
        raise ValidationError({"handling": _("Write how the situation was handled.")})
    if len(handling) > TEXT_LIMIT:
        raise ValidationError({"handling": _("Use at most %(limit)s characters.") % {"limit": TEXT_LIMIT}})
    done = ChildFlag.objects.filter(pk=flag.pk, handled_at__isnull=True).update(
        handled_at=timezone.now(), handled_by=actor, handling=handling
    )
    if not done:
        raise ValidationError(_("This flag has already been handled."))
    flag.refresh_from_db()
    audit_event_record(actor=actor, verb="restriction.flag_handled", target=flag, unit=flag.unit)
    return flag


# --- A unit's reduction goal (item 5) ------------------------------------------------------


@transaction.atomic
def goal_set(*, actor, unit, per_month, starts_on, note: str = "") -> ReductionGoal:
    """Set the unit's goal: at most `per_month` measures a month from `starts_on` (restriction.decide)."""
    access.require(actor, access.P_RESTRICTION_DECIDE, unit)
    errors = {}
    if not isinstance(per_month, int) or per_month < 0 or per_month > 10000:
        errors["per_month"] = _("Give a whole number from 0 to 10000.")
    if not isinstance(starts_on, dt.date):
        errors["starts_on"] = _("Give the date the goal starts.")
    note = (note or "").strip()
    if len(note) > 300:
        errors["note"] = _("Use at most %(limit)s characters.") % {"limit": 300}
    if errors:
        raise ValidationError(errors)
    goal = ReductionGoal.objects.create(unit=unit, per_month=per_month, starts_on=starts_on, note=note, set_by=actor)
    audit_event_record(actor=actor, verb="restriction.goal_set", target=goal, unit=unit, per_month=per_month)
    return goal
