"""Receivers of allauth's and Django's signals about sign-in."""

from allauth.account.internal.flows.login import record_authentication
from allauth.core import context
from allauth.mfa.models import Authenticator
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
