"""Directors and administrators must have a second factor before they can use
the product (when settings.REQUIRE_MFA_FOR_PRIVILEGED)."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from omavalvonta.organisation.access import PRIVILEGED_ROLES, has_role


class MfaRequiredMiddleware:
    EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/julkinen/", "/public/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.REQUIRE_MFA_FOR_PRIVILEGED
            and request.user.is_authenticated
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            and has_role(request.user, *PRIVILEGED_ROLES)
        ):
            from allauth.mfa.models import Authenticator

            if not Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists():
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
