import pytest

from omavalvonta.testing.factories import WellbeingCountyFactory


@pytest.fixture(autouse=True)
def _english(english_texts):
    """Messages are asserted in their English msgids (the root conftest's english_texts)."""


@pytest.fixture
def county_b(db):
    return WellbeingCountyFactory(name="Satakunnan hyvinvointialue", notification_email="kirjaamo@satakunta.example")


