"""Checks and qualifications: types as data, records through the service, who
sees what, and the criminal-record check that can never hold a file."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from omavalvonta.core.models import AccessLogEntry
from omavalvonta.people import services
from omavalvonta.people.models import QualificationKind, QualificationRecord, QualificationType

from .conftest import qtype, record_kwargs

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="todistus.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_the_types_are_seeded_with_their_intervals_and_attachment_rules():
    by_key = {t.key: t for t in QualificationType.objects.all()}
    assert by_key["rikostaustaote"].kind == QualificationKind.CRIMINAL_RECORD
    assert by_key["rikostaustaote"].allows_attachment is False and by_key["rikostaustaote"].takes_file is False
    assert by_key["ensiapu"].refresh_months == 36 and by_key["ensiapu"].takes_file
    assert by_key["laakelupa"].kind == QualificationKind.MEDICATION_PERMIT
    assert {"ammattioikeus", "turvallisuus", "tietosuoja", "muu"} <= set(by_key)


def test_a_criminal_record_type_cannot_be_set_to_take_files():
    t = qtype("rikostaustaote")
    t.allows_attachment = True
    with pytest.raises(IntegrityError):
        t.save()


def test_first_aid_expires_after_its_refresh_interval(record, employee_a):
    r = record(employee_a, "ensiapu", done_on=dt.date(2026, 1, 31))
    assert r.valid_until == dt.date(2029, 1, 31)
    assert r.recorded_by.full_name == "Sari Esihenkilö"


def test_a_renewal_becomes_current_and_keeps_the_old_one(record, employee_a):
    old = record(employee_a, "ensiapu", done_on=dt.date(2023, 1, 10))
    new = record(employee_a, "ensiapu", done_on=dt.date(2026, 1, 10))
    old.refresh_from_db()
    assert (old.is_current, new.is_current) == (False, True)
    assert QualificationRecord.objects.filter(person=employee_a).count() == 2


def test_a_registration_check_needs_its_number_and_result(record, employee_a):
    with pytest.raises(ValidationError) as error:
        record(employee_a, "ammattioikeus", registration_number="", result="")
    assert set(error.value.message_dict) == {"registration_number", "result"}


def test_a_medication_permit_needs_its_scope_and_end(record, employee_a):
    with pytest.raises(ValidationError) as error:
        record(employee_a, "laakelupa", scope="", valid_until=None)
    assert {"scope"} <= set(error.value.message_dict)


def test_dates_in_the_future_or_ends_before_start_are_refused(record, employee_a):
    with pytest.raises(ValidationError) as error:
        record(employee_a, "laakelupa", done_on=dt.date(2099, 1, 1))
    assert "done_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        record(employee_a, "laakelupa", valid_until=dt.date(2020, 1, 1))
    assert "valid_until" in error.value.message_dict


def test_only_the_units_leaders_record_and_only_for_its_staff(employee_a, colleague_a, supervisor_a, supervisor_b, unit_a):
    with pytest.raises(PermissionDenied):
        services.qualification_record(actor=employee_a, unit=unit_a, person=colleague_a, **record_kwargs("ensiapu"))
    with pytest.raises(PermissionDenied):
        services.qualification_record(actor=supervisor_a, unit=unit_a, person=supervisor_b, **record_kwargs("ensiapu"))


def test_a_certificate_is_kept_for_first_aid(record, employee_a):
    r = record(employee_a, "ensiapu", files=[pdf("Eeva_EA1.pdf")])
    assert r.certificate and "Eeva" not in r.certificate.name and r.certificate_name == "Eeva_EA1.pdf"


def test_scenario_no_file_can_be_attached_to_a_criminal_record_check(client, supervisor_a, employee_a, unit_a):
    """Scenario: the form offers no file input for the criminal-record check; a
    file posted anyway is refused with a clear message and nothing is stored;
    the service refuses it too; the check is then recorded without it."""
    t = qtype("rikostaustaote")
    url = reverse("people:record_new", args=[unit_a.pk, employee_a.pk, t.pk])
    client.force_login(supervisor_a)
    page = client.get(url).content.decode()
    assert 'type="file"' not in page and "multipart" in page

    response = client.post(url, {"done_on": "2026-01-15", "note": "Nähty", "certificate": pdf("ote.pdf")})
    assert response.status_code == 200
    assert "must not be kept" in response.content.decode()
    assert 'value="Nähty"' in response.content.decode()  # nothing typed is lost
    assert not QualificationRecord.objects.exists()

    with pytest.raises(ValidationError):
        services.qualification_record(
            actor=supervisor_a, unit=unit_a, person=employee_a, qtype=t, done_on=dt.date(2026, 1, 15), files=[pdf()]
        )
    response = client.post(url, {"done_on": "2026-01-15"})
    assert response.status_code == 302
    [r] = QualificationRecord.objects.all()
    assert not r.certificate and r.recorded_by == supervisor_a and r.valid_until is None
    assert not any(f.name == "certificate" and getattr(r, f.name) for f in r._meta.fields)


def test_bad_input_on_the_form_is_a_message_not_a_500(client, supervisor_a, employee_a, unit_a):
    client.force_login(supervisor_a)
    url = reverse("people:record_new", args=[unit_a.pk, employee_a.pk, qtype("laakelupa").pk])
    response = client.post(url, {"done_on": "31.2.2026", "scope": "x" * 400, "valid_until": "0000-01-01"})
    assert response.status_code == 200
    assert not QualificationRecord.objects.exists()
    response = client.post(reverse("people:requirement", args=[unit_a.pk]), {"medication_permits": "-1", "first_aid": "abc"})
    assert response.status_code == 200
    assert client.get(reverse("people:overview") + "?region=99999999999999999999").status_code == 200


def test_a_person_sees_their_own_records_and_the_read_is_logged(client, record, employee_a):
    record(employee_a, "ensiapu")
    client.force_login(employee_a)
    response = client.get(reverse("people:index"))
    assert response.status_code == 200 and "First aid (EA 1)" in response.content.decode()
    assert AccessLogEntry.objects.filter(actor=employee_a, what="competence.own").count() == 1


def test_the_supervisor_reads_a_member_and_other_units_people_are_404(
    client, record, employee_a, supervisor_a, supervisor_b, unit_a, unit_b
):
    record(employee_a, "ensiapu")
    client.force_login(supervisor_a)
    url = reverse("people:person", args=[unit_a.pk, employee_a.pk])
    assert client.get(url).status_code == 200
    assert AccessLogEntry.objects.filter(actor=supervisor_a, what="competence.person", target_id=employee_a.pk).count() == 1
    # Another unit's person, through this unit or their own: 404.
    assert client.get(reverse("people:person", args=[unit_a.pk, supervisor_b.pk])).status_code == 404
    assert client.get(reverse("people:person", args=[unit_b.pk, supervisor_b.pk])).status_code == 404
    client.force_login(supervisor_b)
    assert client.get(url).status_code == 404
    # An employee has no right to others' records.
    client.force_login(employee_a)
    assert client.get(url).status_code == 403


def test_a_certificate_downloads_for_its_owner_and_the_supervisor_only(client, record, employee_a, colleague_a, supervisor_a, supervisor_b):
    r = record(employee_a, "ensiapu", files=[pdf()])
    url = reverse("people:certificate", args=[r.pk])
    for person, status in ((employee_a, 200), (supervisor_a, 200), (colleague_a, 404), (supervisor_b, 404)):
        client.force_login(person)
        assert client.get(url).status_code == status, person
