"""Demo and bench restrictive measures: a year of believable measures on the
children placed in children's homes (mostly confiscations and contact
restrictions, some restraints, a rare isolation), debriefs held, the social
workers already told (one expired delivery per child), and in the demo unit one
child flagged for many measures within 30 days.

Fast: bulk-inserted as history; the services' checks are the ones a person's
form goes through."""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from django.db import transaction
from django.utils import timezone

from omavalvonta.clients.models import Placement, PlacementType, SocialWorkerDelivery
from omavalvonta.demo.builder import DEMO_UNIT_NAME
from omavalvonta.restrictions.models import ChildFlag, Restriction

# (measure, record kind, weight, minutes it lasts (low, high))
MIX = (
    ("confiscation", "account", 40, (1, 5)),
    ("contact", "decision", 20, (3 * 24 * 60, 14 * 24 * 60)),
    ("property_search", "account", 12, (5, 30)),
    ("restraint", "account", 14, (2, 12)),
    ("return", "account", 8, (30, 180)),
    ("movement", "decision", 5, (24 * 60, 5 * 24 * 60)),
    ("isolation", "decision", 1, (60, 6 * 60)),
)
TEXTS = {
    "confiscation": ("Otettiin haltuun energiajuomat ja sytytin huoneesta.", "Terveydelle vaaralliset aineet."),
    "contact": ("Rajoitettiin yhteydenpitoa yhteen kaveriin kahden viikon ajaksi.", "Kaveri houkutteli karkaamaan."),
    "property_search": ("Tarkastettiin huone lapsen läsnä ollessa.", "Epäily päihteistä huoneessa."),
    "restraint": ("Pidettiin kiinni sohvalla kahden aikuisen voimin.", "Lapsi löi toista lasta eikä rauhoittunut."),
    "return": ("Haettiin lapsi kaupungilta poliisin avustamana.", "Lapsi oli poistunut luvatta yöksi."),
    "movement": ("Lapsi ei saa poistua yksiköstä ilman aikuista.", "Lapsi on karannut toistuvasti."),
    "isolation": ("Lapsi eristettiin rauhoittumishuoneeseen valvotusti.", "Lapsi vaaransi muiden turvallisuuden."),
}


def _measure(rng):
    total = sum(w for _m, _k, w, _d in MIX)
    pick = rng.uniform(0, total)
    for row in MIX:
        pick -= row[2]
        if pick <= 0:
            return row
    return MIX[0]


def rows_for(placement, rng, *, today, per_year: float, since: dt.date | None = None) -> list[Restriction]:
    """A child's measures from the later of the placement's start and a year ago, unsaved."""
    start = max(placement.starts_on, since or today - dt.timedelta(days=365))
    days = (today - start).days
    if days <= 2:
        return []
    count = max(0, round(rng.gauss(per_year * days / 365, per_year * days / 365 / 2)))
    rows = []
    for _i in range(count):
        measure, kind, _w, (low, high) = _measure(rng)
        day = start + dt.timedelta(days=rng.randint(0, days - 2))
        started = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(7, 22), rng.choice((0, 15, 30, 45)))))
        ended = started + dt.timedelta(minutes=rng.randint(low, high))
        details, reason = TEXTS[measure]
        rows.append(
            Restriction(
                placement=placement, unit_id=placement.unit_id, measure=measure, record_kind=kind,
                started_at=started, ended_at=min(ended, timezone.now()) if ended > started else None,
                details=details, reason=reason, milder_means="Keskusteltiin ja annettiin aikaa rauhoittua.",
                conditions_confirmed=True, decided_by_name="Yksikön johtaja" if kind == "decision" else "",
                carried_out_by="Vuoron ohjaajat", child_heard=True, child_view="Lapsi kertoi olleensa vihainen.",
                injuries="", debrief_at=started + dt.timedelta(days=1), debrief_notes="Käytiin tilanne läpi lapsen kanssa.",
            )
        )
    return rows


