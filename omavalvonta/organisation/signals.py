"""Receivers of allauth's and Django's signals about sign-in."""

from allauth.account.internal.flows.login import record_authentication
from allauth.core import context
from allauth.mfa.models import Authenticator
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, sender=Authenticator)
def count_activation_as_mfa(sender, instance, created, **kwargs):
    """Setting up an authenticator app means typing a code it made: the session
    that did it has passed the second factor (MfaRequiredMiddleware asks for no
    second code)."""
    request = context.request
    if not created or instance.type != Authenticator.Type.TOTP or request is None:
        return
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.pk == instance.user_id:
        record_authentication(request, user, "mfa", id=instance.pk, type=instance.type, activated=True)


@receiver(user_logged_in)
def record_sign_in_session(sender, request, user, **kwargs):
    """The session a sign-in made, so the person can see and end it later."""
    from omavalvonta.organisation.sessions import session_signed_in

    if request is not None:
        session_signed_in(request=request, user=user)


@receiver(user_logged_out)
def forget_sign_in_session(sender, request, user, **kwargs):
    from omavalvonta.organisation.sessions import session_signed_out

    if request is not None and getattr(request, "session", None) is not None:
        session_signed_out(session_key=request.session.session_key)
