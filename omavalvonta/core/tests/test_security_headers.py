"""Headers that keep personal data where it belongs: no-store on every page that
is not public."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize("name", ["home", "deviations:list", "deviations:export", "organisation:person_list"])
def test_signed_in_pages_are_not_stored(client, quality_director, administrator, name):
    client.force_login(administrator if name.startswith("organisation") else quality_director)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert {"no-store", "private"} <= _cache_control(response)


def test_the_sign_in_page_and_a_redirect_are_not_stored(client):
    assert "no-store" in _cache_control(client.get(reverse("account_login")))
    redirect = client.get(reverse("home"))
    assert redirect.status_code == 302
    assert "no-store" in _cache_control(redirect)


def test_a_public_cacheable_page_keeps_its_own_header(client, organisation):
    response = client.get(reverse("public:plans_index"))
    assert response.status_code == 200
    header = _cache_control(response)
    assert "public" in header and "no-store" not in header
