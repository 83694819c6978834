"""Directors, administrators and the purchasing counties' people (their
county's view, organisation/access_county.py) must pass a second factor in the session they
use (when settings.REQUIRE_MFA_FOR_PRIVILEGED).

Having an authenticator is not enough: this session must have passed the MFA
step. allauth records every authentication method used in the session (a
password, a TOTP code, a recovery code); a session signed in any other way (a
password alone, or a door that skipped allauth) is sent to enter a code first.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse

from omavalvonta.organisation.access import PRIVILEGED_ROLES, has_role
from omavalvonta.organisation.access_county import county_of


def session_passed_mfa(request) -> bool:
    """Did the signed-in person pass a second factor in this session: a code
    here, or multi-factor authentication that the identity provider reported
    at single sign-on (organisation/sso.py)?"""
    from allauth.account.authentication import get_authentication_records

    from omavalvonta.organisation.sso import IDP_MFA_METHOD

    return any(
        record.get("method") in ("mfa", IDP_MFA_METHOD) for record in get_authentication_records(request, request.user)
    )


class MfaRequiredMiddleware:
    # allauth's own pages (setting up and entering the code) and the pages
    # anyone may read.
    EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/julkinen/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.REQUIRE_MFA_FOR_PRIVILEGED
            and request.user.is_authenticated
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            and (has_role(request.user, *PRIVILEGED_ROLES) or county_of(request.user) is not None)
            and not session_passed_mfa(request)
        ):
            from allauth.mfa.models import Authenticator

            if not Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists():
                return redirect(reverse("mfa_activate_totp"))
            # Signed in without the code (or through a door that skipped it):
            # enter it now, then carry on to the page asked for.
            query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
            return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        return self.get_response(request)
