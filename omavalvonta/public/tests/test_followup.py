"""The public follow-up page: an anonymous reporter reads the state of their report
and the handler's answer with the follow-up code, and nothing else."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from omavalvonta.deviations import services
from omavalvonta.public.views import FOLLOWUP_MAX_PER_SESSION
from omavalvonta.testing.factories import deviation_kwargs

URL = "/julkinen/seuranta/"


@pytest.fixture(autouse=True)
def _fresh_rate_limit(db):
    cache.clear()
    yield
    cache.clear()


pytestmark = pytest.mark.usefixtures("english_pages")


@pytest.fixture
def anonymous_report(employee_a, supervisor_a, unit_a):
    result = services.deviation_submit(
        actor=employee_a,
        **deviation_kwargs(unit_a, anonymous=True, description="Kalle unohti lääkkeet olohuoneeseen."),
    )
    return result.deviation, result.followup_code


def test_followup_page_opens_without_signing_in(client):
    assert reverse("public:followup") == URL
    response = client.get(URL)
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_a_valid_code_shows_the_number_type_state_and_answer_and_nothing_else(
    client, anonymous_report, supervisor_a
):
    deviation, code = anonymous_report
    services.deviation_answer(actor=supervisor_a, deviation=deviation, answer="Lääkkeiden säilytys on korjattu.")
    response = client.post(URL, {"code": code})
    assert response.status_code == 200
    page = response.content.decode()
    assert deviation.number in page
    assert "Quality deviation" in page
    assert "In handling" in page
    assert "Lääkkeiden säilytys on korjattu." in page
    # Neither the description nor the unit's people.
    assert "Kalle unohti" not in page
    assert "Sari Esihenkilö" not in page
    assert "Lastenkoti Koivu" not in page


def test_an_unanswered_report_says_no_answer_yet(client, anonymous_report):
    deviation, code = anonymous_report
    page = client.post(URL, {"code": code}).content.decode()
    assert deviation.number in page
    assert "No answer yet" in page


def test_the_code_may_be_typed_in_lower_case_without_dashes(client, anonymous_report):
    deviation, code = anonymous_report
    page = client.post(URL, {"code": " " + code.replace("-", "").lower() + " "}).content.decode()
    assert deviation.number in page


def test_a_wrong_code_is_rejected(client, anonymous_report):
    deviation, _code = anonymous_report
    response = client.post(URL, {"code": "AAAA-BBBB-CCCC"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "No report was found with this code." in page
    assert deviation.number not in page


def test_an_empty_code_asks_for_the_code(client):
    response = client.post(URL, {"code": ""})
    assert response.status_code == 200
    assert "field--error" in response.content.decode()


def test_too_many_attempts_in_one_session_are_refused_even_with_the_right_code(client, anonymous_report):
    deviation, code = anonymous_report
    for _ in range(FOLLOWUP_MAX_PER_SESSION):
        assert client.post(URL, {"code": "AAAA-BBBB-CCCC"}).status_code == 200
    response = client.post(URL, {"code": code})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many attempts." in page
    assert deviation.number not in page


def test_a_grievance_reporter_reads_the_answer_with_the_code_too(client, employee_a, supervisor_a, unit_a):
    result = services.deviation_submit(actor=employee_a, **deviation_kwargs(unit_a, kind="grievance"))
    services.deviation_answer(actor=supervisor_a, deviation=result.deviation, answer="Epäkohta on korjattu.")
    page = client.post(URL, {"code": result.followup_code}).content.decode()
    assert "Epäkohta on korjattu." in page
