"""The learning pages: 404 outside the scope, 403 inside without the right,
400 with a message on bad input (nothing typed lost), and query counts that do
not grow with the data."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.core.models import AccessLogEntry
from omavalvonta.improvement.models import Acknowledgement, Action
from omavalvonta.learning import services
from omavalvonta.learning.models import LearningReview, State
from omavalvonta.learning.tests.conftest import answer_all
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import member

pytestmark = pytest.mark.django_db


def test_the_detail_is_404_outside_and_403_inside_without_the_right(client, review_a, unit_a, supervisor_b):
    url = reverse("learning:detail", args=[review_a.pk])
    client.force_login(supervisor_b)
    assert client.get(url).status_code == 404
    client.force_login(member(Role.EMPLOYEE, unit=unit_a))
    assert client.get(url).status_code == 403


def test_a_participant_and_the_unit_leaders_read_it_and_the_read_is_logged(client, review_a, employee_a, responsible_a):
    url = reverse("learning:detail", args=[review_a.pk])
    for reader in (employee_a, responsible_a):
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200
        assert AccessLogEntry.objects.filter(actor=reader, what="learning.review", target_id=review_a.pk).exists()
    assert response.context["answers_form"] is None  # not the facilitator


def test_the_facilitator_saves_the_answers_and_bad_input_keeps_the_text(client, review_a, supervisor_a):
    client.force_login(supervisor_a)
    url = reverse("learning:answers", args=[review_a.pk])
    long = "x" * 5001
    response = client.post(url, {"expected": "Odotettiin", "happened": long, "edit_version": review_a.edit_version})
    assert response.status_code == 400
    assert "Odotettiin" in response.content.decode()
    response = client.post(url, {"expected": "Odotettiin", "learned": "Opimme", "edit_version": review_a.edit_version})
    assert response.status_code == 302
    review_a.refresh_from_db()
    assert review_a.learned == "Opimme"


def test_another_person_may_not_post_the_answers(client, review_a, regional_director_a):
    client.force_login(regional_director_a)
    assert client.post(reverse("learning:answers", args=[review_a.pk]), {"expected": "x"}).status_code == 403


def test_completing_without_a_summary_is_400_with_a_message(client, review_a, supervisor_a):
    client.force_login(supervisor_a)
    url = reverse("learning:complete", args=[review_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"summary": "Tärkeä oppi"})
    assert response.status_code == 400  # "what we learn" not answered yet
    assert "Tärkeä oppi" in response.content.decode()
    answer_all(review_a, supervisor_a)
    assert client.post(url, {"summary": ""}).status_code == 400
    assert client.post(url, {"summary": "Tarkistuslista vuoronvaihtoon."}).status_code == 302
    review_a.refresh_from_db()
    assert review_a.state == State.COMPLETED


def test_only_the_facilitator_completes(client, review_a, regional_director_a):
    client.force_login(regional_director_a)
    assert client.get(reverse("learning:complete", args=[review_a.pk])).status_code == 403


def test_adding_an_action_from_the_page(client, review_a, supervisor_a, employee_a, unit_a):
    client.force_login(supervisor_a)
    url = reverse("learning:action", args=[review_a.pk])
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    response = client.post(url, {"unit": unit_a.pk, "title": "Tarkistuslista", "owner": "", "due_date": due})
    assert response.status_code == 400 and "Tarkistuslista" in response.content.decode()
    assert client.post(url, {"unit": unit_a.pk, "title": "Tarkistuslista", "owner": employee_a.pk, "due_date": due}).status_code == 302
    assert Action.objects.get(title="Tarkistuslista").source_id == review_a.pk


def test_opening_from_a_deviation_prefills_the_form(client, deviation_a, supervisor_a, employee_a, unit_a):
    client.force_login(supervisor_a)
    url = reverse("learning:review_new") + f"?alkupera=deviation:{deviation_a.pk}"
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    assert deviation_a.number in form.initial["title"] and form.initial["deviations"] == [str(deviation_a.pk)]
    due = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    response = client.post(reverse("learning:review_new"), {
        "origin": f"deviation:{deviation_a.pk}", "unit": unit_a.pk, "title": form.initial["title"],
        "facilitator": supervisor_a.pk, "participants": [employee_a.pk], "due_date": due, "deviations": [deviation_a.pk],
    })
    assert response.status_code == 302
    review = LearningReview.objects.get()
    assert review.origin == f"deviation:{deviation_a.pk}" and list(review.deviations.all()) == [deviation_a]


def test_an_unknown_or_forbidden_origin_is_400_with_a_message(client, deviation_a, supervisor_b):
    client.force_login(supervisor_b)
    for origin in (f"deviation:{deviation_a.pk}", "nosuch:1", "deviation:abc"):
        response = client.get(reverse("learning:review_new") + f"?alkupera={origin}")
        assert response.status_code == 400
        assert "cannot be opened from this record" in response.content.decode()


def test_opening_from_scratch_needs_the_right(client, supervisor_a, regional_director_a, unit_a):
    client.force_login(supervisor_a)
    assert client.get(reverse("learning:review_new")).status_code == 403
    client.force_login(regional_director_a)
    response = client.get(reverse("learning:review_new"))
    assert response.status_code == 200
    response = client.post(reverse("learning:review_new"), {"unit": unit_a.pk, "title": "", "facilitator": "", "due_date": ""})
    assert response.status_code == 400
    assert response.context["form"].errors


def test_sharing_and_acknowledging_through_the_pages(client, review_a, supervisor_a, quality_director, supervisor_b):
    answer_all(review_a, supervisor_a)
    summary = services.review_complete(actor=supervisor_a, review=review_a, summary="Tarkistuslista vuoronvaihtoon.")
    client.force_login(supervisor_b)
    assert client.get(reverse("learning:summary", args=[summary.pk])).status_code == 404
    client.force_login(supervisor_a)
    assert client.post(reverse("learning:share", args=[review_a.pk]), {"service_type": ""}).status_code == 403
    client.force_login(quality_director)
    assert client.post(reverse("learning:share", args=[review_a.pk]), {"service_type": "nonsense"}).status_code == 400
    response = client.post(reverse("learning:share", args=[review_a.pk]), {"service_type": ""}, follow=True)
    assert response.redirect_chain[-1][1] == 302
    text = response.content.decode()
    # The share returns at once; the page says the requests are on their way.
    assert "on their way" in text and not Acknowledgement.objects.filter(target_id=summary.pk).exists()
    services.summary_requests_make()  # the worker's job
    assert "on their way" not in client.get(reverse("learning:detail", args=[review_a.pk])).content.decode()
    client.force_login(supervisor_b)
    page = client.get(reverse("learning:summary", args=[summary.pk]))
    assert page.status_code == 200 and page.context["pending"] is not None
    assert client.post(reverse("learning:acknowledge", args=[summary.pk])).status_code == 302
    assert client.get(reverse("learning:summary", args=[summary.pk])).context["pending"] is None
    assert client.get(reverse("learning:detail", args=[review_a.pk])).status_code == 404


def test_the_deviation_page_shows_the_panel_to_its_handler(client, deviation_a, supervisor_a):
    client.force_login(supervisor_a)
    content = client.get(reverse("deviations:detail", args=[deviation_a.pk])).content.decode()
    assert f"?alkupera=deviation:{deviation_a.pk}" in content


def _reviews(n, unit, director, facilitator, participant):
    due = timezone.localdate() + dt.timedelta(days=3)
    for i in range(n):
        services.review_open(actor=director, unit=unit, title=f"Katselmus {i}", facilitator=facilitator,
                             participants=[participant], due_date=due)


@pytest.mark.parametrize("rows", [1, 15])
def test_the_list_query_count_does_not_grow(
    client, django_assert_max_num_queries, rows, unit_a, regional_director_a, supervisor_a, employee_a
):
    _reviews(rows, unit_a, regional_director_a, supervisor_a, employee_a)
    for reader in (regional_director_a, employee_a):
        client.force_login(reader)
        client.get(reverse("learning:list"))
        with django_assert_max_num_queries(12):
            assert client.get(reverse("learning:list") + "?tila=open").status_code == 200


@pytest.mark.parametrize("rows", [1, 15])
def test_the_home_block_query_count_does_not_grow(
    django_assert_max_num_queries, rows, unit_a, regional_director_a, supervisor_a, employee_a
):
    from omavalvonta.learning.selectors import learning_home_items

    _reviews(rows, unit_a, regional_director_a, supervisor_a, employee_a)
    with django_assert_max_num_queries(3):
        block = learning_home_items(actor=employee_a)
    assert block["total"] == rows and len(block["rows"]) == min(rows, 3)
    idle = member(Role.EMPLOYEE, unit=unit_a)
    with django_assert_max_num_queries(1):
        assert learning_home_items(actor=idle) is None
