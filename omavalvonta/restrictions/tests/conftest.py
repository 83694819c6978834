import datetime as dt

import pytest
from django.utils import timezone

from omavalvonta.clients import services as clients_services
from omavalvonta.organisation.models import Role
from omavalvonta.restrictions import services
from omavalvonta.testing.factories import member, placement_kwargs


@pytest.fixture(autouse=True)
def _english(english_texts):
    """Messages are asserted in their English msgids (the root conftest's english_texts)."""


@pytest.fixture
def make_placement(county):
    def make(unit, **overrides):
        overrides.setdefault("county", county)
        keeper = member(Role.SUPERVISOR, unit=unit)
        return clients_services.placement_create(actor=keeper, unit=unit, **placement_kwargs(**overrides))

    return make


@pytest.fixture
def child_a(make_placement, unit_a):
    return make_placement(unit_a, name="Aino K.")


def restraint_kwargs(**overrides):
    """Valid keyword arguments for services.restriction_record: a short restraint, as an account."""
    started = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    data = {
        "measure": "restraint",
        "record_kind": "account",
        "started_at": started,
        "ended_at": started + dt.timedelta(minutes=4),
        "details": "Pidettiin kiinni sohvalla.",
        "reason": "Lapsi löi toista lasta eikä rauhoittunut.",
        "milder_means": "Puhuttiin rauhallisesti ja ohjattiin omaan huoneeseen.",
        "conditions_confirmed": True,
        "decided_by_name": "",
        "carried_out_by": "Olli Ohjaaja ja Tiina Työntekijä",
        "child_heard": True,
        "child_view": "Minua suututti, kun peli otettiin pois.",
        "child_not_heard_reason": "",
        "injuries": "",
        "deviation_id": None,
    }
    data.update(overrides)
    return data


@pytest.fixture
def record():
    def make(actor, placement, **overrides):
        return services.restriction_record(actor=actor, placement=placement, **restraint_kwargs(**overrides))

    return make


def fill_measure_form(page, *, earlier, lasts, **overrides) -> None:
    """Fill the measure form open on `page` (a browser test) with
    restraint_kwargs(**overrides): the measure, the kind of record, a start
    `earlier` than the time the form offers and an end `lasts` after it, the
    texts, who carried it out and the child's view as heard."""
    data = restraint_kwargs(**overrides)
    page.check(f"input[name=measure][value={data['measure']}]")
    page.check(f"input[name=record_kind][value={data['record_kind']}]")
    started = dt.datetime.fromisoformat(page.input_value("input[name=started_at]")) - earlier
    page.fill("input[name=started_at]", started.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=ended_at]", (started + lasts).strftime("%Y-%m-%dT%H:%M"))
    for name in ("details", "reason", "milder_means"):
        page.fill(f"textarea[name={name}]", data[name])
    page.fill("input[name=carried_out_by]", data["carried_out_by"])
    page.check("input[name=child_heard][value=yes]")
    page.fill("textarea[name=child_view]", data["child_view"])
