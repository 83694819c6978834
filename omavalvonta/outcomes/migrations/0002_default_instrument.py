"""The product's own functional-capacity instrument, published as version 1."""

from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from omavalvonta.outcomes.defaults import load_default_instrument

    load_default_instrument(
        Instrument=apps.get_model("outcomes", "Instrument"),
        InstrumentVersion=apps.get_model("outcomes", "InstrumentVersion"),
        Item=apps.get_model("outcomes", "Item"),
        now=timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
