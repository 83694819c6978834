import datetime as dt

import pytest

from omavalvonta.people.models import QualificationType


@pytest.fixture(autouse=True)
def _default_types(db):
    """The seeded types, again after a transactional test flushed the migration's rows."""
    from omavalvonta.people.defaults import ensure_default_types

    ensure_default_types()


def qtype(key) -> QualificationType:
    return QualificationType.objects.get(key=key)


def record_kwargs(key, **overrides):
    """What a record of the seeded type `key` needs."""
    base = {"done_on": dt.date(2026, 1, 15)}
    if key == "ammattioikeus":
        base.update(registration_number="10012345678", result="valid")
    if key == "laakelupa":
        base.update(scope="Lääkkeiden jakaminen ja antaminen suun kautta", valid_until=dt.date(2027, 1, 15))
    return {"qtype": qtype(key), **base, **overrides}


@pytest.fixture
def record(supervisor_a, unit_a):
    from omavalvonta.people.services import qualification_record

    def make(person, key, **overrides):
        return qualification_record(actor=supervisor_a, unit=unit_a, person=person, **record_kwargs(key, **overrides))

    return make
