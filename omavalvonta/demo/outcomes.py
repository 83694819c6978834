"""Demo functional-capacity measurements: a year of three-monthly measurements
for the demo's current placements, following believable trajectories (most
children slowly better, some flat, a few worse; the worker's view near the
child's), two goals in a child's words after each measurement, followed up at
the next, and a few measurements late or declined.

Fast: bulk-inserted as history (the services' checks are the ones a person's
form goes through)."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from omavalvonta.clients.models import Placement
from omavalvonta.organisation.models import Unit
from omavalvonta.outcomes import schedule
from omavalvonta.outcomes.defaults import ensure_default_instrument
from omavalvonta.outcomes.models import (
    Answer,
    Goal,
    Measurement,
    MeasurementStatus,
    SessionCheck,
    UnitPractice,
)
from omavalvonta.outcomes.selectors import current_version

HISTORY_DAYS = 365
# In the child's words, per domain.
GOAL_TEXTS = {
    "daily_routines": ["Menen nukkumaan ennen yhtätoista", "Herään itse herätyskellolla", "Syön aamupalan joka aamu"],
    "school_or_work": ["Käyn koulussa joka päivä", "Teen läksyt ennen pelaamista", "Haen kesätöitä"],
    "relationships": ["Soitan äidille sunnuntaisin", "Tutustun yhteen uuteen kaveriin", "Puhun omaohjaajan kanssa viikoittain"],
    "emotions_mood": ["Kerron, kun on paha olla", "Käyn lenkillä, kun ahdistaa", "Opettelen rauhoittumaan hengittämällä"],
    "behaviour": ["Lähden pois tilanteesta, kun suututtaa", "En riitele ruokapöydässä", "Pyydän anteeksi, kun mokaan"],
    "independence": ["Opettelen tekemään ruokaa itse", "Pidän huoneeni siistinä", "Hoidan oman kännykkälaskuni"],
    "safety": ["Tulen kotiin sovittuun aikaan", "En käytä päihteitä viikonloppuisin", "Kerron, missä olen"],
    "participation": ["Aloitan harrastuksen", "Käyn nuorisotalolla", "Kerron mielipiteeni palaverissa"],
}


@transaction.atomic
def build(*, log=lambda msg: None, seed: int = 15) -> dict:
    rng = random.Random(seed)
    today = timezone.localdate()
    made, goals = insert(
        Placement.objects.current(today).order_by("pk"), rng, today=today, since=today - dt.timedelta(days=HISTORY_DAYS)
    )
    checks = _session_checks(rng, today)
    _duties_are_history()
    log(f"  {made} functional-capacity measurements, {goals} goals, {checks} session checks")
    return {"measurements": made, "goals": goals, "session checks": checks}


def insert(placements, rng, *, today: dt.date, since: dt.date, waiting_share: float = 0.12) -> tuple[int, int]:
    """Three-monthly measurements of `placements` due from `since` to `today`
    (an ended placement's until it ended), with their answers and goals,
    bulk-inserted: (measurements, goals). About `waiting_share` of the children
    have their latest measurement still waiting. The demo's year and the bench's
    five years both come from here."""
    ensure_default_instrument()
    version = current_version()
    items = list(version.items.all())
    measurements, plans = [], []
    for placement in placements:
        dues = [d.due_on for d in schedule.due_dates(
            starts_on=placement.starts_on, ends_on=placement.ends_on, today=today, measured=[]
        ) if d.state != schedule.UPCOMING and d.due_on >= since]
        if not dues:
            continue
        # About one child in eight has the latest measurement still waiting (due or late).
        if rng.random() < waiting_share and placement.ends_on is None:
            dues = dues[:-1]
        trend = rng.choice([0.5, 0.4, 0.3, 0.2, 0.0, -0.2]) * min(1.0, 5 / max(1, len(dues)))  # five years drift as far as one
        base = {i.domain: rng.uniform(2.5, 6.5) for i in items}
        for n, due_on in enumerate(dues):
            measured_on = min(today, due_on + dt.timedelta(days=rng.randint(-10, 12)))
            status = MeasurementStatus.DONE if rng.random() > 0.05 else MeasurementStatus.DECLINED
            m = Measurement(
                unit_id=placement.unit_id,
                placement=placement,
                version=version,
                measured_on=max(measured_on, placement.starts_on),
                status=status,
                reason="" if status == MeasurementStatus.DONE else "Nuori ei halunnut vastata tällä kertaa.",
            )
            scores = {}
            if status == MeasurementStatus.DONE:
                for i in items:
                    level = base[i.domain] + trend * n + rng.uniform(-0.8, 0.8)
                    child = _clamp(level + rng.uniform(-0.5, 1.2))  # children often rate themselves higher
                    worker = _clamp(level + rng.uniform(-0.7, 0.5))
                    scores[i] = (child if rng.random() > 0.03 else None, worker)
            measurements.append(m)
            plans.append((m, scores))
    Measurement.objects.bulk_create(measurements, batch_size=500)
    answers, goals = [], []
    open_goals: dict[int, list[Goal]] = {}
    for m, scores in plans:
        if not scores:
            continue
        answers += [Answer(measurement=m, item=i, child_score=c, worker_score=w) for i, (c, w) in scores.items()]
        for goal in open_goals.pop(m.placement_id, []):
            goal.follow_up = rng.choices(["achieved", "progressing", "not_progressing"], weights=[3, 4, 2])[0]
            goal.followed_up_in = m
        lowest = sorted(scores, key=lambda i: sum(s for s in scores[i] if s is not None))[:2]
        new = [
            Goal(
                unit_id=m.unit_id,
                placement_id=m.placement_id,
                measurement=m,
                item=i,
                text=rng.choice(GOAL_TEXTS.get(i.domain, ["Harjoittelen tätä"])),
            )
            for i in lowest
        ]
        open_goals[m.placement_id] = new
        goals += new
    Answer.objects.bulk_create(answers, batch_size=1000)
    Goal.objects.bulk_create(goals, batch_size=500)
    return len(measurements), len(goals)


def _session_checks(rng, today) -> int:
    """The demo unit uses the feedback-informed session checks: its first
    children have had a check at their weekly meetings for two months, one of
    them going nowhere (the off-track flag)."""
    from omavalvonta.demo.builder import DEMO_UNIT_NAME
    from omavalvonta.outcomes import sessions

    unit = Unit.objects.filter(name=DEMO_UNIT_NAME).first()
    if unit is None:
        return 0
    UnitPractice.objects.update_or_create(unit=unit, defaults={"session_checks": True})
    rows = []
    for n, placement in enumerate(Placement.objects.current(today).filter(unit=unit).order_by("pk")[:4]):
        level, step = rng.uniform(3.5, 5.5), (0.0 if n == 1 else rng.uniform(0.1, 0.3))
        for week in range(8, 0, -1):
            on = today - dt.timedelta(days=7 * week)
            if on < placement.starts_on:
                continue
            life = level + step * (8 - week)
            scores = {code: _clamp(life + rng.uniform(-0.6, 0.6)) for code, _t in sessions.LIFE}
            scores |= {code: _clamp(rng.uniform(7.5, 9.8)) for code, _t in sessions.MEETING}
            rows.append(SessionCheck(unit=unit, placement=placement, checked_on=on, scores=scores))
    SessionCheck.objects.bulk_create(rows)
    return len(rows)


def _duties_are_history() -> None:
    """The quality calendar's reminders of the measurements waiting so far are
    history, as the rest of the demo year is: claimed (never sent again) and
    marked sent, so the worker starts without a backlog."""
    from omavalvonta.notifications.models import DeliveryState, Notification
    from omavalvonta.yearclock.duties import duties_remind_and_escalate

    last = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
    while duties_remind_and_escalate():
        pass
    Notification.objects.filter(id__gt=last, state=DeliveryState.PENDING).update(
        state=DeliveryState.SENT, sent_at=timezone.now()
    )


def _clamp(value: float) -> int:
    return max(0, min(10, round(value)))
