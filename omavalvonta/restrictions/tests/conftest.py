import datetime as dt

import pytest
from django.utils import timezone, translation

from omavalvonta.clients import services as clients_services
from omavalvonta.organisation.models import Role
from omavalvonta.restrictions import services
from omavalvonta.testing.factories import member, placement_kwargs


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in their English msgids whatever translations exist.
    with translation.override("en"):
        yield


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
