import pytest

from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import member


@pytest.fixture(autouse=True)
def _english(english_texts):
    """Messages are asserted in their English msgids (the root conftest's english_texts)."""


@pytest.fixture(autouse=True)
def _default_instrument(request):
    # The migration installs it; a transactional test run earlier in the same
    # process flushes every table, so it is put back where a test uses the database.
    names = set(request.fixturenames)
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    else:
        return
    from omavalvonta.outcomes.defaults import ensure_default_instrument

    ensure_default_instrument()




@pytest.fixture
def rehab_director(organisation):
    return member(Role.REHABILITATION_DIRECTOR, full_name="Riitta Kuntoutus")
