"""Demo checks and qualifications: every member of each unit's staff has their
registration checked and their criminal-record extract seen, most hold valid
first aid, safety and data-protection training, about half a medication permit;
in every unit a few items expire within their reminder window and exactly two
have expired. In the demo unit one of the expiring items is the medication
permit of the demo employee, so that it shows on the supervisor's home page, on
the next meeting's agenda and in the unit's matrix. Each unit requires valid
medication permits and first-aid certificates (about a third of its staff).

Every unit also has orientations in use: two or three newcomers who started
in the last weeks, mid-orientation, their main mentors ticking; one of them late
(items of the first shift and week not ticked). In the demo unit the demo
employee mentors two of them, the late one among them, so that the employee's
and the supervisor's home pages and the unit's competence page show them.

Every member of staff has one to three training records from the last year
and a half (some with hours for a whole course); most had their development
discussion within the last year, two per unit over a year ago (late, on the
supervisor's home page); each unit has an approved recruitment plan.

Fast: bulk-inserted as history (the services' checks are the ones a person's
form goes through)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from omavalvonta.demo.builder import DEMO_UNIT_NAME, LOGIN_EMAIL
from omavalvonta.organisation import access_people
from omavalvonta.organisation.models import Role, Unit
from omavalvonta.people import orientation_selectors as oselectors, training_selectors
from omavalvonta.people.defaults import ensure_default_types
from omavalvonta.people.models import (
    DevelopmentDiscussion,
    Orientation,
    OrientationItem,
    QualificationKind,
    QualificationNotice,
    QualificationRecord,
    QualificationType,
    RecruitmentPlan,
    TrainingRecord,
    UnitRequirement,
)
from omavalvonta.people.orientation_defaults import ensure_default_cards
from omavalvonta.people.selectors import STAFF_ROLES
from omavalvonta.yearclock.models import DutyNotice, NoticeKind

EXPIRED_PER_UNIT = 2
EXPIRING_PER_UNIT = 2


def _months_ago(today, months, rng):
    return today - dt.timedelta(days=int(months * 30.4) + rng.randint(0, 20))


def _valid_record(person, unit, qtype, today, rng, checker):
    months = qtype.refresh_months or 48
    done_on = _months_ago(today, rng.randint(1, max(2, months - 3)), rng)
    fields = {"person": person, "unit": unit, "type": qtype, "done_on": done_on, "recorded_by": checker}
    if qtype.kind == QualificationKind.REGISTRATION:
        fields.update(registration_number=str(rng.randint(10**10, 10**11 - 1)), result="valid")
    if qtype.kind == QualificationKind.MEDICATION_PERMIT:
        fields["scope"] = rng.choice(["Lääkkeiden jakaminen ja antaminen suun kautta", "Suun kautta, iholle ja inhaloiden"])
    if qtype.refresh_months:
        fields["valid_until"] = done_on + dt.timedelta(days=int(qtype.refresh_months * 30.4))
        fields["valid_until"] = max(fields["valid_until"], today + dt.timedelta(days=qtype.remind_days_before + 5))
    if qtype.kind in (QualificationKind.FIRST_AID, QualificationKind.SAFETY_TRAINING):
        fields["provider"] = rng.choice(["SPR", "Koulutuskeskus Taito", "MAPA-kouluttaja"])
    return QualificationRecord(**fields)


def _unit_records(unit, types, today, rng, done: set) -> tuple[list, int, int]:
    """The records of the unit's staff not yet given records in another unit (`done`)."""
    people = [p for p in access_people.people_holding(STAFF_ROLES, unit=unit).order_by("pk") if p.pk not in done]
    done.update(p.pk for p in people)
    if not people:
        return [], 0, 0
    checker = next(iter(access_people.people_holding([Role.SUPERVISOR], unit=unit).order_by("pk")), None)
    by_kind = {t.kind: t for t in types}
    rows = []
    for person in people:
        for t in types:
            if t.kind == QualificationKind.OTHER:
                continue
            if t.kind == QualificationKind.MEDICATION_PERMIT and rng.random() < 0.5:
                continue
            if t.kind in (QualificationKind.FIRST_AID, QualificationKind.SAFETY_TRAINING) and rng.random() < 0.08:
                continue
            rows.append(_valid_record(person, unit, t, today, rng, checker))
    # Items expiring soon and two expired, on records that expire.
    expiring_kinds = [QualificationKind.FIRST_AID, QualificationKind.SAFETY_TRAINING, QualificationKind.DATA_PROTECTION]
    demo_employee = unit.name == DEMO_UNIT_NAME and next((p for p in people if p.email == LOGIN_EMAIL[Role.EMPLOYEE]), None)
    if demo_employee:
        permit = next((r for r in rows if r.person == demo_employee and r.type.kind == QualificationKind.MEDICATION_PERMIT), None)
        if permit is None:
            permit = _valid_record(demo_employee, unit, by_kind[QualificationKind.MEDICATION_PERMIT], today, rng, checker)
            rows.append(permit)
        permit.valid_until = today + dt.timedelta(days=12)
    candidates = [r for r in rows if r.valid_until and r.type.kind in expiring_kinds and r.person != demo_employee]
    rng.shuffle(candidates)
    for r in candidates[:EXPIRED_PER_UNIT]:
        r.valid_until = today - dt.timedelta(days=rng.randint(3, 60))
        r.done_on = min(r.done_on, r.valid_until - dt.timedelta(days=300))
    for r in candidates[EXPIRED_PER_UNIT:EXPIRED_PER_UNIT + EXPIRING_PER_UNIT]:
        r.valid_until = today + dt.timedelta(days=rng.randint(5, r.type.remind_days_before - 2))
    return rows, len(people), EXPIRED_PER_UNIT


