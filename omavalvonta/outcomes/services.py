"""Writes of the functional-capacity measure. Every write checks the kernel again
and leaves an audit event: instruments need outcome.instrument_manage (they are
organisation-wide data), a child's measurements and goals need client.view in
the child's unit (the unit's staff measure with the child)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from omavalvonta.clients import services as clients_services
from omavalvonta.clients.models import Placement
from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.services import audit_event_record
from omavalvonta.organisation import access
from omavalvonta.outcomes import report, selectors, sessions
from omavalvonta.outcomes.models import (
    SCALE_MAX,
    SCALE_MIN,
    Answer,
    FollowUp,
    Goal,
    Instrument,
    InstrumentVersion,
    Item,
    Measurement,
    MeasurementStatus,
    QuarterlyReport,
    SessionCheck,
    UnitPractice,
    VersionStatus,
)

MAX_GOALS = 3
GOAL_LENGTH = 300
REASON_LENGTH = 500
ITEM_TEXT_FIELDS = {
    "domain_fi": 80, "domain_sv": 80, "domain_en": 80,
    "child_fi": 300, "child_sv": 300, "child_en": 300,
    "worker_fi": 300, "worker_sv": 300, "worker_en": 300,
    "low_fi": 80, "low_sv": 80, "low_en": 80,
    "high_fi": 80, "high_sv": 80, "high_en": 80,
}
REQUIRED_ITEM_FIELDS = ("domain_fi", "child_fi", "worker_fi")


def version_is_used(version) -> bool:
    return Measurement.objects.filter(version=version).exists()


def _require_editable(version) -> None:
    """A published version is frozen, and so is one a measurement has used: a
    stored score keeps the meaning it was given."""
    if version.status == VersionStatus.PUBLISHED:
        raise ValidationError(_("A published version cannot be changed. Make a new draft version instead."))
    if version_is_used(version):
        raise ValidationError(_("This version has been used in measurements and cannot be changed."))


# --- Instruments -------------------------------------------------------------------------------


@transaction.atomic
def version_draft_create(*, actor, version: InstrumentVersion) -> InstrumentVersion:
    """A new draft of `version`'s instrument with a copy of its items. An
    instrument has at most one draft: an existing one is returned."""
    selectors.access_require_instruments(actor)
    instrument = version.instrument
    existing = instrument.versions.filter(status=VersionStatus.DRAFT).first()
    if existing is not None:
        return existing
    number = (instrument.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = InstrumentVersion.objects.create(instrument=instrument, number=number)
    copies = []
    for item in version.items.all():
        item.pk = None
        item.version = draft
        copies.append(item)
    Item.objects.bulk_create(copies)
    audit_event_record(actor=actor, verb="instrument.draft_created", target=draft, source=version.pk)
    return draft


@transaction.atomic
def item_update(*, actor, item: Item, expected_version: int | None = None, **fields) -> Item:
    """Change an item of a draft version (its wording, scale ends and age range).
    Refused for a published or used version (frozen), and when the item was saved
    by someone else after the form was opened (`expected_version`)."""
    selectors.access_require_instruments(actor)
    item = Item.objects.select_related("version").select_for_update().get(pk=item.pk)
    _require_editable(item.version)
    errors: dict[str, str] = {}
    cleaned: dict = {}
    for name, limit in ITEM_TEXT_FIELDS.items():
        if name not in fields:
            continue
        value = " ".join((fields[name] or "").split())
        if not value and name in REQUIRED_ITEM_FIELDS:
            errors[name] = _("This text is needed in Finnish.")
        elif len(value) > limit:
            errors[name] = _("Use at most %(limit)s characters.") % {"limit": limit}
        cleaned[name] = value
    age_min, age_max = fields.get("age_min", item.age_min), fields.get("age_max", item.age_max)
    if not isinstance(age_min, int) or not isinstance(age_max, int) or not 0 <= age_min <= age_max <= 30:
        errors["age_max"] = _("Give an age range between 0 and 30 years, the first age no more than the last.")
    if errors:
        raise ValidationError(errors)
    edit_version_claim(item, expected=expected_version, audit_target=item.version)
    for name, value in cleaned.items():
        setattr(item, name, value)
    item.age_min, item.age_max = age_min, age_max
    item.save(update_fields=[*cleaned, "age_min", "age_max"])
    audit_event_record(actor=actor, verb="instrument.item_changed", target=item.version, item=item.pk)
    return item


@transaction.atomic
def version_publish(*, actor, version: InstrumentVersion) -> InstrumentVersion:
    """Publish a draft: from now on new measurements use it, and it is frozen."""
    selectors.access_require_instruments(actor)
    version = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("This version has already been published."))
    if not version.items.exists():
        raise ValidationError(_("A version needs at least one item."))
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor
    version.save(update_fields=["status", "published_at", "published_by"])
    audit_event_record(actor=actor, verb="instrument.published", target=version)
    return version


# --- Measurements ------------------------------------------------------------------------------


def _score(value, field: str, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        score = int(value)
    except (TypeError, ValueError):
        score = -1
    if not SCALE_MIN <= score <= SCALE_MAX:
        errors[field] = _("Choose a number from %(low)s to %(high)s.") % {"low": SCALE_MIN, "high": SCALE_MAX}
        return None
    return score


def open_goals(placement) -> list[Goal]:
    """The child's goals not yet followed up (from the earlier measurements)."""
    return list(
        Goal.objects.filter(placement=placement, follow_up="").order_by("created_at", "pk")
    )


