"""Authenticator secrets stored in plain text before MfaAdapter encrypted them
are encrypted with MFA_ENCRYPTION_KEY. Secrets already encrypted are left as
they are, so running it twice changes nothing."""

from django.db import migrations


def encrypt_plain_secrets(apps, schema_editor):
    from omavalvonta.organisation.adapters import mfa_encrypt_if_plain, mfa_secrets_transform

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.using(schema_editor.connection.alias).iterator():
        data = mfa_secrets_transform(authenticator.data, mfa_encrypt_if_plain)
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    # No way back: decrypting the secrets into plain text again is not offered.
    operations = [migrations.RunPython(encrypt_plain_secrets, migrations.RunPython.noop)]
