"""Reads of the competence area, scoped through the access kernel: a person's
own records, a unit's staff and their records (the unit's leaders), the counts
per unit and region (directors, no names), the home page's block, the meeting
agenda's item and the plan's staffing facts (counts only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from omavalvonta.core.lib.counts import CountsFirst, counts_first
from omavalvonta.core.services import access_log_record
from omavalvonta.organisation import access, access_people
from omavalvonta.organisation.models import Unit, User
from omavalvonta.people import orientation_selectors, training_selectors
from omavalvonta.people.certificates import certificate_record_get
from omavalvonta.people.models import (
    QualificationKind,
    QualificationRecord,
    QualificationType,
    RegistrationResult,
    Status,
    UnitRequirement,
)
from omavalvonta.people.orientation_selectors import orientation_counts

_NO_ORIENTATIONS = {"started": 0, "in_progress": 0, "late": 0}
STAFF_ROLES = orientation_selectors.STAFF_ROLES
HOME_ROWS = 6
# Above this many units a director's overview lists regions first.
REGIONS_FIRST_ABOVE = 12


def _today(today=None) -> dt.date:
    return today or timezone.localdate()


def _staff_memberships(**where):
    return access_people.memberships_of(STAFF_ROLES, **where)


def is_staff_member(*, unit, person) -> bool:
    """Is `person` (active) on `unit`'s staff now?"""
    return _staff_memberships(unit=unit, user=person).exists()


def unit_staff(*, unit) -> list[User]:
    ids = _staff_memberships(unit=unit).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("full_name", "pk"))


def matrix_types() -> list[QualificationType]:
    """The columns of a unit's matrix: every active type but the free 'other'."""
    return list(QualificationType.objects.filter(is_active=True).exclude(kind=QualificationKind.OTHER))


def active_types() -> list[QualificationType]:
    return list(QualificationType.objects.filter(is_active=True))


# --- Validity as a filter ------------------------------------------------------------------------


def _valid_q(today: dt.date, prefix: str = "") -> Q:
    """Current records valid today (a registration only with a valid result)."""
    return (
        Q(**{f"{prefix}is_current": True})
        & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": today}))
        & (~Q(**{f"{prefix}type__kind": QualificationKind.REGISTRATION}) | Q(**{f"{prefix}result": RegistrationResult.VALID}))
    )


def _expired_q(today: dt.date) -> Q:
    return Q(is_current=True, type__is_active=True) & (
        Q(valid_until__lt=today) | (Q(type__kind=QualificationKind.REGISTRATION) & ~Q(result=RegistrationResult.VALID))
    )


def _expiring_q(today: dt.date, horizon_days: int = 90) -> Q:
    """Current records that end within their type's reminder days (filtered
    further in Python by the type's own days; `horizon_days` bounds the query)."""
    return Q(is_current=True, type__is_active=True, valid_until__gte=today,
             valid_until__lte=today + dt.timedelta(days=horizon_days))


# --- A unit's matrix ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    qtype: QualificationType
    record: QualificationRecord | None
    status: str  # a Status value, or "" (not required and not held)


def _cell(qtype, record, today) -> Cell:
    if record is None:
        return Cell(qtype, None, Status.MISSING if qtype.required else "")
    return Cell(qtype, record, record.status(today))


def unit_requirement(unit) -> UnitRequirement:
    return UnitRequirement.objects.filter(unit=unit).first() or UnitRequirement(unit=unit)


def unit_matrix(*, actor, unit, today=None) -> dict:
    """People × the matrix types with each cell's status, and the unit's counts
    of valid medication permits and first-aid certificates against its
    requirement. In a fixed number of queries."""
    access.require(actor, access.P_COMPETENCE_VIEW, unit)
    today = _today(today)
    types = matrix_types()
    people = unit_staff(unit=unit)
    records = {
        (r.person_id, r.type_id): r
        for r in QualificationRecord.objects.filter(is_current=True, person__in=people, type__in=types).select_related("type")
    }
    rows = [(p, [_cell(t, records.get((p.pk, t.pk)), today) for t in types]) for p in people]
    totals = {t.pk: {s: 0 for s in Status.values} for t in types}
    for _p, cells in rows:
        for c in cells:
            if c.status:
                totals[c.qtype.pk][c.status] += 1
    return {
        "types": types,
        "rows": rows,
        "totals": [(t, totals[t.pk]) for t in types],
        "coverage": _coverage(unit, [c for _p, cells in rows for c in cells]),
    }


