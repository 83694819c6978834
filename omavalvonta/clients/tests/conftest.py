import pytest
from django.utils import translation

from omavalvonta.clients import services
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import WellbeingCountyFactory, member, placement_kwargs


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in their English msgids whatever translations exist.
    with translation.override("en"):
        yield


@pytest.fixture
def county_b(db):
    return WellbeingCountyFactory(name="Satakunnan hyvinvointialue", notification_email="kirjaamo@satakunta.example")


@pytest.fixture
def keeper_a(unit_a):
    """The unit's supervisor: keeps its placement records."""
    return member(Role.SUPERVISOR, unit=unit_a, full_name="Paula Pitäjä", email="paula@omavalvonta.example")


@pytest.fixture
def make_placement(keeper_a, county):
    def make(unit=None, keeper=None, **overrides):
        unit = unit or keeper_a.memberships.get().unit
        overrides.setdefault("county", county)
        return services.placement_create(
            actor=keeper or keeper_a, unit=unit, **placement_kwargs(**overrides)
        )

    return make