def _check_measured_on(measured_on, placement, today, errors: dict, field: str = "measured_on") -> None:
    if not isinstance(measured_on, dt.date):
        errors[field] = _("Give the date of the measurement.") if field == "measured_on" else _("Give the date.")
    elif measured_on > today:
        errors[field] = _("The date cannot be in the future.")
    elif measured_on < placement.starts_on:
        errors[field] = _("The date cannot be before the placement started (%(date)s).") % {
            "date": fi_date(placement.starts_on)
        }


def _checked_answers(items, answers: dict, reason: str, errors: dict) -> list[tuple]:
    """(item, child score, worker score) per item; the worker answers every item,
    the child may skip some but not all without a reason."""
    rows = []
    for item in items:
        child, worker = answers.get(item.pk, (None, None))
        child = _score(child, f"child_{item.pk}", errors)
        worker = _score(worker, f"worker_{item.pk}", errors)
        if worker is None and f"worker_{item.pk}" not in errors:
            errors[f"worker_{item.pk}"] = _("Give the worker's view of %(domain)s.") % {"domain": item.domain_label}
        rows.append((item, child, worker))
    if rows and all(child is None for _item, child, _worker in rows) and not reason:
        errors["reason"] = _("The child answered no question: say why, or mark that the child declined.")
    return rows


@transaction.atomic
def _checked_outcome(placement, version, today, *, status, reason, answers, goals, follow_ups, errors):
    """A done measurement's answer rows and its goals' follow-ups checked, or a
    reason why it was not done; [] when not done."""
    if status == MeasurementStatus.DONE:
        rows = _checked_answers(selectors.items_for(placement, version, today), answers or {}, reason, errors)
        for goal in goals:
            if follow_ups.get(goal.pk) not in FollowUp.values:
                errors[f"followup_{goal.pk}"] = _("Say how the goal “%(goal)s” has gone.") % {"goal": goal.text}
        return rows
    if status in (MeasurementStatus.DECLINED, MeasurementStatus.NOT_REACHED) and not reason:
        errors["reason"] = _("Say why the measurement could not be done.")
    return []


