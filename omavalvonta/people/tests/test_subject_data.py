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
    assert part["targets"] == [["people", "qualificationrecord", [first_aid.pk]]]

    selectors.certificate_get(actor=supervisor_a, pk=first_aid.pk)
    [read] = AccessLogEntry.objects.filter(target_type__model="qualificationrecord", target_id__in=part["targets"][0][2])
    assert read.actor == supervisor_a
