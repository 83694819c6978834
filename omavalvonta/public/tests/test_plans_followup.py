"""The follow-up report's client feedback figures on the staff and the public
report page, from known answers (the small-group rule holds on both)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from omavalvonta.feedback.tests.conftest import ensure_default_surveys
from omavalvonta.feedback.tests.helpers import answer, open_round
from omavalvonta.plans import programme
from omavalvonta.plans.models import figures_for_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]


@pytest.fixture(autouse=True)
def _surveys_and_autumn(request):
    ensure_default_surveys(request)
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def report(quality_director, supervisor_a, supervisor_b, unit_a, unit_b):
    unit_a.places = 10
    unit_a.save(update_fields=["places"])
    ra, rb = open_round(supervisor_a, unit_a), open_round(supervisor_b, unit_b)
    for nps in [10, 10, 9, 8, 3, 5]:  # parents of A: NPS +17, 6 of 10 places
        answer(ra, "parent", nps=nps)
    for nps in [10, 2]:  # two parents of B: not shown separately
        answer(rb, "parent", nps=nps)
    return programme.followup_report_create(actor=quality_director, period_start=dt.date(2026, 10, 1),
                                            period_end=dt.date(2026, 11, 30))


def _feedback_part(body: str) -> str:
    return body[body.index('id="fig-feedback"'):]


def test_the_report_stores_the_feedback_figures(report, unit_a):
    f = report.figures["feedback"]
    assert f["organisation"]["total"] == 8
    unit = next(u for u in f["by_unit"] if u["label"] == unit_a.name)
    parents = next(g for g in unit["groups"] if g["group"] == "parent")
    assert (parents["n"], parents["nps"], parents["rate"]) == (6, 17, 60)


def test_staff_report_page_shows_the_feedback_figures(client, report, quality_director, unit_a, unit_b):
    client.force_login(quality_director)
    body = _feedback_part(client.get(reverse("plans:report", args=[report.pk])).content.decode())
    assert "Client feedback" in body or "Asiakaspalaute" in body
    row = body[body.index(unit_a.name):]
    assert "6 / +17" in row[:400]
    row_b = body[body.index(unit_b.name):]
    assert "fewer than 5" in row_b[:400] and "+" not in row_b[:row_b.index("</tr>")]


def test_public_report_page_shows_the_feedback_figures_once_published(client, report, quality_director, unit_a, unit_b):
    url = reverse("public:plans_report", args=[report.pk])
    assert client.get(url).status_code == 404
    programme.followup_report_findings_save(actor=quality_director, report=report, findings="Havainnot", measures="Toimet")
    programme.followup_report_approve(actor=quality_director, report=report)
    programme.followup_report_publish(actor=quality_director, report=report)
    body = _feedback_part(client.get(url).content.decode())
    assert "6 / +17" in body[body.index(unit_a.name):][:400]
    row_b = body[body.index(unit_b.name):]
    assert "fewer than 5" in row_b[:row_b.index("</tr>")]
    assert "-100" not in body and "+0" not in row_b[:row_b.index("</tr>")]  # B's parents: no NPS shown


def test_a_report_compiled_before_feedback_figures_existed_still_shows(client, report, quality_director):
    figures = dict(report.figures)
    figures.pop("feedback")
    # As the migration that keeps the page's figures left such a report.
    type(report).objects.filter(pk=report.pk).update(figures=figures, page_figures=figures_for_page(figures))
    client.force_login(quality_director)
    response = client.get(reverse("plans:report", args=[report.pk]))
    assert response.status_code == 200 and 'id="fig-feedback"' not in response.content.decode()
