"""Links from the public plan pages to the rest of the public site."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_unit_page_links_to_the_feedback_form_with_the_unit_chosen(client, unit_a, supervisor_a, responsible_a):
    from omavalvonta.plans.tests.helpers import approved_plan

    approved_plan(unit_a, supervisor_a, responsible_a)
    body = client.get(reverse("public:plans_unit", args=[unit_a.public_slug])).content.decode()
    link = f'{reverse("public:feedback_send")}?yksikko={unit_a.public_slug}'
    assert link in body
    form = client.get(link).content.decode()
    assert f'<option value="{unit_a.pk}" selected>' in form
