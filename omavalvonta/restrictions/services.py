"""Writes of the register of restrictive measures. Every write checks the kernel
again (restriction.record in the child's unit) and leaves an audit event that
names the record, never the child. What the law allows comes from `law`."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.clients import selectors as clients_selectors, services as clients_services
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.services import audit_event_record
from omavalvonta.deviations import selectors as deviation_selectors
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access, access_people
from omavalvonta.restrictions import law, rules
from omavalvonta.restrictions.models import (
    ChildFlag,
    DeliveryTo,
    DocumentHandover,
    RecordKind,
    ReductionGoal,
    Restriction,
    RestrictionDocument,
)

TEXT_LIMIT = 4000
# A debrief missing this long after the measure started is reminded of, and
# again every DEBRIEF_REMIND_EVERY until it is recorded.
DEBRIEF_REMIND_AFTER = dt.timedelta(days=2)
DEBRIEF_REMIND_EVERY = dt.timedelta(days=3)
JOB_BATCH = 500
# A measure is recorded after it started: a clock a few minutes fast is not an error.
CLOCK_SLACK = dt.timedelta(minutes=10)


def _text(data, name, errors, *, required_message=None, limit=TEXT_LIMIT) -> str:
    value = (data.get(name) or "").strip()
    if required_message and not value:
        errors[name] = required_message
    elif len(value) > limit:
        errors[name] = _("Use at most %(limit)s characters.") % {"limit": limit}
    return value


def _deciders_of(actor, unit) -> set[str]:
    """Which of the law's deciders `actor` is in `unit`, in the kernel's terms."""
    held = set()
    if access.can(actor, access.P_RESTRICTION_DECIDE, unit):
        held.add(law.DIRECTOR)
    if access.can(actor, access.P_RESTRICTION_RECORD, unit):
        held.add(law.STAFF)
    return held


def _check_measure(*, actor, placement, rule, record_kind, started_at, ended_at, errors) -> None:
    if not rule.allowed_for(placement.placement_type):
        names = {
            "measure": rule.label,
            "section": rule.section,
            "type": placement.get_placement_type_display().lower(),
        }
        if law.FAMILY_CARE in rule.placement_types:
            message = _(
                "%(measure)s (%(section)s) cannot be used for a child placed as %(type)s: the law allows it only "
                "in institutional substitute care and family care."
            )
        else:
            message = _(
                "%(measure)s (%(section)s) cannot be used for a child placed as %(type)s: the law allows it only "
                "in institutional substitute care."
            )
        errors["measure"] = message % names
        return
    decider = None
    if record_kind == RecordKind.DECISION:
        if rule.written != law.DECISION:
            errors["record_kind"] = _("%(measure)s takes a written account, not a decision.") % {"measure": rule.label}
        else:
            mine = _deciders_of(actor, placement.unit) & set(rule.deciders)
            if not mine:
                errors["record_kind"] = _(
                    "Only %(who)s may decide on %(measure)s. Record an account of what was done and of who "
                    "decided."
                ) % {"who": _(" or ").join(str(law.DECIDER_LABELS[d]) for d in rule.deciders), "measure": rule.label}
            else:
                decider = law.DIRECTOR if law.DIRECTOR in mine else law.STAFF
    if decider and ended_at is None and rule.longest(decider) is not None:
        # A decision the law limits in time is made for a fixed term.
        errors["ended_at"] = _("A decision on %(measure)s is made for a fixed term: give the time it ends.") % {
            "measure": rule.label
        }
    if isinstance(started_at, dt.datetime) and isinstance(ended_at, dt.datetime) and ended_at > started_at:
        limit = rule.longest(decider)
        if limit is not None and ended_at - started_at > limit:
            names = {"measure": rule.label, "limit": law.duration_text(limit)}
            if decider and limit == rule.director_max_duration:
                message = _("On the director's decision the law allows %(measure)s for at most %(limit)s.")
            else:
                message = _("The law allows %(measure)s for at most %(limit)s.")
            errors["ended_at"] = message % names


def _clean(*, actor, placement, data: dict) -> dict:
    errors: dict[str, str] = {}
    now = timezone.now()
    rule = law.measure(data.get("measure") or "")
    if rule is None:
        errors["measure"] = _("Choose the measure.")
    record_kind = data.get("record_kind")
    if record_kind not in RecordKind.values:
        errors["record_kind"] = _("Choose whether you record a decision or an account.")
    started_at = data.get("started_at")
    ended_at = data.get("ended_at")
    if not isinstance(started_at, dt.datetime):
        errors["started_at"] = _("Give the time the measure started.")
    elif started_at > now + CLOCK_SLACK:
        errors["started_at"] = _("A measure is recorded after it started, not ahead of time.")
    elif started_at.date() < placement.starts_on:
        errors["started_at"] = _("The start cannot be before the child's placement started.")
    if ended_at is not None and isinstance(started_at, dt.datetime) and ended_at < started_at:
        errors["ended_at"] = _("The end cannot be before the start.")
    if rule is not None and record_kind in RecordKind.values:
        _check_measure(
            actor=actor, placement=placement, rule=rule, record_kind=record_kind,
            started_at=started_at, ended_at=ended_at, errors=errors,
        )
    details = _text(data, "details", errors, required_message=_("Write what was done."))
    reason = _text(data, "reason", errors, required_message=_("Write why the measure was necessary."))
    milder = _text(
        data, "milder_means", errors,
        required_message=_("Write which milder means were tried, or why none could be."),
    )
    if data.get("conditions_confirmed") is not True:
        errors["conditions_confirmed"] = _(
            "A restrictive measure may be used only when it is necessary and proportionate, the mildest that "
            "suffices, and never as a punishment. Confirm this, or do not record the measure as a restriction "
            "and talk with your supervisor."
        )
    carried_out_by = _text(
        data, "carried_out_by", errors, required_message=_("Write who carried out the measure."), limit=300
    )
    decided_by_name = _text(data, "decided_by_name", errors, limit=150)
    if record_kind == RecordKind.ACCOUNT and rule is not None and rule.written == law.DECISION and not decided_by_name:
        errors["decided_by_name"] = _("Write who decided on the measure.")
    child_heard = data.get("child_heard")
    if child_heard not in (True, False):
        errors["child_heard"] = _("Say whether the child was heard.")
    child_view = _text(data, "child_view", errors)
    not_heard = _text(data, "child_not_heard_reason", errors)
    if child_heard is True and not child_view:
        errors["child_view"] = _("Write the child's view in the child's own words where you can.")
    if child_heard is False and not not_heard:
        errors["child_not_heard_reason"] = _("Write why the child could not be heard.")
    injuries = _text(data, "injuries", errors)
    deviation_id = data.get("deviation_id")
    if deviation_id is not None and (
        not isinstance(deviation_id, int)
        or deviation_id < 1
        or not deviation_selectors.deviation_in_unit(pk=deviation_id, unit=placement.unit)
    ):
        errors["deviation_id"] = _("Give the number of a deviation report of this unit, or leave it empty.")
    if errors:
        raise ValidationError(errors)
    return {
        "measure": rule.key,
        "record_kind": record_kind,
        "started_at": started_at,
        "ended_at": ended_at,
        "details": details,
        "reason": reason,
        "milder_means": milder,
        "conditions_confirmed": True,
        "carried_out_by": carried_out_by,
        "decided_by_name": decided_by_name if record_kind == RecordKind.ACCOUNT else actor.get_full_name() or str(actor),
        "decided_by": actor if record_kind == RecordKind.DECISION else None,
        "child_heard": child_heard,
        "child_view": child_view if child_heard else "",
        "child_not_heard_reason": "" if child_heard else not_heard,
        "injuries": injuries,
        "deviation_id": deviation_id,
    }


@transaction.atomic
def restriction_record(*, actor, placement, **data) -> Restriction:
    """Record a restrictive measure used on `placement`'s child (restriction.record
    in the child's unit). Refused, with the reason in the user's language: a
    measure the law does not allow for the placement, an end before the start, a
    duration past the law's limit, and a decision by someone the law does not let
    decide it (they record an account instead)."""
    unit = placement.unit
    access.require(actor, access.P_RESTRICTION_RECORD, unit)
    today = timezone.localdate()
    if placement.ends_on is not None and placement.ends_on <= today:
        raise ValidationError(_("This child's placement has ended: record the measure in the unit where it was used."))
    restriction = Restriction.objects.create(
        placement=placement, unit=unit, created_by=actor, **_clean(actor=actor, placement=placement, data=data)
    )
    audit_event_record(
        actor=actor, verb="restriction.recorded", target=restriction, unit=unit,
        measure=restriction.measure, record_kind=restriction.record_kind,
    )
    if restriction.serious:
        _inform_at_once(restriction, actor)
    flags_check(placement=placement, actor=actor)
    return restriction


@transaction.atomic
def restriction_debrief(*, actor, restriction: Restriction, held_at, notes: str) -> Restriction:
    """Record the debrief with the child afterwards (jälkikeskustelu)."""
    access.require(actor, access.P_RESTRICTION_RECORD, restriction.unit)
    errors = {}
    notes = (notes or "").strip()
    if not isinstance(held_at, dt.datetime):
        errors["debrief_at"] = _("Give the time of the debrief.")
    elif held_at < restriction.started_at:
        errors["debrief_at"] = _("The debrief is held after the measure started.")
    elif held_at > timezone.now() + CLOCK_SLACK:
        errors["debrief_at"] = _("Record a debrief already held.")
    if not notes:
        errors["debrief_notes"] = _("Write what was talked about with the child.")
    elif len(notes) > TEXT_LIMIT:
        errors["debrief_notes"] = _("Use at most %(limit)s characters.") % {"limit": TEXT_LIMIT}
    if errors:
        raise ValidationError(errors)
    restriction.debrief_at = held_at
    restriction.debrief_notes = notes
    restriction.save(update_fields=["debrief_at", "debrief_notes", "updated_at"])
    audit_event_record(actor=actor, verb="restriction.debriefed", target=restriction, unit=restriction.unit)
    return restriction


def debriefs_remind(*, now: dt.datetime | None = None) -> int:
    """Remind of each missing debrief (jälkikeskustelu): the person who recorded
    the measure, or the unit's leaders when that person is gone; again every few
    days until the debrief is recorded. The message names no child. Returns the
    notifications queued."""
    now = now or timezone.now()
    due = (
        Restriction.objects.filter(debrief_at__isnull=True, started_at__lte=now - DEBRIEF_REMIND_AFTER, unit__is_active=True)
        .filter(Q(debrief_reminded_at__isnull=True) | Q(debrief_reminded_at__lte=now - DEBRIEF_REMIND_EVERY))
        .select_related("unit", "created_by")
        .order_by("started_at", "id")
    )
    sent = 0
    for restriction in due[:JOB_BATCH]:
        unit = restriction.unit
        author = restriction.created_by
        if author is not None and author.is_active and access.can(author, access.P_RESTRICTION_RECORD, unit):
            recipients = [author]
        else:
            recipients = list(access_people.people_with(access.P_RESTRICTION_DECIDE, unit).order_by("pk"))
        with transaction.atomic():
            # Claim and outbox rows commit together: one reminder per round.
            claimed = Restriction.objects.filter(pk=restriction.pk, debrief_at__isnull=True).filter(
                Q(debrief_reminded_at__isnull=True) | Q(debrief_reminded_at__lte=now - DEBRIEF_REMIND_EVERY)
            ).update(debrief_reminded_at=now)
            if not claimed:
                continue
            for person in recipients:
                notification_enqueue(
                    recipient=person,
                    kind="restriction.debrief_reminder",
                    subject=_("A debrief is missing: %(unit)s") % {"unit": unit.name},
                    body=_(
                        "The debrief with the child after a restrictive measure of %(date)s in %(unit)s has not been "
                        "recorded. Talk the situation through with the child and record it."
                    )
                    % {"date": fi_date(restriction.started_at), "unit": unit.name},
                    link=reverse("restrictions:debrief", args=[restriction.pk]),
                    digestible=True,
                )
                sent += 1
    return sent


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


@transaction.atomic
def document_sign(*, actor, restriction: Restriction, reasoning: str, correction_reason: str = "") -> RestrictionDocument:
    """Sign the written decision (the decider of an appealable measure the unit
    decided) or the written account (restriction.record; a restraint and the other
    measures the law answers with an account). Frozen once signed: signing again
    is a correction, a new version with its reason."""
    rule = restriction.rule
    kind = law.document_kind(rule, restriction.record_kind) if rule else None
    if kind is None:
        raise ValidationError(_("This measure was decided outside the unit: its decision is not written here."))
    if kind == law.DECISION:
        access.require(actor, access.P_RESTRICTION_DECIDE, restriction.unit)
    else:
        access.require(actor, access.P_RESTRICTION_RECORD, restriction.unit)
    # One signer at a time: the restriction's row is the lock for its versions.
    Restriction.objects.select_for_update().filter(pk=restriction.pk).first()
    last = restriction.documents.order_by("-version").first()
    errors = {}
    reasoning = (reasoning or "").strip()
    correction_reason = (correction_reason or "").strip()
    if not reasoning:
        errors["reasoning"] = (
            _("Write the reasoning of the decision.") if kind == law.DECISION else _("Write the account.")
        )
    elif len(reasoning) > TEXT_LIMIT:
        errors["reasoning"] = _("Use at most %(limit)s characters.") % {"limit": TEXT_LIMIT}
    if last is not None and not correction_reason:
        errors["correction_reason"] = _("A signed document is not changed: write why this corrected version is needed.")
    elif len(correction_reason) > TEXT_LIMIT:
        errors["correction_reason"] = _("Use at most %(limit)s characters.") % {"limit": TEXT_LIMIT}
    if errors:
        raise ValidationError(errors)
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
        for person in access_people.people_with(access.P_RESTRICTION_DECIDE, unit).order_by("pk"):
            notification_enqueue(
                recipient=person,
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
