"""The demo feedback builds on the small demo organisation and its pages work."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from omavalvonta.feedback.models import PublicFeedback, Response, Round
from omavalvonta.organisation.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_demo_feedback_builds_and_the_results_page_shows_it(client):
    call_command("load_demo", "--small", stdout=io.StringIO())
    assert Round.objects.count() >= 4 * 4
    assert Response.objects.filter(group="child").exists() and PublicFeedback.objects.filter(answered_at__isnull=False).exists()
    supervisor = Membership.objects.filter(role=Role.SUPERVISOR, unit__isnull=False).select_related("user", "unit").first()
    client.force_login(supervisor.user)
    page = client.get(reverse("feedback:unit", args=[supervisor.unit_id]))
    assert page.status_code == 200 and b"<svg" in page.content