def told(placements, *, now) -> dict[int, int]:
    """One expired delivery per child (the weekly summaries already sent): {placement id: delivery id}."""
    rows = [
        SocialWorkerDelivery(
            placement=p, unit_id=p.unit_id, generator="restrictions.notice", params={},
            recipient_name=p.social_worker_name, email=p.social_worker_email,
            token_hash=hashlib.sha256(f"demo-{p.pk}-{now.timestamp()}".encode()).hexdigest(),
            code_hash="-", expires_at=now - dt.timedelta(days=1),
        )
        for p in placements
    ]
    SocialWorkerDelivery.objects.bulk_create(rows, batch_size=1000)
    return dict(
        SocialWorkerDelivery.objects.filter(placement__in=[p.pk for p in placements], code_hash="-").values_list(
            "placement_id", "pk"
        )
    )


def insert(placements, rng, *, today, per_year: float, batch: int = 5000) -> int:
    """Measures for `placements`, each told to its social worker; returns how many."""
    now = timezone.now()
    deliveries = told(placements, now=now)
    made, pending = 0, []
    for placement in placements:
        for row in rows_for(placement, rng, today=today, per_year=per_year):
            row.social_worker_delivery_id = deliveries.get(placement.pk)
            pending.append(row)
        if len(pending) >= batch:
            Restriction.objects.bulk_create(pending, batch_size=batch)
            made, pending = made + len(pending), []
    Restriction.objects.bulk_create(pending, batch_size=batch)
    return made + len(pending)


@transaction.atomic
def build(*, log=lambda msg: None, seed: int = 16) -> dict:
    rng = random.Random(seed)
    today = timezone.localdate()
    homes = list(
        Placement.objects.filter(placement_type=PlacementType.SUBSTITUTE_CARE, ends_on__isnull=True)
        .select_related("unit")
        .order_by("pk")
    )
    made = insert(homes, rng, today=today, per_year=6)
    flagged = _flag_one(rng, today)
    log(f"  {made} restrictive measures, {flagged} flagged child")
    return {"restrictive measures": made, "flagged children": flagged}


def _flag_one(rng, today) -> int:
    """In the demo unit, one child with three restraints in the last three weeks: flagged."""
    child = (
        Placement.objects.filter(unit__name=DEMO_UNIT_NAME, placement_type=PlacementType.SUBSTITUTE_CARE, ends_on__isnull=True)
        .order_by("pk")
        .first()
    )
    if child is None:
        return 0
    now = timezone.now().replace(second=0, microsecond=0)
    # Told already (the demo's worker starts with no backlog); the last debrief is
    # missing and was just reminded of.
    delivery = SocialWorkerDelivery.objects.filter(placement=child).order_by("pk").first()
    rows = []
    for days in (19, 11, 4):
        started = now - dt.timedelta(days=days, hours=rng.randint(1, 5))
        details, reason = TEXTS["restraint"]
        rows.append(
            Restriction(
                placement=child, unit_id=child.unit_id, measure="restraint", record_kind="account",
                started_at=started, ended_at=started + dt.timedelta(minutes=rng.randint(3, 9)), details=details,
                reason=reason, milder_means="Puhuttiin rauhallisesti ja ohjattiin omaan huoneeseen.",
                conditions_confirmed=True, carried_out_by="Vuoron ohjaajat", child_heard=True,
                child_view="En halunnut lopettaa peliä.", injuries="",
                debrief_at=started + dt.timedelta(days=1) if days > 5 else None,
                debrief_notes="Käytiin tilanne läpi." if days > 5 else "",
                debrief_reminded_at=None if days > 5 else now,
                social_worker_delivery=delivery,
            )
        )
    Restriction.objects.bulk_create(rows)
    ChildFlag.objects.create(
        placement=child, unit_id=child.unit_id, rule="many_30d", raised_at=now - dt.timedelta(days=4),
        social_worker_delivery=delivery,
    )
    return 1
