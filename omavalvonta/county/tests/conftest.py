"""Two counties, each purchasing from its own unit, with one report notified to
each; a county person of the first; tokens of both and a public integration's."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from omavalvonta.deviations.services import deviation_notify_county, deviation_submit
from omavalvonta.organisation import services as org_services
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import (
    RegionFactory,
    UnitFactory,
    UserFactory,
    WellbeingCountyFactory,
    deviation_kwargs,
    member,
)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin(db):
    return member(Role.ADMINISTRATOR, full_name="Aapo Ylläpitäjä", email="aapo@omavalvonta.example")


@pytest.fixture
def county_x(db):
    return WellbeingCountyFactory(name="Pirkanmaan hyvinvointialue")


@pytest.fixture
def county_y(db):
    return WellbeingCountyFactory(name="Kanta-Hämeen hyvinvointialue")


@pytest.fixture
def unit_x(organisation, county_x):
    region = RegionFactory(organisation=organisation, name="Länsi")
    return UnitFactory(region=region, name="Lastenkoti Kataja", public_slug="kataja", counties=[county_x])


@pytest.fixture
def unit_y(organisation, county_y):
    region = RegionFactory(organisation=organisation, name="Itä")
    return UnitFactory(region=region, name="Lastenkoti Pihlaja", public_slug="pihlaja", counties=[county_y])


def _notified(unit, county, *, kind="quality", subject="Vakava tapahtuma", **extra):
    reporter = member(Role.EMPLOYEE, unit=unit)
    supervisor = member(Role.SUPERVISOR, unit=unit)
    deviation = deviation_submit(actor=reporter, **deviation_kwargs(unit, kind=kind, **extra)).deviation
    deviation_notify_county(
        actor=supervisor, deviation=deviation, counties=[county], subject=subject, body="Mitä tapahtui ja mitä tehtiin."
    )
    return deviation


@pytest.fixture
def report_x(unit_x, county_x):
    return _notified(unit_x, county_x, subject="Kataja: puute hoidossa")


@pytest.fixture
def grievance_x(unit_x, county_x):
    return _notified(unit_x, county_x, kind="grievance", subject="Kataja: § 29 -ilmoitus")


@pytest.fixture
def report_y(unit_y, county_y):
    return _notified(unit_y, county_y, subject="Pihlaja: puute hoidossa")


@pytest.fixture
def county_person(admin, county_x):
    person = UserFactory(full_name="Kaisa Valvoja", email="kaisa.valvoja@pirha.example")
    org_services.county_access_grant(actor=admin, person=person, county=county_x)
    return person


@pytest.fixture
def token_x(admin, county_x):
    return org_services.api_token_create(actor=admin, name="Pirkanmaa: valvonta", county=county_x)


@pytest.fixture
def token_public(admin):
    return org_services.api_token_create(actor=admin, name="Avoin data", county=None)
