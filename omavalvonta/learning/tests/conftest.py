import datetime as dt

import pytest
from django.utils import timezone

from omavalvonta.deviations.services import deviation_submit
from omavalvonta.learning import services
from omavalvonta.testing.factories import deviation_kwargs


@pytest.fixture
def deviation_a(unit_a, colleague_a):
    return deviation_submit(actor=colleague_a, **deviation_kwargs(unit_a)).deviation


@pytest.fixture
def due():
    return timezone.localdate() + dt.timedelta(days=14)


@pytest.fixture
def review_a(unit_a, supervisor_a, regional_director_a, employee_a, deviation_a, due):
    """A review in unit A opened by its regional director, facilitated by the
    unit's supervisor, with an employee taking part, linked to one report."""
    return services.review_open(
        actor=regional_director_a, unit=unit_a, title="Iltalääkkeet", facilitator=supervisor_a,
        participants=[employee_a], due_date=due, deviation_ids=[deviation_a.pk],
    )


def answer_all(review, facilitator):
    return services.review_answers_save(
        actor=facilitator, review=review,
        answers={
            "expected": "Lääkkeet annetaan ajallaan.", "happened": "Vuoronvaihto sotki.",
            "why_differed": "Kirjaus puuttui.", "helped": "Nopea soitto.", "learned": "Tarkistuslista vuoronvaihtoon.",
        },
    )
