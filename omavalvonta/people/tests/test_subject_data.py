"""What an access request's compile finds in the competence area (core.registry
SUBJECT_DATA): the person's checks and qualifications, and the reads of their
certificates as reads of their data."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from omavalvonta.core.models import AccessLogEntry
from omavalvonta.people import selectors
from omavalvonta.people.subject_data import subject_data

pytestmark = pytest.mark.django_db


def test_the_persons_records_and_who_read_a_certificate(record, employee_a, colleague_a, supervisor_a):
    assert subject_data(person=employee_a) is None
    first_aid = record(
        employee_a, "ensiapu", done_on=dt.date(2026, 1, 5),
        files=[SimpleUploadedFile("ea.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")],
    )
    record(colleague_a, "ensiapu", done_on=dt.date(2026, 1, 6))
    part = subject_data(person=employee_a)
    [item] = part["items"]
    assert item["title"] == str(first_aid.type.label)
    assert ["Valid until", "5.1.2029"] in item["fields"] and ["Certificate", "kept"] in item["fields"]
    assert part["targets"][0] == ["people", "qualificationrecord", [first_aid.pk]]

    selectors.certificate_get(actor=supervisor_a, pk=first_aid.pk)
    [read] = AccessLogEntry.objects.filter(target_type__model="qualificationrecord", target_id__in=part["targets"][0][2])
    assert read.actor == supervisor_a


def test_the_newcomers_orientation_with_their_own_evaluation_only(employee_a, colleague_a, supervisor_a, unit_a):
    from omavalvonta.people import services
    from omavalvonta.people.orientation_defaults import ensure_default_cards

    ensure_default_cards()
    orientation = services.orientation_start(
        actor=supervisor_a, unit=unit_a, newcomer=employee_a, role="student", mentor=colleague_a,
        started_on=dt.date.today(),
    )
    for item in orientation.items.select_related("card_item", "orientation__unit"):
        services.item_tick(actor=colleague_a, item=item)
        if item.card_item.needs_ack:
            services.item_acknowledge(actor=employee_a, item=item)
    services.evaluation_save(actor=employee_a, orientation=orientation, score=5, text="Oma arvioni")
    services.evaluation_save(actor=colleague_a, orientation=orientation, score=3, text="Perehdyttäjän arvio")
    part = subject_data(person=employee_a)
    [item] = part["items"]
    values = [value for _label, value in item["fields"]]
    assert "5 / 5: Oma arvioni" in values and not any("Perehdyttäjän" in str(v) for v in values)
    assert ["people", "orientation", [orientation.pk]] in part["targets"]
    assert subject_data(person=colleague_a) is None  # a mentor's duties are not data about them here
