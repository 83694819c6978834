"""Two quality directors editing the same question set draft at once: the later
save is refused with both versions (texts and questions) shown."""

import pytest
from django.urls import reverse

from omavalvonta.feedback.models import Survey
from omavalvonta.organisation.models import Role
from omavalvonta.testing.concurrency import race
from omavalvonta.testing.factories import member

pytestmark = pytest.mark.django_db


def form_data(title, question):
    return {
        "title_fi": title,
        "q-TOTAL_FORMS": "1", "q-INITIAL_FORMS": "0", "q-MIN_NUM_FORMS": "0", "q-MAX_NUM_FORMS": "40",
        "q-0-key": "safe_home", "q-0-kind": "scale", "q-0-text_fi": question,
    }


def test_a_second_save_of_a_question_set_opened_at_the_same_time_is_refused(client, quality_director):
    other = member(Role.QUALITY_DIRECTOR, full_name="Olli Toinen", email="olli@omavalvonta.example")
    client.force_login(quality_director)
    client.post(reverse("feedback:surveys"), {"group": "parent"})
    draft = Survey.objects.get(group="parent", state="draft")

    result = race(
        first_user=quality_director, second_user=other, url=reverse("feedback:survey_edit", args=[draft.pk]),
        first_data=form_data("Vanhempien kysely 2027", "Lapseni on turvassa."),
        second_data=form_data("Vanhempien kysely, kevät 2027", "Lapseni viihtyy kodissa."),
    )

    page = result.refused_page
    assert "Vanhempien kysely 2027" in page and "1. Lapseni on turvassa." in page
    assert "1. Lapseni viihtyy kodissa." in page
    stored = Survey.objects.get(pk=draft.pk)
    assert stored.title["fi"] == "Vanhempien kysely, kevät 2027"
    assert [q.text["fi"] for q in stored.questions.all()] == ["Lapseni viihtyy kodissa."]