def _coverage(unit, cells) -> dict:
    """Valid medication permits and first-aid certificates against the requirement."""
    requirement = unit_requirement(unit)

    def valid(kind):
        return sum(1 for c in cells if c.qtype.kind == kind and c.status in (Status.VALID, Status.EXPIRING))

    return {
        "medication": {"valid": valid(QualificationKind.MEDICATION_PERMIT), "required": requirement.medication_permits},
        "first_aid": {"valid": valid(QualificationKind.FIRST_AID), "required": requirement.first_aid},
    }


# --- A person's records -------------------------------------------------------------------------


def staff_person(*, actor, unit_id, person_id, perm=access.P_COMPETENCE_VIEW, request=None):
    """(unit, person) for a page about a member of a unit's staff: 404 outside
    the actor's units or when the person is not on the unit's staff now."""
    unit = access.access_unit(actor, unit_id, perm)
    try:
        person = User.objects.get(pk=int(person_id))
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not is_staff_member(unit=unit, person=person):
        raise Http404
    if request is not None:
        access_log_record(actor=actor, target=person, what="competence.person", right=perm, unit=unit, request=request)
    return unit, person


def person_records(*, person, today=None) -> dict:
    """The person's current record of each active type (with status) and the
    older ones as history."""
    today = _today(today)
    records = list(
        QualificationRecord.objects.filter(person=person).select_related("type", "recorded_by", "unit")
        .order_by("type__order", "type_id", "-done_on", "-id")
    )
    current = {r.type_id: r for r in records if r.is_current}
    return {
        "cells": [_cell(t, current.get(t.pk), today) for t in active_types()],
        "history": [r for r in records if not r.is_current],
    }


def certificate_get(*, actor, pk, request=None) -> QualificationRecord:
    """A record whose certificate `actor` may download: their own, or one of a
    person on the staff of a unit where they read competence. 404 otherwise."""
    return certificate_record_get(
        QualificationRecord.objects.select_related("type"), actor=actor, pk=pk, what="competence.certificate",
        request=request,
    )


# --- Counts for directors -------------------------------------------------------------------------


def _count_annotations(today):
    def has(q):
        return Q(Exists(QualificationRecord.objects.filter(q, person_id=OuterRef("user_id"))))

    valid = _valid_q(today)
    return {
        "staff": Count("user_id", distinct=True),
        "medication": Count("user_id", distinct=True, filter=has(valid & Q(type__kind=QualificationKind.MEDICATION_PERMIT))),
        "first_aid": Count("user_id", distinct=True, filter=has(valid & Q(type__kind=QualificationKind.FIRST_AID))),
        "expired": Count("user_id", distinct=True, filter=has(_expired_q(today))),
    }


def unit_counts(*, actor, region_id=None, today=None) -> list[dict]:
    """Per unit the actor may count: staff, people with a valid medication permit
    and first-aid certificate against the requirement, people with something
    expired. No names. Three queries whatever the number of units."""
    today = _today(today)
    units = access.units_for(actor, access.P_COMPETENCE_COUNT).select_related("region").order_by("region__name", "name")
    if region_id is not None:
        units = units.filter(region_id=region_id)
    units = list(units)
    figures = {
        row["unit_id"]: row
        for row in _staff_memberships(units=[u.pk for u in units]).values("unit_id").annotate(**_count_annotations(today))
    }
    requirements = {r.unit_id: r for r in UnitRequirement.objects.filter(unit__in=[u.pk for u in units])}
    oriented = orientation_counts(units=[u.pk for u in units], today=today)
    trained = training_selectors.training_hours_by_unit(unit_ids=[u.pk for u in units], year=today.year)
    empty = {"staff": 0, "medication": 0, "first_aid": 0, "expired": 0}
    rows = []
    for unit in units:
        req = requirements.get(unit.pk)
        row = {**empty, **{k: v for k, v in figures.get(unit.pk, {}).items() if k != "unit_id"}}
        row.update(
            unit=unit,
            medication_required=req.medication_permits if req else 0,
            first_aid_required=req.first_aid if req else 0,
            can_view=access.can(actor, access.P_COMPETENCE_VIEW, unit),
            orientations=oriented.get(unit.pk, _NO_ORIENTATIONS),
        )
        row["training"] = _training_row(trained.get(unit.pk), row["staff"], today.year)
        row["short"] = row["medication"] < row["medication_required"] or row["first_aid"] < row["first_aid_required"]
        rows.append(row)
    return rows


