"""Demo children in care: every children's home's places filled with placements
(a few homes with a free place), a few ended placements as history, and the
clients of the open-care and aftercare teams. Names are fictional: a first name
and an initial, as units write them. A few of the demo unit's reports about a
child name the child, so that their notification proposes the child's county.

Fast: the rows are bulk-inserted as history (the services' checks are the ones
a person's form goes through)."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from omavalvonta.clients.models import Placement, PlacementMention, PlacementType
from omavalvonta.demo import names
from omavalvonta.demo.builder import DEMO_UNIT_NAME
from omavalvonta.deviations.models import Deviation
from omavalvonta.organisation.models import ServiceType, Unit

# Clients of a team that is not a home (open care, aftercare): this many.
TEAM_CLIENTS = (6, 12)
TYPE_OF_SERVICE = {
    ServiceType.SUBSTITUTE_CARE: PlacementType.SUBSTITUTE_CARE,
    ServiceType.OPEN_CARE: PlacementType.OPEN_CARE,
    ServiceType.AFTERCARE: PlacementType.AFTERCARE,
}
# Ages at the placement's start by type: children's homes 7-17, open care 3-17, aftercare 18-24.
AGES = {
    PlacementType.SUBSTITUTE_CARE: (7, 17),
    PlacementType.OPEN_CARE: (3, 17),
    PlacementType.AFTERCARE: (18, 24),
}


class _Children:
    def __init__(self, rng, today):
        self.rng = rng
        self.today = today
        self.workers: dict[int, list[tuple[str, str, str]]] = {}

    def worker(self, county):
        """One of a county's handful of social workers (a county's children share them)."""
        pool = self.workers.setdefault(county.pk, [])
        if len(pool) < 6 or self.rng.random() < 0.1:
            first = self.rng.choice(names.FIRST_NAMES_F + names.FIRST_NAMES_M)
            last = self.rng.choice(names.SURNAMES)
            domain = names.ascii_slug(county.name.split()[0])
            pool.append(
                (
                    f"{first} {last}",
                    f"{names.ascii_slug(first)}.{names.ascii_slug(last)}@{domain}.example",
                    f"040 {self.rng.randint(100, 999)} {self.rng.randint(1000, 9999)}",
                )
            )
            return pool[-1]
        return self.rng.choice(pool)

    def placement(self, unit, counties, kind, *, ended=False):
        rng, today = self.rng, self.today
        start = today - dt.timedelta(days=rng.randint(30, 3 * 365))
        end = None
        if ended:
            end = today - dt.timedelta(days=rng.randint(5, 300))
            start = end - dt.timedelta(days=rng.randint(60, 2 * 365))
        low, high = AGES[kind]
        first = rng.choice(names.FIRST_NAMES_F if rng.random() < 0.5 else names.FIRST_NAMES_M)
        county = rng.choice(counties)
        worker, email, phone = self.worker(county)
        client_plan = start + dt.timedelta(days=rng.randint(3, 30))
        care_plan = client_plan + dt.timedelta(days=rng.randint(7, 45))
        return Placement(
            unit=unit,
            name=f"{first} {rng.choice(names.SURNAMES)[0]}.",
            birth_year=min((end or today).year - rng.randint(low, high), start.year),
            placement_type=kind,
            county=county,
            social_worker_name=worker,
            social_worker_email=email,
            social_worker_phone=phone,
            starts_on=start,
            ends_on=end,
            client_plan_on=client_plan if client_plan <= today else None,
            care_plan_on=care_plan if care_plan <= today else None,
        )


@transaction.atomic
def build(*, log=lambda msg: None, seed: int = 15) -> dict:
    rng = random.Random(seed)
    today = timezone.localdate()
    maker = _Children(rng, today)
    rows = []
    for unit in Unit.objects.filter(is_active=True).prefetch_related("counties").order_by("pk"):
        counties = sorted(unit.counties.all(), key=lambda c: c.pk)
        if not counties:
            continue
        kind = TYPE_OF_SERVICE[unit.service_type]
        if unit.service_type == ServiceType.SUBSTITUTE_CARE:
            current = max((unit.places or 6) - (1 if rng.random() < 0.3 else 0), 1)
        else:
            current = rng.randint(*TEAM_CLIENTS)
        rows += [maker.placement(unit, counties, kind) for _ in range(current)]
        rows += [maker.placement(unit, counties, kind, ended=True) for _ in range(rng.randint(1, 3))]
    Placement.objects.bulk_create(rows, batch_size=500)
    mentions = _name_children_in_reports(rng)
    log(f"  {len(rows)} placements, {mentions} reports naming a child")
    return {"placements": len(rows), "reports naming a child": mentions}


def _name_children_in_reports(rng) -> int:
    """The demo unit's latest open reports about a child, not anonymous, name one of its children."""
    unit = Unit.objects.filter(name=DEMO_UNIT_NAME).first()
    if unit is None:
        return 0
    children = list(Placement.objects.filter(unit=unit, ends_on__isnull=True).order_by("pk"))
    reports = list(
        Deviation.objects.filter(unit=unit, affected_child=True, is_anonymous=False).order_by("-submitted_at")[:6]
    )
    if not children:
        return 0
    target_type = ContentType.objects.get_for_model(Deviation)
    PlacementMention.objects.bulk_create(
        [PlacementMention(placement=rng.choice(children), unit=unit, target_type=target_type, target_id=d.pk) for d in reports]
    )
    return len(reports)
