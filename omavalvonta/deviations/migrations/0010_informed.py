# Who was informed of a report's event (issue 21 item 3). The report's lone
# "police were called" tick becomes a row for the police, dated the day of the
# event (who informed them was not recorded then), and the tick goes.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

BATCH = 2000


def ticks_to_rows(apps, schema_editor):
    Deviation = apps.get_model("deviations", "Deviation")
    InformedRecord = apps.get_model("deviations", "InformedRecord")
    ticked = Deviation.objects.filter(police_called=True).values_list("pk", "unit_id", "occurred_at").order_by("pk")
    rows = []
    for pk, unit_id, occurred_at in ticked.iterator(chunk_size=BATCH):
        rows.append(
            InformedRecord(
                deviation_id=pk,
                unit_id=unit_id,
                party="police",
                informed_on=django.utils.timezone.localtime(occurred_at).date(),
                informed_by="",
            )
        )
        if len(rows) >= BATCH:
            InformedRecord.objects.bulk_create(rows)
            rows = []
    if rows:
        InformedRecord.objects.bulk_create(rows)


def rows_to_ticks(apps, schema_editor):
    Deviation = apps.get_model("deviations", "Deviation")
    InformedRecord = apps.get_model("deviations", "InformedRecord")
    police = InformedRecord.objects.filter(party="police").values("deviation_id")
    Deviation.objects.filter(pk__in=police).update(police_called=True)


class Migration(migrations.Migration):

    dependencies = [
        ("deviations", "0009_social_worker_recipient"),
        ("organisation", "0005_password_sign_in"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="InformedRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "party",
                    models.CharField(
                        choices=[
                            ("child", "The child or young person"),
                            ("guardian", "Parent or guardian"),
                            ("social_worker", "The child's social worker"),
                            ("licensing_authority", "The licensing and supervisory authority"),
                            ("police", "Police"),
                        ],
                        max_length=24,
                        verbose_name="who was informed",
                    ),
                ),
                ("informed_on", models.DateField(verbose_name="informed on")),
                ("informed_by", models.CharField(blank=True, max_length=200, verbose_name="informed by")),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="note")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "deviation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="informed", to="deviations.deviation"
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="organisation.unit"
                    ),
                ),
            ],
            options={
                "verbose_name": "informed party",
                "verbose_name_plural": "informed parties",
                "ordering": ["informed_on", "id"],
                "indexes": [models.Index(fields=["deviation", "informed_on"], name="deviations__deviati_9fe248_idx")],
            },
        ),
        migrations.RunPython(ticks_to_rows, rows_to_ticks),
        migrations.RemoveField(model_name="deviation", name="police_called"),
    ]
