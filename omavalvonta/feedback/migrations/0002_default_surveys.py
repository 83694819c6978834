from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from omavalvonta.feedback.defaults import seed_default_surveys

    seed_default_surveys(apps.get_model("feedback", "Survey"), apps.get_model("feedback", "Question"), now=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