def measurement_record(
    *,
    actor,
    placement,
    version: InstrumentVersion,
    measured_on,
    status: str,
    reason: str = "",
    answers: dict[int, tuple] | None = None,
    follow_ups: dict[int, str] | None = None,
) -> Measurement:
    """Record a measurement of `placement`'s child: each item's child's and
    worker's scores (the worker's for every item; the child may skip one), and
    the follow-up of the goals agreed at the previous measurement. Or record
    that the child declined or was not reached, with the reason.
    `answers`: item id -> (child score, worker score)."""
    access.require(actor, access.P_CLIENT_VIEW, placement.unit)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if placement.ends_on is not None and placement.ends_on <= today:
        raise ValidationError(_("The placement has ended: no more measurements are recorded."))
    if version.status != VersionStatus.PUBLISHED:
        raise ValidationError(_("Measure with a published version of the instrument."))
    _check_measured_on(measured_on, placement, today, errors)
    if status not in MeasurementStatus.values:
        errors["status"] = _("Choose whether the measurement was done.")
    reason = " ".join((reason or "").split())
    if len(reason) > REASON_LENGTH:
        errors["reason"] = _("Use at most %(limit)s characters.") % {"limit": REASON_LENGTH}
    goals = open_goals(placement)
    follow_ups = follow_ups or {}
    rows = _checked_outcome(
        placement, version, today, status=status, reason=reason, answers=answers, goals=goals, follow_ups=follow_ups,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    measurement = Measurement.objects.create(
        unit=placement.unit,
        placement=placement,
        version=version,
        measured_on=measured_on,
        status=status,
        reason=reason,
        recorded_by=actor,
    )
    Answer.objects.bulk_create(
        Answer(measurement=measurement, item=item, child_score=child, worker_score=worker)
        for item, child, worker in rows
    )
    if status == MeasurementStatus.DONE:
        for goal in goals:
            goal.follow_up = follow_ups[goal.pk]
            goal.followed_up_in = measurement
            goal.save(update_fields=["follow_up", "followed_up_in"])
    audit_event_record(
        actor=actor, verb="measurement.recorded", target=measurement, unit=placement.unit, status=status
    )
    return measurement


def is_latest(measurement: Measurement) -> bool:
    """Is `measurement` the child's latest (goals made after an older one would
    never be followed up)?"""
    later = Measurement.objects.filter(placement_id=measurement.placement_id).exclude(pk=measurement.pk)
    return not later.filter(measured_on__gt=measurement.measured_on).exists() and not later.filter(
        measured_on=measurement.measured_on, pk__gt=measurement.pk
    ).exists()


@transaction.atomic
def _chosen_goals(items: dict, goals, errors: dict) -> list[tuple[Item, str]]:
    """The rows with a text, each in a domain of the instrument; errors per row."""
    chosen: list[tuple[Item, str]] = []
    for i, (item_id, text) in enumerate(goals):
        text = " ".join((text or "").split())
        if not text:
            continue
        if item_id not in items:
            errors[f"goal_{i}_domain"] = _("Choose the domain of the goal.")
        if len(text) > GOAL_LENGTH:
            errors[f"goal_{i}_text"] = _("Use at most %(limit)s characters.") % {"limit": GOAL_LENGTH}
        if item_id in items:
            chosen.append((items[item_id], text))
    return chosen


def goals_agree(*, actor, measurement: Measurement, goals: list[tuple[int | None, str]]) -> list[Goal]:
    """Agree 1-3 goals with the child after `measurement`, each in the child's
    words and in one of the instrument's domains. `goals`: (item id, text);
    rows without a text are skipped (the form proposes a domain on every row)."""
    access.require(actor, access.P_CLIENT_VIEW, measurement.unit)
    if measurement.status != MeasurementStatus.DONE:
        raise ValidationError(_("Goals are agreed after a measurement that was done."))
    if not is_latest(measurement):
        raise ValidationError(_("Goals are agreed after the child's latest measurement."))
    items = {item.pk: item for item in measurement.version.items.all()}
    already = measurement.goals.count()
    errors: dict[str, str] = {}
    chosen = _chosen_goals(items, goals, errors)
    if not errors and not chosen:
        errors["__all__"] = _("Write at least one goal.")
    if not errors and already + len(chosen) > MAX_GOALS:
        errors["__all__"] = ngettext(
            "At most %(max)s goals are agreed at a time; %(count)s goal is already agreed.",
            "At most %(max)s goals are agreed at a time; %(count)s goals are already agreed.",
            already,
        ) % {"max": MAX_GOALS, "count": already}
    if errors:
        raise ValidationError(errors)
    created = [
        Goal.objects.create(
            unit=measurement.unit,
            placement=measurement.placement,
            measurement=measurement,
            item=item,
            text=text,
            created_by=actor,
        )
        for item, text in chosen
    ]
    audit_event_record(
        actor=actor, verb="goals.agreed", target=measurement, unit=measurement.unit, count=len(created)
    )
    return created


# --- Feedback-informed sessions (optional per unit) --------------------------------------------


@transaction.atomic
def unit_practice_set(*, actor, unit, session_checks: bool) -> UnitPractice:
    """Take the session checks into use in `unit`, or out of use (client.manage
    there: the unit's leaders decide how the unit works). Checks already
    recorded are kept."""
    access.require(actor, access.P_CLIENT_MANAGE, unit)
    practice, _created = UnitPractice.objects.get_or_create(unit=unit)
    practice.session_checks = bool(session_checks)
    practice.changed_by = actor
    practice.save()
    audit_event_record(
        actor=actor, verb="outcome.session_checks_set", target=practice, unit=unit, in_use=practice.session_checks
    )
    return practice


@transaction.atomic
def session_check_record(*, actor, placement, checked_on, scores: dict) -> SessionCheck:
    """A session check with the child (client.view in the child's unit, the
    unit using the checks, a current placement): every question 0-10."""
    access.require(actor, access.P_CLIENT_VIEW, placement.unit)
    today = timezone.localdate()
    if not selectors.session_checks_in_use(placement.unit):
        raise ValidationError(_("This unit does not use the session checks."))
    if placement.ends_on is not None and placement.ends_on <= today:
        raise ValidationError(_("The placement has ended."))
    errors: dict = {}
    _check_measured_on(checked_on, placement, today, errors, field="checked_on")
    clean = {}
    for code in sessions.CODES:
        score = _score(scores.get(code), code, errors)
        if score is None and code not in errors:
            errors[code] = _("Choose a number from %(low)s to %(high)s.") % {"low": SCALE_MIN, "high": SCALE_MAX}
        clean[code] = score
    if errors:
        raise ValidationError(errors)
    check = SessionCheck.objects.create(
        unit=placement.unit, placement=placement, checked_on=checked_on, scores=clean, recorded_by=actor
    )
    # The audit trail names the record, never the child or the scores.
    audit_event_record(actor=actor, verb="outcome.session_checked", target=check, unit=placement.unit)
    return check


# --- The reliable-change threshold (data on the instrument) ------------------------------------

THRESHOLD_MIN, THRESHOLD_MAX = Decimal("0.10"), Decimal("10")


@transaction.atomic
def instrument_threshold_set(*, actor, instrument: Instrument, value) -> Instrument:
    """Set the instrument's reliable-change threshold (points of the 0-10 mean
    score; docs/outcomes-effectiveness.md): outcome.instrument_manage. The
    effectiveness figures use it from their next computation."""
    selectors.access_require_instruments(actor)
    text = str(value or "").strip().replace(",", ".")
    try:
        threshold = Decimal(text).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        threshold = None
    if threshold is None or not threshold.is_finite() or not THRESHOLD_MIN <= threshold <= THRESHOLD_MAX:
        raise ValidationError(
            {"reliable_change": _("Give a number from %(low)s to %(high)s, e.g. 1,5.") % {"low": "0,1", "high": "10"}}
        )
    before = instrument.reliable_change
    instrument.reliable_change = threshold
    instrument.save(update_fields=["reliable_change"])
    audit_event_record(
        actor=actor, verb="outcome.threshold_set", target=instrument, before=str(before), after=str(threshold)
    )
    return instrument


# --- The report to the child's social worker ---------------------------------------------------


@transaction.atomic
def report_send(*, actor, placement, date_from, date_to, today=None):
    """Send the child's report of the period to the responsible social worker
    through the clients area's delivery (a link and a separate one-time code;
    no child data in either e-mail). Those who keep the unit's children
    (client.manage) send it. Returns the delivery (the record of what went to
    whom and when)."""
    access.require(actor, access.P_CLIENT_MANAGE, placement.unit)
    today = today or timezone.localdate()
    errors = report.period_errors(date_from, date_to, today)
    if placement.ends_on is not None and date_from is not None and date_from > placement.ends_on:
        errors.setdefault("period_start", _("The placement had ended before the period."))
    if not placement.social_worker_email:
        errors["__all__"] = _("The child's social worker has no e-mail address: add it to the placement first.")
    if errors:
        raise ValidationError(errors)
    return clients_services.social_worker_deliver(
        placement=placement,
        generator=report.REPORT,
        params={"from": date_from.isoformat(), "to": date_to.isoformat()},
        actor=actor,
    )


# The job sends the last quarter's reports during the first days of a quarter,
# a batch a run (the worker runs it every hour).
QUARTER_SEND_DAYS = 14
QUARTER_BATCH = 500


def quarterly_reports_send(*, today=None) -> int:
    """At a quarter's start, send the last quarter's report of every child
    placed through its end who had a measurement done by then, once each
    (QuarterlyReport claims the child and quarter first). Returns how many
    were sent."""
    today = today or timezone.localdate()
    quarter_start, _end = report.quarter_of(today)
    if (today - quarter_start).days >= QUARTER_SEND_DAYS:
        return 0
    start, end = report.last_quarter(today)
    sent = QuarterlyReport.objects.filter(period_start=start).values("placement_id")
    due = (
        Placement.objects.filter(unit__is_active=True, starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=end))
        .filter(measurements__status=MeasurementStatus.DONE, measurements__measured_on__lte=end)
        .exclude(pk__in=sent)
        .exclude(social_worker_email="")
        .select_related("unit")
        .distinct()
        .order_by("pk")[:QUARTER_BATCH]
    )
    count = 0
    for placement in due:
        try:
            with transaction.atomic():
                claim = QuarterlyReport.objects.create(placement=placement, period_start=start)
                delivery = clients_services.social_worker_deliver(
                    placement=placement,
                    generator=report.REPORT,
                    params={"from": start.isoformat(), "to": end.isoformat()},
                    actor=None,
                )
                QuarterlyReport.objects.filter(pk=claim.pk).update(delivery=delivery)
        except IntegrityError:
            continue  # another worker claimed it
        count += 1
    return count
