"""The shared cast of every test: two units in two regions, one county, and a
person in each role that matters. Names read as the tests' sentences do."""

import os

import pytest

from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import (
    PASSWORD,
    AuthorityFactory,
    OrganisationFactory,
    RegionFactory,
    UnitFactory,
    WellbeingCountyFactory,
    member,
)


def pytest_configure(config):
    """TEST_CLOCK=2027-02-28T22:30Z runs the suite at that moment (the clock
    ticks on from it): the hours around Helsinki's midnight, when the UTC date
    is not the local one, are where date bugs hide. .ci/run sets it for the
    PostgreSQL run."""
    clock = os.environ.get("TEST_CLOCK")
    if clock:
        import time_machine

        config._test_clock = time_machine.travel(clock, tick=True)
        config._test_clock.start()


def pytest_unconfigure(config):
    clock = getattr(config, "_test_clock", None)
    if clock is not None:
        clock.stop()


@pytest.fixture(autouse=True)
def _process_cache():
    """Each worker process's own cache (public pages kept in memory) starts empty
    in every test: the database it was filled from is rolled back."""
    from django.core.cache import caches

    from omavalvonta.core.lib.kept import forget_kept

    caches["process"].clear()
    forget_kept()  # the home's counts kept compiled (core/lib/kept.py): learnt again in each test
    yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REQUIRE_MFA_FOR_PRIVILEGED = False
    # Pages answer in English unless the browser asks otherwise, so assertions on
    # texts read the msgids whatever the catalogues say. Finnish as the default is
    # tested on its own (core/tests/test_i18n.py) and by the browser tests.
    settings.LANGUAGE_CODE = "en"
    # The real hasher costs ~0.2 s a user; the shared cast would dominate the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def authority(db):
    return AuthorityFactory()


@pytest.fixture
def county(db):
    return WellbeingCountyFactory(name="Pirkanmaan hyvinvointialue")


@pytest.fixture
def region_a(organisation):
    return RegionFactory(organisation=organisation, name="Pirkanmaa")


@pytest.fixture
def region_b(organisation):
    return RegionFactory(organisation=organisation, name="Satakunta")


@pytest.fixture
def unit_a(region_a, county):
    return UnitFactory(region=region_a, name="Lastenkoti Koivu", public_slug="koivu", counties=[county])


@pytest.fixture
def unit_b(region_b, county):
    return UnitFactory(region=region_b, name="Lastenkoti Mänty", public_slug="manty", counties=[county])


@pytest.fixture
def employee_a(unit_a):
    return member(Role.EMPLOYEE, unit=unit_a, full_name="Eeva Työntekijä", email="eeva@omavalvonta.example")


@pytest.fixture
def colleague_a(unit_a):
    return member(Role.EMPLOYEE, unit=unit_a, full_name="Kalle Kollega", email="kalle@omavalvonta.example")


@pytest.fixture
def supervisor_a(unit_a):
    return member(Role.SUPERVISOR, unit=unit_a, full_name="Sari Esihenkilö", email="sari@omavalvonta.example")


@pytest.fixture
def responsible_a(unit_a):
    return member(Role.RESPONSIBLE_PERSON, unit=unit_a, full_name="Veikko Vastuuhenkilö", email="veikko@omavalvonta.example")


@pytest.fixture
def supervisor_b(unit_b):
    return member(Role.SUPERVISOR, unit=unit_b, full_name="Mikko Muualta", email="mikko@omavalvonta.example")


@pytest.fixture
def regional_director_a(region_a):
    return member(Role.REGIONAL_DIRECTOR, region=region_a, full_name="Riitta Aluejohtaja", email="riitta@omavalvonta.example")


@pytest.fixture
def quality_director(organisation):
    return member(Role.QUALITY_DIRECTOR, full_name="Laura Laatujohtaja", email="laura@omavalvonta.example")


@pytest.fixture
def safety_manager(organisation):
    return member(Role.SAFETY_MANAGER, full_name="Tuomas Työsuojelu", email="tuomas@omavalvonta.example")


@pytest.fixture
def hr_director(organisation):
    return member(Role.HR_DIRECTOR, full_name="Helena Henkilöstö", email="helena@omavalvonta.example")


@pytest.fixture
def dpo(organisation):
    return member(Role.DATA_PROTECTION_OFFICER, full_name="Tiina Tietosuoja", email="tiina@omavalvonta.example")


@pytest.fixture
def administrator(organisation):
    return member(Role.ADMINISTRATOR, full_name="Aki Admin", email="aki@omavalvonta.example")


@pytest.fixture
def only_duty_sources(monkeypatch):
    """Limit the calendar's contributed duties to the sources whose names start
    with the given prefixes, so a scenario counts its own area's reminders and not
    the meeting rhythms or other areas' duties of the same test units."""

    def limit(*prefixes: str) -> None:
        from omavalvonta.core import registry

        kept = [e for e in registry.entries(registry.DUTY_SOURCES) if e.name.startswith(prefixes)]
        monkeypatch.setitem(registry._SLOTS, registry.DUTY_SOURCES, kept)

    return limit
