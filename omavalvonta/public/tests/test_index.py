"""The public front page links every public area and needs no sign-in."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_front_page_links_the_public_areas_without_signing_in(client):
    response = client.get(reverse("public:index"))
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("plans_index", "plans_programme", "feedback_send", "feedback_answer", "followup"):
        assert f'href="{reverse(f"public:{name}")}"' in page
    assert "public" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF cookie: one page for everyone


def test_the_sign_in_page_leads_to_the_public_pages(client):
    page = client.get(reverse("account_login")).content.decode()
    assert f'href="{reverse("public:index")}"' in page


def test_the_front_page_speaks_finnish_by_default(client, settings):
    settings.LANGUAGE_CODE = "fi"
    page = client.get(reverse("public:index")).content.decode()
    assert "Lähetä palautetta tai ilmoitus" in page


def test_no_template_comment_leaks_onto_a_public_page(client):
    page = client.get(reverse("public:index")).content.decode()
    assert "{#" not in page and "#}" not in page and "{%" not in page


def test_the_front_page_is_kept_rendered_per_language(client, settings, django_assert_num_queries):
    from django.test import Client

    settings.LANGUAGE_CODE = "fi"
    from unittest import mock

    first = client.get(reverse("public:index")).content
    # Read again by a signed-out visitor: from the process's memory, no template.
    with django_assert_num_queries(0), mock.patch("omavalvonta.public.views.index.render") as render:
        again = Client().get(reverse("public:index"))
    assert not render.called
    assert again.content == first and "public" in again["Cache-Control"] and not again.cookies
    swedish = Client(headers={"accept-language": "sv"}).get(reverse("public:index")).content.decode()
    assert 'lang="sv"' in swedish and swedish != first.decode()
