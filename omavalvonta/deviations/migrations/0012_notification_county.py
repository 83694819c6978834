"""The county a statutory notification went to (the county's own view and API
read a county's notifications by it). Filled in for the messages already sent
where it can be derived: a message to a county's notification address or to its
lead official, among the counties whose address it was; the supervisory
authority's messages and those that cannot be told apart stay empty."""

import django.db.models.deletion
from django.db import migrations, models


def fill_county(apps, schema_editor):
    StatutoryNotification = apps.get_model("deviations", "StatutoryNotification")
    WellbeingCounty = apps.get_model("organisation", "WellbeingCounty")
    by_address: dict[tuple[str, str], set[int]] = {}
    for pk, notification_email, lead_email in WellbeingCounty.objects.values_list(
        "pk", "notification_email", "lead_official_email"
    ):
        by_address.setdefault(("county", notification_email.lower()), set()).add(pk)
        by_address.setdefault(("lead_official", lead_email.lower()), set()).add(pk)
    rows = StatutoryNotification.objects.filter(
        county__isnull=True, recipient_kind__in=["county", "lead_official"]
    ).values_list("pk", "recipient_kind", "recipient_email")
    for pk, kind, email in rows.iterator():
        counties = by_address.get((kind, email.lower()), set())
        if len(counties) == 1:
            StatutoryNotification.objects.filter(pk=pk).update(county_id=next(iter(counties)))


class Migration(migrations.Migration):

    dependencies = [
        ("deviations", "0011_handling_decisions"),
        ("organisation", "0005_password_sign_in"),
    ]

    operations = [
        migrations.AddField(
            model_name="statutorynotification",
            name="county",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisation.wellbeingcounty",
            ),
        ),
        migrations.AddIndex(
            model_name="statutorynotification",
            index=models.Index(fields=["county", "-sent_at", "-id"], name="notification_county_sent"),
        ),
        migrations.RunPython(fill_county, migrations.RunPython.noop),
    ]
