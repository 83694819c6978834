"""Headers that keep personal data where it belongs: no-store on every page that
is not public; a Content-Security-Policy without inline code or other origins;
HSTS and the HTTPS redirect outside development."""

import re
from pathlib import Path

import pytest
from django.test import Client
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


# --- Content-Security-Policy, HSTS and the HTTPS redirect --------------------------------------------

PROJECT = Path(__file__).resolve().parents[3]


def _csp(response) -> dict[str, set[str]]:
    policy = response.get("Content-Security-Policy", "")
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = set(words[1:])
    return directives


def _assert_strict_csp(response):
    csp = _csp(response)
    assert csp, "no Content-Security-Policy header"
    assert csp["default-src"] == {"'self'"}
    assert csp["script-src"] == {"'self'"}
    assert csp["style-src"] == {"'self'"}
    assert csp["frame-ancestors"] == {"'none'"}
    for sources in csp.values():
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "https:", "http:"} & sources


def test_a_signed_in_page_has_a_strict_csp(client, quality_director):
    client.force_login(quality_director)
    response = client.get(reverse("deviations:list"))
    assert response.status_code == 200
    _assert_strict_csp(response)


def test_a_public_page_has_a_strict_csp(client, organisation):
    _assert_strict_csp(client.get(reverse("public:plans_index")))
    _assert_strict_csp(client.get(reverse("account_login")))


# A <script> without src, a style attribute or element, an on...= handler or a
# javascript: link: each would need 'unsafe-inline'.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:",
    re.IGNORECASE,
)


def _templates():
    for path in sorted(PROJECT.glob("omavalvonta/**/templates/**/*.html")):
        # PDF documents are laid out by WeasyPrint on the server, never served
        # to a browser: their page CSS (with translated page numbers) stays inline.
        if "templates/pdf/" in path.as_posix():
            continue
        yield path


def test_the_walk_sees_the_templates():
    names = {p.relative_to(PROJECT).as_posix() for p in _templates()}
    assert "omavalvonta/templates/base.html" in names
    assert "omavalvonta/templates/account/login.html" in names
    assert "omavalvonta/public/templates/public/base.html" in names
    assert len(names) > 150


def test_no_template_has_an_inline_script_or_style():
    offenders = [
        f"{path.relative_to(PROJECT)}: {match.group(0)!r}"
        for path in _templates()
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_hsts_on_https_outside_development(client):
    # (Settings are read when the middleware starts: a fresh client each time.)
    response = Client().get(reverse("account_login"), secure=True)
    assert "max-age=31536000" in response["Strict-Transport-Security"]
    assert "includeSubDomains" in response["Strict-Transport-Security"]


def test_plain_http_is_redirected_to_https_when_asked(settings):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get(reverse("account_login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_behind_a_proxy_its_forwarded_scheme_counts(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert Client().get(reverse("account_login"), HTTP_X_FORWARDED_PROTO="https").status_code == 200
