"""The follow-up report keeps its figures as its page reads them (the per-unit
lists cut, and their whole length), so the page does not read the whole figures."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from omavalvonta.plans.models import figures_for_page

    FollowupReport = apps.get_model("plans", "FollowupReport")
    for report in FollowupReport.objects.only("pk", "figures").iterator(chunk_size=20):
        FollowupReport.objects.filter(pk=report.pk).update(page_figures=figures_for_page(report.figures))


class Migration(migrations.Migration):
    dependencies = [("plans", "0012_live_fact_documents")]

    operations = [
        migrations.AddField(
            model_name="followupreport",
            name="page_figures",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
