"""The bench's children and their functional-capacity measurements (issue 15,
phase 9): about `total` placements over the organisation (by default 15,000 at 2,000 units:
the children's homes' six from the restrictions' bench and more in every unit,
a fifth of them ended), five years of three-monthly measurements with answers
and goals (demo.outcomes.insert), added once to a bench dataset that lacks
them; the pages measured: a child's page and measure page, the employee's and
the supervisor's home (measurements due), the unit's effectiveness page, the
report to the social worker, the organisation's and a region's figures."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from omavalvonta.clients.models import Placement, PlacementType
from omavalvonta.demo import outcomes as demo_outcomes
from omavalvonta.organisation.models import Unit, WellbeingCounty
from omavalvonta.outcomes import effectiveness
from omavalvonta.outcomes.models import Measurement

YEARS = 5
ENDED_SHARE = 0.2
PER_UNIT = 7.5  # children placed over the years per unit: 15,000 at 2,000 units
CHUNK = 500  # placements per transaction: a few hundred thousand answer rows at a time


def build(*, organisation, total: int | None, log, seed: int = 2027) -> None:
    """`total` None: PER_UNIT children a unit; 0: none."""
    units = list(Unit.objects.filter(region__organisation=organisation).order_by("pk"))
    if total is None:
        total = round(PER_UNIT * len(units))
    if not total or not units or Measurement.objects.exists():
        return
    rng = random.Random(seed)
    today = timezone.localdate()
    counties = list(WellbeingCounty.objects.order_by("pk"))
    have = Placement.objects.filter(unit__in=units).count()
    more = max(0, total - have)
    log(f"Seeding {more} more placements ({have} already) and {YEARS} years of measurements...")
    span = YEARS * 365
    rows = []
    for n in range(more):
        unit = units[n % len(units)]
        starts = today - dt.timedelta(days=rng.randint(30, span))
        ends = None
        if rng.random() < ENDED_SHARE:
            ends = min(today - dt.timedelta(days=1), starts + dt.timedelta(days=rng.randint(120, 900)))
        rows.append(
            Placement(
                unit=unit, name=f"Nuori {n + 1}", birth_year=today.year - rng.randint(7, 20),
                placement_type=PlacementType(unit.service_type), county=rng.choice(counties),
                social_worker_name="Sanna Sosiaalityöntekijä", social_worker_email="sanna@kunta.example",
                starts_on=starts, ends_on=ends if ends and ends > starts else None,
            )
        )
    Placement.objects.bulk_create(rows, batch_size=5000)
    ids = list(Placement.objects.filter(unit__in=units).order_by("pk").values_list("pk", flat=True))
    since = today - dt.timedelta(days=span)
    made = goals = 0
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():
            m, g = demo_outcomes.insert(
                Placement.objects.filter(pk__in=ids[start:start + CHUNK]).order_by("pk"), rng, today=today, since=since
            )
        made, goals = made + m, goals + g
        if (start // CHUNK) % 6 == 5 or start + CHUNK >= len(ids):
            log(f"    {min(start + CHUNK, len(ids))}/{len(ids)} children: {made} measurements, {goals} goals")


def pages(cast, get) -> list:
    unit, sup, emp = cast.unit, cast.supervisor, cast.employee
    # The child placed longest: the most measurements (about twenty in five years).
    child = Placement.objects.filter(unit=unit, ends_on__isnull=True).order_by("starts_on", "pk").first()
    if child is None or not Measurement.objects.filter(placement=child).exists():
        return []
    qd, rd = cast.quality_director, cast.regional_director
    # The job keeps every unit's figures (every ten minutes in production): run it once, as the worker would have.
    effectiveness.refresh()
    report = f"/toimintakyky/lapsi/{child.pk}/raportti/"
    return [
        ("child's page with outcomes (employee)", get(emp, lambda i: f"/lapset/{child.pk}/"), {200}),
        ("child's measurements page (employee)", get(emp, lambda i: f"/toimintakyky/lapsi/{child.pk}/"), {200}),
        ("measurement form (employee)", get(emp, lambda i: f"/toimintakyky/lapsi/{child.pk}/mittaus/"), {200}),
        ("goals print page (employee)", get(emp, lambda i: f"/toimintakyky/lapsi/{child.pk}/tavoitteet/"), {200}),
        ("report to the social worker (supervisor)", get(sup, lambda i: report), {200}),
        ("unit's children (supervisor)", get(sup, lambda i: f"/lapset/yksikko/{unit.pk}/"), {200}),
        ("unit effectiveness (supervisor)", get(sup, lambda i: f"/toimintakyky/vaikuttavuus/yksikko/{unit.pk}/"), {200}),
        ("effectiveness, organisation (QD)", get(qd, lambda i: "/toimintakyky/vaikuttavuus/"), {200}),
        ("effectiveness, a region (QD)", get(qd, lambda i: f"/toimintakyky/vaikuttavuus/?alue={unit.region_id}"), {200}),
        ("effectiveness, own region (RD)", get(rd, lambda i: "/toimintakyky/vaikuttavuus/"), {200}),
        ("report PDF (supervisor, PDF)", get(sup, lambda i: f"{report}pdf/"), {200}),
    ]
