import pytest
from django.utils import translation

from omavalvonta.testing.factories import WellbeingCountyFactory


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in their English msgids whatever translations exist.
    with translation.override("en"):
        yield


@pytest.fixture
def county_b(db):
    return WellbeingCountyFactory(name="Satakunnan hyvinvointialue", notification_email="kirjaamo@satakunta.example")