def region_counts(*, actor, today=None) -> list[dict]:
    """The same counts per region (directors with many units see these first)."""
    today = _today(today)
    units = list(access.units_for(actor, access.P_COMPETENCE_COUNT).values_list("pk", "region_id", "region__name"))
    names = {region_id: name for _pk, region_id, name in units}
    figures = {
        row["unit__region_id"]: row
        for row in _staff_memberships(units=[pk for pk, _r, _n in units])
        .values("unit__region_id").annotate(**_count_annotations(today))
    }
    unit_numbers: dict = {}
    for _pk, region_id, _name in units:
        unit_numbers[region_id] = unit_numbers.get(region_id, 0) + 1
    short = _short_units_by_region(units)
    oriented = orientation_counts(units=[pk for pk, _r, _n in units], key="unit__region_id", today=today)
    trained = training_selectors.training_hours_by_unit(
        unit_ids=[pk for pk, _r, _n in units], year=today.year, key="unit__region_id"
    )
    return [
        {
            "region_id": region_id, "name": name, "units": unit_numbers[region_id], "short_units": short.get(region_id, 0),
            "orientations": oriented.get(region_id, _NO_ORIENTATIONS),
            "training": _training_row(trained.get(region_id), figures.get(region_id, {}).get("staff", 0), today.year),
            **{k: figures.get(region_id, {}).get(k, 0) for k in ("staff", "medication", "first_aid", "expired")},
        }
        for region_id, name in sorted(names.items(), key=lambda kv: kv[1])
    ]


def _training_row(figures, staff: int, year: int) -> dict:
    """Training hours in the year, the people trained and hours per member of staff."""
    hours = figures["hours"] if figures else Decimal(0)
    return {
        "year": year, "hours": hours, "people": figures["people"] if figures else 0,
        "per_person": (hours / staff).quantize(Decimal("0.1")) if staff else Decimal(0),
    }


def _short_units_by_region(units) -> dict:
    """How many units of each region hold fewer valid permits or certificates than
    they require (units without a requirement are never short). Two queries."""
    requirements = {
        r.unit_id: r for r in UnitRequirement.objects.filter(unit__in=[pk for pk, _r, _n in units])
        .filter(Q(medication_permits__gt=0) | Q(first_aid__gt=0))
    }
    if not requirements:
        return {}
    today = _today()
    figures = {
        row["unit_id"]: row
        for row in _staff_memberships(units=list(requirements)).values("unit_id").annotate(**_count_annotations(today))
    }
    region_of = {pk: region_id for pk, region_id, _n in units}
    short: dict = {}
    for unit_id, req in requirements.items():
        row = figures.get(unit_id, {})
        if row.get("medication", 0) < req.medication_permits or row.get("first_aid", 0) < req.first_aid:
            short[region_of[unit_id]] = short.get(region_of[unit_id], 0) + 1
    return short


def many_units(actor) -> bool:
    return access.units_for(actor, access.P_COMPETENCE_COUNT)[: REGIONS_FIRST_ABOVE + 1].count() > REGIONS_FIRST_ABOVE


# --- Home page, agenda, plan ------------------------------------------------------------------------


def _expiring_for_type(records, today):
    return [r for r in records if r.valid_until is not None and (r.valid_until - today).days <= r.type.remind_days_before]