@transaction.atomic
def build(*, log=lambda msg: None, seed: int = 18) -> dict:
    ensure_default_types()
    rng = random.Random(seed)
    today = timezone.localdate()
    types = list(QualificationType.objects.filter(is_active=True))
    records, requirements, done = [], [], set()
    for unit in Unit.objects.filter(is_active=True).order_by("pk"):
        rows, staff, _expired = _unit_records(unit, types, today, rng, done)
        records.extend(rows)
        if staff:
            need = max(1, staff // 3)
            requirements.append(UnitRequirement(unit=unit, medication_permits=need, first_aid=need + 1))
    QualificationRecord.objects.bulk_create(records, batch_size=1000)
    UnitRequirement.objects.bulk_create(requirements, batch_size=500)
    # The reminders of what expires soon went out already (history): the worker
    # starts with no backlog.
    now = timezone.now()
    QualificationNotice.objects.bulk_create(
        [
            QualificationNotice(record=r, kind="expiry", sent_at=now, recipients=[])
            for r in records
            if r.valid_until and today <= r.valid_until <= today + dt.timedelta(days=r.type.remind_days_before)
        ],
        batch_size=1000,
    )
    started = _orientations(today)
    trainings, discussions = _development(today, rng)
    log(f"Competence: {len(records)} qualification records, {len(requirements)} unit requirements, "
        f"{started} orientations, {trainings} training records, {discussions} development discussions.")
    return {"qualification records": len(records), "orientations": started, "training records": trainings}


# Days since the start of each demo newcomer: the last one is late.
ORIENTATION_DAYS = (24, 9, 12)
LATE = 2  # the index of the late one


def _orientation(unit, newcomer, mentor, supervisor, card, days, late, today):
    started_on = today - dt.timedelta(days=days)
    orientation = Orientation.objects.create(
        unit=unit, newcomer=newcomer, mentor=mentor, card=card, started_on=started_on, started_by=supervisor
    )
    ticked_at = timezone.now() - dt.timedelta(days=1)
    items = []
    for item in card.items.all():
        due_on = started_on + dt.timedelta(days=item.target_day)
        # The late one: nothing after the first shift was ticked; the others are on time.
        done = due_on <= today and (not late or item.target_day == 0)
        items.append(OrientationItem(
            orientation=orientation, card_item=item, due_on=due_on,
            ticked_at=ticked_at if done else None, ticked_by=mentor if done else None,
            acknowledged_at=ticked_at if done and item.needs_ack else None,
        ))
    OrientationItem.objects.bulk_create(items)
    return orientation


def _orientations(today) -> int:
    """Two or three newcomers per unit mid-orientation, one of them late. The
    reminders of the late items went out already (history)."""
    ensure_default_cards()
    cards = {role: oselectors.card_current(role) for role in ("hourly", "instructor", "student")}
    count = 0
    for unit in Unit.objects.filter(is_active=True).order_by("pk"):
        supervisor = access_people.people_holding([Role.SUPERVISOR], unit=unit).order_by("pk").first()
        employees = list(access_people.people_holding([Role.EMPLOYEE], unit=unit).order_by("pk"))
        if supervisor is None or len(employees) < 3:
            continue
        demo_employee = next((p for p in employees if p.email == LOGIN_EMAIL[Role.EMPLOYEE]), None)
        mentor = demo_employee or employees[0]
        newcomers = [p for p in reversed(employees) if p != mentor][: len(ORIENTATION_DAYS)]
        for n, (newcomer, days) in enumerate(zip(newcomers, ORIENTATION_DAYS, strict=False)):
            role = ("hourly", "instructor", "student")[n % 3]
            _orientation(unit, newcomer, mentor if n != 1 else supervisor, supervisor, cards[role], days, n == LATE, today)
            count += 1
    # The late items were reminded and escalated already: the worker starts with no backlog.
    now = timezone.now()
    DutyNotice.objects.bulk_create(
        [
            DutyNotice(key=d.key, kind=kind, unit_id=d.unit_id, due_on=d.due_on, sent_at=now, recipients=[])
            for d in oselectors.orientation_duties(today=today)
            for kind in (NoticeKind.REMINDER, NoticeKind.ESCALATION) if kind == NoticeKind.REMINDER or d.late
        ],
        ignore_conflicts=True,
    )
    return count


COURSES = (
    ("Traumatietoinen työote lastensuojelussa", "Lastensuojelun Keskusliitto", 14),
    ("Väkivallan ennaltaehkäisy ja hallinta (MAPA)", "Turvallisuuskoulutus Oy", 21),
    ("Lääkehoidon verkkokoulutus (LOVe)", "Verkkokoulutus", 8),
    ("Ensiapu EA1", "Suomen Punainen Risti", 16),
    ("Tietosuoja ja tietoturva sosiaalihuollossa", "Oma organisaatio", 3),
    ("Nuorten päihdetyö", "Ehkäisevä päihdetyö EHYT ry", 7.5),
)
LATE_DISCUSSIONS_PER_UNIT = 2
RECRUITMENT_PLAN = (
    "Yksikön lapset tarvitsevat traumatietoista ja päihdetyön osaamista sekä kokemusta "
    "väkivallan ennaltaehkäisystä. Rekrytoinneissa painotetaan sosionomin (AMK) tai sosiaalialan "
    "tutkintoa, lääkehoidon osaamista (LOVe) ja valmiutta tukea koulunkäyntiä. Vähintään kolmasosalla "
    "vakituisesta henkilöstöstä on voimassa oleva lääkelupa."
)


def _development(today, rng) -> tuple[int, int]:
    """Training records, development discussions (two late per unit) and an
    approved recruitment plan for every active unit."""
    trainings, discussions, plans = [], [], []
    now = timezone.now()
    for unit in Unit.objects.filter(is_active=True).order_by("pk"):
        staff = list(access_people.people_holding(STAFF_ROLES, unit=unit).order_by("pk"))
        if not staff:
            continue
        supervisor = access_people.people_holding([Role.SUPERVISOR], unit=unit).order_by("pk").first()
        for n, person in enumerate(staff):
            for course, provider, hours in rng.sample(COURSES, rng.randint(1, 3)):
                trainings.append(TrainingRecord(
                    person=person, unit=unit, course=course, provider=provider, hours=Decimal(str(hours)),
                    done_on=today - dt.timedelta(days=rng.randint(10, 540)), recorded_by=supervisor,
                ))
            late = n < LATE_DISCUSSIONS_PER_UNIT and person.email != LOGIN_EMAIL[Role.EMPLOYEE]
            held = today - dt.timedelta(days=rng.randint(380, 450) if late else rng.randint(30, 300))
            discussions.append(DevelopmentDiscussion(person=person, unit=unit, held_on=held, recorded_by=supervisor))
        plans.append(RecruitmentPlan(
            unit=unit, version=1, text=RECRUITMENT_PLAN, created_by=supervisor, approved_by=supervisor, approved_at=now,
        ))
    TrainingRecord.objects.bulk_create(trainings, batch_size=1000)
    DevelopmentDiscussion.objects.bulk_create(discussions, batch_size=1000)
    RecruitmentPlan.objects.bulk_create(plans, batch_size=500)
    # The late ones were reminded and escalated already: the worker starts with no backlog.
    DutyNotice.objects.bulk_create(
        [
            DutyNotice(key=d.key, kind=kind, unit_id=d.unit_id, due_on=d.due_on, sent_at=now, recipients=[])
            for d in training_selectors.development_duties(today=today)
            for kind in (NoticeKind.REMINDER, NoticeKind.ESCALATION) if kind == NoticeKind.REMINDER or d.late
        ],
        ignore_conflicts=True,
    )
    return len(trainings), len(discussions)
