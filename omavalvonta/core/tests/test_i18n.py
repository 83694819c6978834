"""Finnish is the default language; Swedish and English are complete."""

import pytest
from django.urls import reverse
from django.utils import translation


@pytest.fixture
def finnish_default(settings):
    settings.LANGUAGE_CODE = "fi"


def test_the_login_page_is_finnish_by_default(client, db, finnish_default):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert '<html lang="fi">' in response.content.decode()
    assert "Kirjaudu sisään" in response.content.decode()


def test_swedish_and_english_are_chosen_from_the_browser_language(client, db, finnish_default):
    assert '<html lang="sv">' in client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="sv-FI").content.decode()
    assert '<html lang="en">' in client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fi", "Poikkeama"), ("sv", "Avvikelse"), ("en", "Deviation")],
)
def test_domain_words_are_translated(language, expected):
    with translation.override(language):
        assert translation.gettext("Deviations").lower().startswith(expected.lower())
