"""Writes of the register of restrictive measures. Every write checks the kernel
again (restriction.record in the child's unit) and leaves an audit event that
names the record, never the child. What the law allows comes from `law`."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.services import audit_event_record
from omavalvonta.deviations import selectors as deviation_selectors
from omavalvonta.organisation import access
from omavalvonta.restrictions import law, monthly
from omavalvonta.restrictions.models import RecordKind, Restriction
from omavalvonta.restrictions.services.followup import _inform_at_once, flags_check, notify_each, unit_leaders

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


def _placement_refusal(placement, rule) -> str | None:
    """Why the law does not allow `rule` for the child's placement (None: it does)."""
    if rule.allowed_for(placement.placement_type):
        return None
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
    return message % names


def _decider(actor, placement, rule, record_kind, errors: dict) -> str | None:
    """Who of the law's deciders the actor decides as (None: an account, or refused)."""
    if record_kind != RecordKind.DECISION:
        return None
    if rule.written != law.DECISION:
        errors["record_kind"] = _("%(measure)s takes a written account, not a decision.") % {"measure": rule.label}
        return None
    mine = _deciders_of(actor, placement.unit) & set(rule.deciders)
    if not mine:
        errors["record_kind"] = _(
            "Only %(who)s may decide on %(measure)s. Record an account of what was done and of who "
            "decided."
        ) % {"who": _(" or ").join(str(law.DECIDER_LABELS[d]) for d in rule.deciders), "measure": rule.label}
        return None
    return law.DIRECTOR if law.DIRECTOR in mine else law.STAFF


def _check_measure(*, actor, placement, rule, record_kind, started_at, ended_at, errors) -> None:
    refusal = _placement_refusal(placement, rule)
    if refusal:
        errors["measure"] = refusal
        return
    decider = _decider(actor, placement, rule, record_kind, errors)
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


def _clean_times(data: dict, placement, errors: dict) -> tuple:
    started_at = data.get("started_at")
    ended_at = data.get("ended_at")
    if not isinstance(started_at, dt.datetime):
        errors["started_at"] = _("Give the time the measure started.")
    elif started_at > timezone.now() + CLOCK_SLACK:
        errors["started_at"] = _("A measure is recorded after it started, not ahead of time.")
    elif started_at.date() < placement.starts_on:
        errors["started_at"] = _("The start cannot be before the child's placement started.")
    if ended_at is not None and isinstance(started_at, dt.datetime) and ended_at < started_at:
        errors["ended_at"] = _("The end cannot be before the start.")
    return started_at, ended_at


def _clean_child_heard(data: dict, errors: dict) -> tuple:
    child_heard = data.get("child_heard")
    if child_heard not in (True, False):
        errors["child_heard"] = _("Say whether the child was heard.")
    child_view = _text(data, "child_view", errors)
    not_heard = _text(data, "child_not_heard_reason", errors)
    if child_heard is True and not child_view:
        errors["child_view"] = _("Write the child's view in the child's own words where you can.")
    if child_heard is False and not not_heard:
        errors["child_not_heard_reason"] = _("Write why the child could not be heard.")
    return child_heard, child_view, not_heard


def _clean_deviation(data: dict, placement, errors: dict):
    deviation_id = data.get("deviation_id")
    if deviation_id is not None and (
        not isinstance(deviation_id, int)
        or deviation_id < 1
        or not deviation_selectors.deviation_in_unit(pk=deviation_id, unit=placement.unit)
    ):
        errors["deviation_id"] = _("Give the number of a deviation report of this unit, or leave it empty.")
    return deviation_id


def _clean_account(data: dict, errors: dict) -> tuple[str, str, str, str]:
    """What was done, why, the milder means, who carried it out, and the confirmation of the conditions."""
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
    return details, reason, milder, carried_out_by


def _clean_decided_by(data: dict, rule, record_kind, errors: dict) -> str:
    """An account of a measure the law has decided names who decided it."""
    decided_by_name = _text(data, "decided_by_name", errors, limit=150)
    if record_kind == RecordKind.ACCOUNT and rule is not None and rule.written == law.DECISION and not decided_by_name:
        errors["decided_by_name"] = _("Write who decided on the measure.")
    return decided_by_name


def _clean(*, actor, placement, data: dict) -> dict:
    errors: dict[str, str] = {}
    rule = law.measure(data.get("measure") or "")
    if rule is None:
        errors["measure"] = _("Choose the measure.")
    record_kind = data.get("record_kind")
    if record_kind not in RecordKind.values:
        errors["record_kind"] = _("Choose whether you record a decision or an account.")
    started_at, ended_at = _clean_times(data, placement, errors)
    if rule is not None and record_kind in RecordKind.values:
        _check_measure(
            actor=actor, placement=placement, rule=rule, record_kind=record_kind,
            started_at=started_at, ended_at=ended_at, errors=errors,
        )
    details, reason, milder, carried_out_by = _clean_account(data, errors)
    decided_by_name = _clean_decided_by(data, rule, record_kind, errors)
    child_heard, child_view, not_heard = _clean_child_heard(data, errors)
    injuries = _text(data, "injuries", errors)
    deviation_id = _clean_deviation(data, placement, errors)
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
    monthly.recorded(restriction.started_at)
    audit_event_record(
        actor=actor, verb="restriction.recorded", target=restriction, unit=unit,
        measure=restriction.measure, record_kind=restriction.record_kind,
    )
    if restriction.serious:
        _inform_at_once(restriction, actor)
    flags_check(placement=placement, actor=actor)
    return restriction


def restriction_deviation_link(*, actor, ref: int, deviation) -> Restriction:
    """Link a deviation report started from measure `ref` to it (core.registry
    REPORT_ORIGINS, called inside the report's transaction): one event, one
    report. Refused when the measure already has a report."""
    restriction = Restriction.objects.select_for_update().filter(pk=ref, unit=deviation.unit).first()
    if restriction is None or not access.can(actor, access.P_RESTRICTION_VIEW, restriction.unit):
        raise ValidationError({"__all__": _("The restrictive measure was not found in this unit.")})
    if restriction.deviation_id is not None:
        raise ValidationError(
            {"__all__": _("This restrictive measure already has deviation report %(number)s.") % {"number": restriction.deviation_id}}
        )
    restriction.deviation_id = deviation.pk
    restriction.save(update_fields=["deviation_id", "updated_at"])
    audit_event_record(
        actor=actor,
        verb="restriction.deviation_linked",
        target=restriction,
        unit=restriction.unit,
        deviation=deviation.pk,
    )
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
            recipients = list(unit_leaders(unit))
        with transaction.atomic():
            # Claim and outbox rows commit together: one reminder per round.
            claimed = Restriction.objects.filter(pk=restriction.pk, debrief_at__isnull=True).filter(
                Q(debrief_reminded_at__isnull=True) | Q(debrief_reminded_at__lte=now - DEBRIEF_REMIND_EVERY)
            ).update(debrief_reminded_at=now)
            if not claimed:
                continue
            sent += notify_each(
                recipients,
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
    return sent
