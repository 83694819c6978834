"""Two people preparing the same response at once: the later save is refused
with both texts shown and the typed one kept."""

import pytest
from django.urls import reverse

from omavalvonta.guidance.models import Guidance
from omavalvonta.testing.concurrency import race

pytestmark = pytest.mark.django_db


def _race_responses(register, quality_director, responsible_a, unit_a, first_text, second_text, second_submit):
    """The responsible person and the quality director post the response of the
    same guidance from forms opened at the same time, the person first."""
    g = register(quality_director, units=[unit_a], assignee=responsible_a)
    result = race(
        first_user=responsible_a, second_user=quality_director,
        url=reverse("guidance:response", args=[g.pk]), form_url=reverse("guidance:detail", args=[g.pk]),
        first_data={"response-response": first_text, "submit": "draft"},
        second_data={"response-response": second_text, "submit": second_submit},
        version_field="response-edit_version",
    )
    return g, result


def test_a_second_response_draft_from_a_form_opened_at_the_same_time_is_refused(
    register, quality_director, responsible_a, unit_a
):
    g, result = _race_responses(
        register, quality_director, responsible_a, unit_a,
        "Korjaamme lääkehuoneen lukituksen maaliskuussa.", "Lääkehuoneen lukitus on korjattu 1.3.", "draft",
    )

    assert "Korjaamme lääkehuoneen lukituksen maaliskuussa." in result.refused_page
    assert responsible_a.full_name in result.refused_page
    assert Guidance.objects.get(pk=g.pk).response == "Lääkehuoneen lukitus on korjattu 1.3."


def test_submitting_for_review_from_a_stale_form_is_refused_too(register, quality_director, responsible_a, unit_a):
    g, result = _race_responses(
        register, quality_director, responsible_a, unit_a,
        "Ensimmäinen luonnos vastaukseksi.", "Valmis vastaus tarkistettavaksi.", "review",
    )

    assert "Ensimmäinen luonnos vastaukseksi." in result.refused_page
    stored = Guidance.objects.get(pk=g.pk)
    assert (stored.response, stored.state) == ("Valmis vastaus tarkistettavaksi.", "response_in_review")
