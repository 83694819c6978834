"""Finnish is the default language; Swedish and English are complete."""

from pathlib import Path

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


CATALOGUES = sorted(
    p
    for p in (Path(__file__).resolve().parents[2]).glob("**/locale/*/LC_MESSAGES/django.po")
    if p.parts[-3] in ("fi", "sv")
)


def test_every_area_has_finnish_and_swedish_catalogues():
    apps = {p.parts[-5] for p in CATALOGUES}
    assert {"omavalvonta", "plans", "feedback", "yearclock", "risks", "audits"} <= apps


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: "/".join(p.parts[-5:-2]))
def test_finnish_and_swedish_catalogues_are_complete(path):
    """Every string has a real translation: none missing, none fuzzy (Django
    ignores a fuzzy one and shows the English)."""
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        catalog = read_po(f)
    def translated(string):
        return all(string) if isinstance(string, tuple) else bool(string)

    missing = [m.id for m in catalog if m.id and not translated(m.string)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not missing, f"{path}: untranslated {missing[:5]}"
    assert not fuzzy, f"{path}: fuzzy {fuzzy[:5]}"


ALL_CATALOGUES = sorted((Path(__file__).resolve().parents[2]).glob("**/locale/*/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("path", ALL_CATALOGUES, ids=lambda p: "/".join(p.parts[-5:-2]))
def test_every_catalogue_is_well_formed_for_gettext(path):
    """`make messages` runs GNU msgmerge over every catalogue: a message without
    its msgstr line stopped it, and a plural message needs the header's
    Plural-Forms (Babel guesses it, msgfmt does not)."""
    text = path.read_text(encoding="utf-8")
    header = text.split("\n\n", 1)[0]
    assert '"Plural-Forms: nplurals=' in header, f"{path}: no Plural-Forms in the header"
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if line.startswith("msgid ") or line.startswith("msgid_plural "):
            following = number + 1
            while following < len(lines) and lines[following].startswith('"'):
                following += 1
            nxt = lines[following] if following < len(lines) else ""
            assert nxt.startswith(("msgstr", "msgid_plural")), f"{path}:{number + 1}: a message without its msgstr"
