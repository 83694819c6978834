"""Who was informed (issue 21 item 3): the handler records the child, a parent
or guardian, the social worker, the licensing authority or the police, each with
a date and who informed them; a refusal keeps what was typed; the report page
reads the rows in one query whatever their number."""

import datetime as dt
import importlib

import pytest
from django.apps import apps as global_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from omavalvonta.core.models import AuditEvent
from omavalvonta.deviations import services
from omavalvonta.deviations.models import Deviation, InformedParty, InformedRecord
from omavalvonta.testing.factories import deviation_kwargs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]


def report(employee, unit, **overrides):
    return services.deviation_submit(actor=employee, **deviation_kwargs(unit, **overrides)).deviation


def add(actor, deviation, **overrides):
    data = {
        "party": InformedParty.POLICE,
        "informed_on": timezone.localdate(),
        "informed_by": "Yövuoron ohjaaja",
        "note": "Partio kävi paikalla.",
    }
    data.update(overrides)
    return services.informed_record_add(actor=actor, deviation=deviation, **data)


def test_the_handler_records_that_the_police_were_informed_and_by_whom(employee_a, supervisor_a, unit_a):
    d = report(employee_a, unit_a, kind="threat_or_violence", violence_target="staff")
    record = add(supervisor_a, d)
    assert (record.party, record.informed_by, record.unit_id, record.recorded_by_id) == (
        "police", "Yövuoron ohjaaja", unit_a.pk, supervisor_a.pk
    )
    event = AuditEvent.objects.get(verb="deviation.informed_added")
    assert event.data["party"] == "police" and "Yövuoron" not in str(event.data)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"party": "neighbour"}, "party"),
        ({"informed_on": None}, "informed_on"),
        ({"informed_on": timezone.localdate() + dt.timedelta(days=1)}, "informed_on"),
        ({"informed_on": timezone.localdate() - dt.timedelta(days=30)}, "informed_on"),
        ({"informed_by": "   "}, "informed_by"),
        ({"informed_by": "x" * 201}, "informed_by"),
        ({"note": "x" * 501}, "note"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(employee_a, supervisor_a, unit_a, overrides, field):
    d = report(employee_a, unit_a)
    with pytest.raises(ValidationError) as exc:
        add(supervisor_a, d, **overrides)
    assert field in exc.value.message_dict
    assert not InformedRecord.objects.exists()


def test_only_a_handler_in_the_unit_records_and_only_while_open(
    employee_a, colleague_a, supervisor_a, supervisor_b, unit_a
):
    d = report(employee_a, unit_a)
    for outsider in (colleague_a, supervisor_b):
        with pytest.raises(PermissionDenied):
            add(outsider, d)
    record = add(supervisor_a, d)
    Deviation.objects.filter(pk=d.pk).update(state="closed")
    d.refresh_from_db()
    with pytest.raises(ValidationError):
        add(supervisor_a, d)
    with pytest.raises(ValidationError):
        services.informed_record_remove(actor=supervisor_a, deviation=d, record_id=record.pk)


def test_a_row_recorded_by_mistake_is_removed_and_the_removal_audited(employee_a, supervisor_a, unit_a):
    d = report(employee_a, unit_a)
    record = add(supervisor_a, d, party=InformedParty.GUARDIAN)
    services.informed_record_remove(actor=supervisor_a, deviation=d, record_id=record.pk)
    assert not InformedRecord.objects.exists()
    assert AuditEvent.objects.filter(verb="deviation.informed_removed", data__party="guardian").exists()
    with pytest.raises(ValidationError):
        services.informed_record_remove(actor=supervisor_a, deviation=d, record_id=record.pk)


def test_the_handler_adds_a_row_on_the_report_page(client, employee_a, supervisor_a, unit_a):
    d = report(employee_a, unit_a, kind="threat_or_violence", violence_target="staff")
    client.force_login(supervisor_a)
    response = client.post(
        reverse("deviations:informed_add", args=[d.pk]),
        {
            "informed-party": "police",
            "informed-informed_on": timezone.localdate().isoformat(),
            "informed-informed_by": "Ohjaaja Virtanen",
            "informed-note": "",
        },
    )
    assert response.status_code == 302 and response.url.endswith("#informed-title")
    page = client.get(reverse("deviations:detail", args=[d.pk])).content.decode()
    assert "Who was informed" in page and "Informed by Ohjaaja Virtanen" in page and "Police" in page


def test_bad_input_answers_400_with_the_message_and_keeps_what_was_typed(client, employee_a, supervisor_a, unit_a):
    d = report(employee_a, unit_a)
    client.force_login(supervisor_a)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("deviations:informed_add", args=[d.pk]),
        {
            "informed-party": "social_worker",
            "informed-informed_on": tomorrow,
            "informed-informed_by": "Sosiaalityöntekijä Laine",
            "informed-note": "Soitettu iltapäivällä",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The date cannot be in the future." in page
    assert "Sosiaalityöntekijä Laine" in page and "Soitettu iltapäivällä" in page and tomorrow in page
    assert not InformedRecord.objects.exists()


def test_removing_a_row_that_is_gone_answers_400_with_a_message(client, employee_a, supervisor_a, unit_a):
    d = report(employee_a, unit_a)
    record = add(supervisor_a, d)
    client.force_login(supervisor_a)
    url = reverse("deviations:informed_remove", args=[d.pk, record.pk])
    assert client.post(url).status_code == 302
    response = client.post(url)
    assert response.status_code == 400 and "That row was already removed." in response.content.decode()


def test_another_units_supervisor_gets_404(client, employee_a, supervisor_b, unit_a):
    d = report(employee_a, unit_a)
    client.force_login(supervisor_b)
    assert client.post(reverse("deviations:informed_add", args=[d.pk]), {}).status_code == 404


def test_the_report_page_reads_the_rows_in_one_query_whatever_their_number(client, employee_a, supervisor_a, unit_a):
    d = report(employee_a, unit_a)
    add(supervisor_a, d)
    client.force_login(supervisor_a)
    url = reverse("deviations:detail", args=[d.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for party in (InformedParty.CHILD, InformedParty.GUARDIAN, InformedParty.SOCIAL_WORKER, InformedParty.LICENSING_AUTHORITY):
        add(supervisor_a, d, party=party)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    assert len(five) == len(one)


def test_the_migration_turns_each_police_tick_into_a_row(employee_a, unit_a):
    """0010_informed's data step on the historical models: a ticked report gets a
    police row dated the day of the event, an unticked one nothing."""
    d = report(employee_a, unit_a, occurred_at=timezone.make_aware(dt.datetime(2026, 3, 1, 23, 30)))
    other = report(employee_a, unit_a)
    migration = importlib.import_module("omavalvonta.deviations.migrations.0010_informed")

    class HistoricalDeviation:
        """The ticks as the old column held them (the column is gone now)."""

        objects = Deviation.objects.filter(pk=d.pk).annotate(police_called=Value(True))

    class Apps:
        def get_model(self, app, name):
            return HistoricalDeviation if name == "Deviation" else global_apps.get_model(app, name)

    migration.ticks_to_rows(Apps(), None)
    rows = list(InformedRecord.objects.values_list("deviation_id", "party", "informed_on", "informed_by"))
    assert rows == [(d.pk, "police", dt.date(2026, 3, 1), "")]
    assert other.pk not in {r[0] for r in rows}
