"""The default question sets come from a data migration; a transactional test
(the browser journeys) flushes the database at its end and takes them with it,
so every feedback test makes sure they are there."""

import pytest
from django.utils import timezone


def ensure_default_surveys(request):
    from omavalvonta.feedback.defaults import seed_default_surveys
    from omavalvonta.feedback.models import Question, Survey

    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    else:
        request.getfixturevalue("db")
    seed_default_surveys(Survey, Question, now=timezone.now())


@pytest.fixture(autouse=True)
def _default_surveys(request):
    ensure_default_surveys(request)
