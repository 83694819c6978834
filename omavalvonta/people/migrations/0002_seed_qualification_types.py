"""The qualification types a provider starts with (people.defaults)."""

from django.db import migrations


def seed(apps, schema_editor):
    from omavalvonta.people.defaults import load_default_types

    load_default_types(apps.get_model("people", "QualificationType"))


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
