"""The shared cast of every test: two units in two regions, one county, and a
person in each role that matters. Names read as the tests' sentences do."""

import inspect
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
    placement_kwargs,
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
def english_pages(client):
    """The test client asks for English pages by the language cookie, so that the
    page texts read as their msgids whatever translations exist. A module of
    page tests takes it with `pytest.mark.usefixtures("english_pages")`."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def english_texts():
    """The test's own calls (a service's messages, a selector's labels) speak
    English, so that their texts read as the msgids whatever translations exist.
    A module takes it with `pytest.mark.usefixtures("english_texts")`."""
    from django.utils import translation

    with translation.override("en"):
        yield


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


# The people of the cast: fixture name -> (role, where the role is held: the
# fixture of a unit or a region, or the organisation as a whole; the mailbox at
# omavalvonta.example; full name). keeper_a keeps unit A's children's placement
# records.
CAST = {
    "employee_a": (Role.EMPLOYEE, "unit_a", "eeva", "Eeva Työntekijä"),
    "colleague_a": (Role.EMPLOYEE, "unit_a", "kalle", "Kalle Kollega"),
    "supervisor_a": (Role.SUPERVISOR, "unit_a", "sari", "Sari Esihenkilö"),
    "responsible_a": (Role.RESPONSIBLE_PERSON, "unit_a", "veikko", "Veikko Vastuuhenkilö"),
    "keeper_a": (Role.SUPERVISOR, "unit_a", "paula", "Paula Pitäjä"),
    "supervisor_b": (Role.SUPERVISOR, "unit_b", "mikko", "Mikko Muualta"),
    "regional_director_a": (Role.REGIONAL_DIRECTOR, "region_a", "riitta", "Riitta Aluejohtaja"),
    "quality_director": (Role.QUALITY_DIRECTOR, "organisation", "laura", "Laura Laatujohtaja"),
    "safety_manager": (Role.SAFETY_MANAGER, "organisation", "tuomas", "Tuomas Työsuojelu"),
    "hr_director": (Role.HR_DIRECTOR, "organisation", "helena", "Helena Henkilöstö"),
    "dpo": (Role.DATA_PROTECTION_OFFICER, "organisation", "tiina", "Tiina Tietosuoja"),
    "administrator": (Role.ADMINISTRATOR, "organisation", "aki", "Aki Admin"),
}


def _cast_fixture(name, role, held_in, mailbox, full_name):
    """The fixture of one person of CAST, asking for the fixture `held_in` by name."""

    def person(**held):
        where = held[held_in]
        scope = {held_in.split("_")[0]: where} if held_in.startswith(("unit", "region")) else {}
        return member(role, full_name=full_name, email=f"{mailbox}@omavalvonta.example", **scope)

    person.__name__ = name
    person.__signature__ = inspect.Signature([inspect.Parameter(held_in, inspect.Parameter.KEYWORD_ONLY)])
    return pytest.fixture(person, name=name)


for _name, _person in CAST.items():
    globals()[_name] = _cast_fixture(_name, *_person)


@pytest.fixture
def make_placement(keeper_a, county):
    """Place a child in care (clients.services.placement_create): in keeper_a's
    unit by default, with `overrides` of placement_kwargs."""
    from omavalvonta.clients import services as client_services

    def make(unit=None, keeper=None, **overrides):
        unit = unit or keeper_a.memberships.get().unit
        overrides.setdefault("county", county)
        return client_services.placement_create(actor=keeper or keeper_a, unit=unit, **placement_kwargs(**overrides))

    return make


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
