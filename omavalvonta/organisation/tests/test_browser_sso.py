"""Single sign-on in a browser: the button on the phone's sign-in page, the
stand-in identity provider (served on 127.0.0.1 in the test) sending straight
back with a code, and the home page."""

import pytest

from omavalvonta.core.lib.env import entra_providers, sso_form_action_origins
from omavalvonta.organisation.models import Role
from omavalvonta.testing.browser import snap
from omavalvonta.testing.factories import member
from omavalvonta.testing.oidc_standin import OidcStandIn

pytestmark = pytest.mark.browser


@pytest.fixture
def standin(settings):
    with OidcStandIn() as idp:
        settings.SOCIALACCOUNT_PROVIDERS = entra_providers(idp.environ)
        directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
        settings.CONTENT_SECURITY_POLICY = {
            **settings.CONTENT_SECURITY_POLICY,
            "DIRECTIVES": {**directives, "form-action": [*directives["form-action"],
                                                         *sso_form_action_origins(settings.SOCIALACCOUNT_PROVIDERS)]},
        }
        yield idp


def test_a_person_signs_in_with_the_microsoft_account_on_a_phone(phone_page, live_server, transactional_db, unit_a, standin):
    person = member(Role.EMPLOYEE, unit=unit_a, full_name="Eeva Entra", email="eeva.entra@omavalvonta.example")
    standin.next_claims = {"sub": "eeva", "email": person.email, "email_verified": True, "amr": ["pwd", "mfa"]}
    phone_page.goto("/accounts/login/")
    button = phone_page.get_by_role("button", name="Kirjaudu organisaation Microsoft-tilillä")
    assert button.is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(phone_page, "sso-login-phone")
    with phone_page.expect_navigation(url=f"{live_server.url}/"):
        button.click()
    assert "Eeva" in phone_page.locator("h1").inner_text()
    snap(phone_page, "sso-home-phone")


def test_an_unknown_person_sees_why_on_a_phone(phone_page, live_server, transactional_db, organisation, standin):
    standin.next_claims = {"sub": "x", "email": "vieras@omavalvonta.example", "email_verified": True}
    phone_page.goto("/accounts/login/")
    phone_page.get_by_role("button", name="Kirjaudu organisaation Microsoft-tilillä").click()
    alert = phone_page.locator("[role=alert]")
    alert.wait_for()
    assert "Osoitteella vieras@omavalvonta.example ei ole tunnusta" in alert.inner_text()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(phone_page, "sso-refused-phone")
