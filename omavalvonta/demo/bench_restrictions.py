"""The bench's children and restrictive measures (issue 16): children placed in
every children's home (six each) and about `total` measures over the last year
(200,000 at 2,000 units), added once to a bench dataset that lacks them; the
pages measured: the unit's register, a child's page, the unit's figures and the
restrictions overview of the quality director."""

from __future__ import annotations

import random

from django.utils import timezone

from omavalvonta.clients.models import Placement, PlacementType
from omavalvonta.demo import restrictions as demo_restrictions
from omavalvonta.organisation.models import ServiceType, Unit, WellbeingCounty
from omavalvonta.restrictions.models import Restriction

CHILDREN_PER_HOME = 6
# At most this many a year per home (200,000 at 2,000 units; a small bench stays small).
PER_HOME = 100


def build(*, organisation, total: int, log, seed: int = 2026) -> None:
    if not total or Restriction.objects.exists():
        return
    rng = random.Random(seed)
    today = timezone.localdate()
    homes = list(Unit.objects.filter(region__organisation=organisation, service_type=ServiceType.SUBSTITUTE_CARE).order_by("pk"))
    county = WellbeingCounty.objects.order_by("pk").first()
    if not homes or county is None:
        return
    total = min(total, PER_HOME * len(homes))
    log(f"Seeding {len(homes) * CHILDREN_PER_HOME} children and about {total} restrictive measures...")
    if not Placement.objects.filter(unit__in=homes).exists():
        Placement.objects.bulk_create(
            [
                Placement(
                    unit=unit, name=f"Lapsi {i + 1}", birth_year=today.year - rng.randint(8, 17),
                    placement_type=PlacementType.SUBSTITUTE_CARE, county=county,
                    social_worker_name="Sanna Sosiaalityöntekijä", social_worker_email="sanna@kunta.example",
                    starts_on=today.replace(year=today.year - 2),
                )
                for unit in homes
                for i in range(CHILDREN_PER_HOME)
            ],
            batch_size=5000,
        )
    placements = list(Placement.objects.filter(unit__in=homes).order_by("pk"))
    made = demo_restrictions.insert(placements, rng, today=today, per_year=total / len(placements))
    log(f"  {made} restrictive measures")


def pages(cast, get) -> list:
    unit = cast.unit
    child = Placement.objects.filter(unit=unit).order_by("pk").first()
    if child is None:
        return []
    sup, qd = cast.supervisor, cast.quality_director
    return [
        ("restrictions register, unit (supervisor)", get(sup, lambda i: f"/rajoitukset/yksikko/{unit.pk}/"), {200}),
        ("restrictions register, page 3 (supervisor)", get(sup, lambda i: f"/rajoitukset/yksikko/{unit.pk}/?page=3"), {200}),
        ("child's page with restrictions (supervisor)", get(sup, lambda i: f"/lapset/{child.pk}/"), {200}),
        ("restrictions figures, unit (supervisor)", get(sup, lambda i: f"/rajoitukset/yksikko/{unit.pk}/luvut/"), {200}),
        ("restrictions overview (QD)", get(qd, lambda i: "/rajoitukset/"), {200}),
    ]
