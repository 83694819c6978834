"""The group programme is reached from the plans page, not from the main menu."""

import pytest
from django.conf import settings
from django.urls import reverse

from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import member

pytestmark = pytest.mark.django_db


def test_the_plans_page_leads_to_the_programme_for_those_who_keep_it(client, quality_director, supervisor_a):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    programme = f'href="{reverse("plans:programme")}"'
    for person, sees in ((quality_director, True), (member(Role.MANAGEMENT_GROUP), True), (supervisor_a, False)):
        client.force_login(person)
        response = client.get(reverse("plans:list"))
        assert response.status_code == 200
        page = response.content.decode()
        assert (programme in page) is sees, person
        # One menu entry for plans; the programme is not a menu entry of its own.
        assert page.count(programme) <= 1
