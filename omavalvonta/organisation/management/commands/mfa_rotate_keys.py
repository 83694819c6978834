"""`manage.py mfa_rotate_keys`: re-encrypt every authenticator secret with the
current MFA_ENCRYPTION_KEY (after a key change, while the old key is still in
MFA_ENCRYPTION_OLD_KEYS). Afterwards the old key can be removed."""

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

from omavalvonta.organisation.adapters import mfa_rotate, mfa_secrets_transform


class Command(BaseCommand):
    help = "Re-encrypt every authenticator secret with the current MFA_ENCRYPTION_KEY."

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic():
            for authenticator in Authenticator.objects.select_for_update().order_by("pk"):
                authenticator.data = mfa_secrets_transform(authenticator.data, mfa_rotate)
                authenticator.save(update_fields=["data"])
                count += 1
        self.stdout.write(f"Re-encrypted the secrets of {count} authenticators with the current key.")
