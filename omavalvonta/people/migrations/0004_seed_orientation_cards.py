"""The orientation cards a provider starts with (people.orientation_defaults)."""

from django.db import migrations


def seed(apps, schema_editor):
    from omavalvonta.people.orientation_defaults import load_default_cards

    load_default_cards(apps.get_model("people", "OrientationCard"), apps.get_model("people", "CardItem"))


class Migration(migrations.Migration):
    dependencies = [("people", "0003_orientation")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