@counts_first
def competence_home_items(*, actor, today=None) -> CountsFirst:
    """What waits for `actor`: their own records expired or expiring, and (the
    unit's leaders) the expired and expiring records of their units' staff.
    Counted first (core/lib/counts.py; the units and the staff are subqueries):
    the records are read only when there are some."""
    today = _today(today)
    whose = Q(person=actor)
    if access.has_perm_anywhere(actor, access.P_COMPETENCE_RECORD):
        units = access.units_for(actor, access.P_COMPETENCE_RECORD).values("pk")
        whose |= Q(person_id__in=_staff_memberships(units=units).values("user_id"))
    waiting = QualificationRecord.objects.filter(whose).filter(_expired_q(today) | _expiring_q(today))

    def then(counted):
        if not counted["waiting"]:
            return None
        found = [
            r for r in waiting.select_related("type", "person").order_by("valid_until", "pk")[:200]
            if r.status(today) in (Status.EXPIRED, Status.EXPIRING)
        ]
        if not found:
            return None
        own = [r for r in found if r.person_id == actor.pk]
        staff = [r for r in found if r.person_id != actor.pk]
        unit_ids = access.own_unit_ids(actor, access.P_COMPETENCE_RECORD)
        return {
            "own": own[:HOME_ROWS],
            "staff": [(r, r.status(today)) for r in staff[:HOME_ROWS]],
            "staff_total": len(staff),
            "expired": sum(1 for r in staff if r.status(today) == Status.EXPIRED),
            "unit_id": unit_ids[0] if staff and len(unit_ids) == 1 else None,
        }

    return CountsFirst({"waiting": waiting}, then)


def _unit_status_counts(unit, today) -> tuple[dict, dict]:
    staff = _staff_memberships(unit=unit).values("user_id")
    records = list(
        QualificationRecord.objects.filter(person_id__in=staff).filter(_expired_q(today) | _expiring_q(today))
        .select_related("type")
    )
    expired, expiring = {}, {}
    for r in records:
        target = {Status.EXPIRED: expired, Status.EXPIRING: expiring}.get(r.status(today))
        if target is not None:
            target[r.type.label] = target.get(r.type.label, 0) + 1
    return expired, expiring


def competence_for_agenda(*, actor, unit):
    """For the unit's meeting agenda (core.registry AGENDA_SOURCES): how many of
    the staff's qualifications have expired or expire soon, by type, no names.
    Comes back to every meeting while any is waiting."""
    if unit is None or not access.can(actor, access.P_COMPETENCE_COUNT, unit):
        return []
    expired, expiring = _unit_status_counts(unit, _today())
    if not expired and not expiring:
        return []
    total = sum(expired.values())
    title = ngettext(
        "Staff competence: %(count)s qualification expired",
        "Staff competence: %(count)s qualifications expired",
        total,
    ) % {"count": total} if total else _("Staff competence: qualifications expiring soon")
    parts = [f"{name} {n}" for name, n in sorted(expired.items())]
    soon = sum(expiring.values())
    note = ", ".join(parts)
    if soon:
        soon_text = ngettext("%(count)s expiring soon", "%(count)s expiring soon", soon) % {"count": soon}
        note = f"{note}; {soon_text}" if note else soon_text
    return [{"title": title, "note": note}]


def staffing_facts(*, unit, actor=None, today=None) -> dict:
    """The self-supervision plan's staffing and competence facts (core.registry
    PLAN_FACTS): counts only, never a name (the plan is public)."""
    today = _today(today)
    [row] = list(
        _staff_memberships(unit=unit).values("unit_id").annotate(**_count_annotations(today))
    ) or [{"staff": 0, "medication": 0, "first_aid": 0, "expired": 0}]
    requirement = unit_requirement(unit)
    staff = _staff_memberships(unit=unit).values("user_id")
    per_type = dict(
        QualificationRecord.objects.filter(_valid_q(today), person_id__in=staff, type__required=True, type__is_active=True)
        .values_list("type_id").annotate(n=Count("person_id", distinct=True)).values_list("type_id", "n")
    )
    return {
        "date": today.isoformat(),
        "staff": row["staff"],
        "medication": row["medication"],
        "medication_required": requirement.medication_permits,
        "first_aid": row["first_aid"],
        "first_aid_required": requirement.first_aid,
        "required": [
            {"name": t.label, "valid": per_type.get(t.pk, 0)}
            for t in QualificationType.objects.filter(is_active=True, required=True)
        ],
        **training_selectors.last_year_counts(unit=unit, today=today),
    }


def units_to_view(*, actor):
    return list(access.units_for(actor, access.P_COMPETENCE_VIEW).order_by("name")[:100])


def unit_by_id(unit_id) -> Unit | None:
    return Unit.objects.filter(pk=unit_id).first()
