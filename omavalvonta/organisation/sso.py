"""Single sign-on with the organisation's Microsoft Entra ID (OpenID Connect).

allauth's `openid_connect` provider speaks the protocol (discovery, the
authorisation code with PKCE, the token and the id token's issuer, audience and
signature); this module decides who may come in (docs/sso.md):

- A person is linked only by a *verified* work e-mail of the id token (`email`,
  or `preferred_username` when there is no `email`, with `email_verified` or
  Entra's `xms_edov` true) to a person the administrator created. Nobody is ever
  created from the identity provider and no membership comes from it: roles stay
  in the product. An unknown or unverified address is refused with a message.
- A deactivated person is refused, linked or not.
- When the id token's `amr` says "mfa", the session counts as having passed the
  second factor: the product's own code is not asked again (the login stage
  below, and organisation/middleware.py). Otherwise directors and
  administrators still enter their code, as after a password.
- An organisation can turn password sign-in off (Organisation.password_sign_in):
  the password form then refuses every password. The setting only holds while
  single sign-on is configured, so that removing ENTRA_CLIENT_ID lets people in
  with passwords again (the way back if the identity provider is lost).
"""

from __future__ import annotations

import logging

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.internal.decorators import login_not_required
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.stages import AuthenticateStage
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy

logger = logging.getLogger(__name__)

PROVIDER = "openid_connect"
PROVIDER_ID = "entra"
# The authentication record of a session whose identity provider reported a
# second factor (allauth keeps a list of how the session was authenticated).
IDP_MFA_METHOD = "idp_mfa"


def sso_enabled() -> bool:
    """Is single sign-on configured (settings from ENTRA_* variables)?"""
    return bool(settings.SOCIALACCOUNT_PROVIDERS.get(PROVIDER, {}).get("APPS"))


def sso_login_url() -> str:
    return reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})


def password_sign_in_allowed() -> bool:
    """False when the organisation turned password sign-in off and single
    sign-on is there to use instead."""
    from omavalvonta.organisation.selectors import organisation_current

    if not sso_enabled():
        return True
    organisation = organisation_current()
    return organisation is None or organisation.password_sign_in


# --- The id token's claims -----------------------------------------------------------------------


def _true(value) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def id_token_claims(extra_data: dict | None) -> dict:
    extra_data = extra_data or {}
    return extra_data.get("id_token") or extra_data.get("userinfo") or extra_data


def verified_email(claims: dict) -> str | None:
    """The work e-mail address the identity provider vouches for, or None.

    `email_verified` (OpenID Connect) or `xms_edov` (Entra: the e-mail's domain
    is verified by the tenant) must be true; `preferred_username` (Entra's sign-in
    name) stands in only when the token has no `email` at all."""
    if not (_true(claims.get("email_verified")) or _true(claims.get("xms_edov"))):
        return None
    value = claims.get("email") or claims.get("preferred_username") or ""
    value = value.strip().lower() if isinstance(value, str) else ""
    try:
        validate_email(value)
    except ValidationError:
        return None
    return value


def reported_mfa(claims: dict) -> bool:
    amr = claims.get("amr") or []
    return isinstance(amr, list) and "mfa" in amr


# --- allauth's hooks ------------------------------------------------------------------------------


def _refuse(request, message: str, reason: str):
    logger.warning("Single sign-on refused: %s", reason)
    response = render(request, "account/sso_refused.html", {"message": message}, status=403)
    raise ImmediateHttpResponse(response)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Only people who already exist, by a verified e-mail; nobody signs up."""

    def is_open_for_signup(self, request, sociallogin):
        return False

    def is_auto_signup_allowed(self, request, sociallogin):
        return False

    def pre_social_login(self, request, sociallogin):
        from allauth.account.internal.flows.login import record_authentication

        if sociallogin.state.get("process") not in (None, "login"):
            # Connecting another identity to a signed-in account would link it
            # without the e-mail check.
            _refuse(
                request,
                _("A Microsoft account cannot be connected by hand. Sign out and sign in with it instead."),
                "connect",
            )
        claims = id_token_claims(sociallogin.account.extra_data)
        user = sociallogin.user if sociallogin.is_existing else None
        if user is None:
            email = verified_email(claims)
            if email is None:
                _refuse(
                    request,
                    _(
                        "Your Microsoft account did not give a verified work e-mail address, so you cannot be "
                        "signed in with it. Ask your administrator to check the single sign-on settings."
                    ),
                    "no verified e-mail",
                )
            user = get_user_model().objects.filter(email__iexact=email).first()
            if user is None:
                _refuse(
                    request,
                    _(
                        "There is no account for %(email)s in Omavalvonta. Accounts are created by your "
                        "organisation's administrator: ask them to add you."
                    )
                    % {"email": email},
                    "unknown e-mail",
                )
        if not user.is_active:
            _refuse(
                request,
                _("Your account has been deactivated. Ask your organisation's administrator."),
                "deactivated",
            )
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)
        if reported_mfa(claims):
            record_authentication(request, user, IDP_MFA_METHOD, provider=PROVIDER_ID, amr=list(claims["amr"]))


def session_passed_idp_mfa(request, user) -> bool:
    from allauth.account.authentication import get_authentication_records

    return any(record.get("method") == IDP_MFA_METHOD for record in get_authentication_records(request, user))


class IdpAwareAuthenticateStage(AuthenticateStage):
    """allauth's second-factor step, skipped when the identity provider
    reported multi-factor authentication for this sign-in."""

    def _should_handle(self, request) -> bool:
        if self.login.user is not None and session_passed_idp_mfa(request, self.login.user):
            return False
        return super()._should_handle(request)


class PasswordSignInField(forms.TypedChoiceField):
    """The organisation settings' choice: passwords allowed or turned off.
    Left out of a submission, it changes nothing (None)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Sign-in with a password"))
        super().__init__(
            choices=[
                ("on", gettext_lazy("Allowed")),
                ("off", gettext_lazy("Turned off: only the organisation's Microsoft account")),
            ],
            coerce=lambda value: value == "on",
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            help_text=gettext_lazy(
                "When turned off, the password form refuses every password and people sign in with single "
                "sign-on (Microsoft Entra ID). It can be turned off only while single sign-on is configured."
            ),
            **kwargs,
        )

    def prepare_value(self, value):
        # The organisation's boolean shown as the choice.
        return {True: "on", False: "off"}.get(value, value)


class LoginForm(AllauthLoginForm):
    """The password form, which refuses every password where the organisation
    turned password sign-in off (before any password is checked or counted)."""

    def clean(self):
        if not password_sign_in_allowed():
            raise ValidationError(
                _(
                    "Password sign-in is turned off in your organisation. Sign in with your organisation's "
                    "Microsoft account."
                ),
                code="password_sign_in_off",
            )
        return super().clean()


# --- The sign-in and callback views ---------------------------------------------------------------
#
# allauth's openid_connect views, with one change: the id token's signature is
# always checked against the provider's published keys (JWKS), also when the
# token came straight from the token endpoint (allauth skips it there, as the
# OpenID Connect specification allows over TLS). Routed in omavalvonta/urls.py
# before allauth's own URLs, at the same addresses.


class _VerifyingAdapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app, id_token: str) -> dict:
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )


def _adapter_view(view_class):
    @login_not_required
    def view(request, provider_id):
        try:
            return view_class.adapter_view(_VerifyingAdapter(request, provider_id))(request)
        except SocialApp.DoesNotExist:
            raise Http404 from None

    return view


sso_login = _adapter_view(OAuth2LoginView)
sso_callback = _adapter_view(OAuth2CallbackView)
