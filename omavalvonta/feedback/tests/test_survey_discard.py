"""A draft question set can be thrown away; a published version never."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from omavalvonta.feedback import services
from omavalvonta.feedback.models import Question, Survey, SurveyState

pytestmark = pytest.mark.django_db


def test_the_quality_director_discards_a_draft_and_the_published_version_stays(client, quality_director):
    published = Survey.objects.filter(group="parent", state=SurveyState.PUBLISHED).count()
    draft = services.survey_draft_for(actor=quality_director, group="parent")
    assert draft.questions.exists()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(quality_director)
    assert "Discard the draft" in client.get(reverse("feedback:survey_edit", args=[draft.pk])).content.decode()
    response = client.post(reverse("feedback:survey_discard", args=[draft.pk]))
    assert response.status_code == 302
    assert not Survey.objects.filter(pk=draft.pk).exists()
    assert not Question.objects.filter(survey_id=draft.pk).exists()
    assert Survey.objects.filter(group="parent", state=SurveyState.PUBLISHED).count() == published


def test_a_published_version_cannot_be_discarded(quality_director):
    survey = Survey.objects.filter(state=SurveyState.PUBLISHED).first()
    assert survey is not None
    with pytest.raises(ValidationError):
        services.survey_draft_discard(actor=quality_director, survey=survey)
    assert Survey.objects.filter(pk=survey.pk).exists()


def test_only_the_survey_editor_may_discard(client, supervisor_a, quality_director):
    draft = services.survey_draft_for(actor=quality_director, group="child")
    with pytest.raises(PermissionDenied):
        services.survey_draft_discard(actor=supervisor_a, survey=draft)
    client.force_login(supervisor_a)
    assert client.post(reverse("feedback:survey_discard", args=[draft.pk])).status_code == 403
    assert Survey.objects.filter(pk=draft.pk).exists()
