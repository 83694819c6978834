"""A duty's evidence file: stored under a random name, never served from a
public path, downloaded only through the calendar's own view, which checks
access through the kernel and logs the read.

An outside probe found evidence stored under the uploader's file name and served
from /media/ (an employee of another region downloaded it), and in production
the evidence link was a 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from omavalvonta.core.attachments import has_random_name
from omavalvonta.core.models import AccessLogEntry
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import member
from omavalvonta.yearclock import services
from omavalvonta.yearclock.models import Occurrence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture
def done(frozen, make_template, unit_a, unit_b, supervisor_a):
    make_template(title="Riskiarvio")
    duty = Occurrence.objects.get(unit=unit_a)
    upload = SimpleUploadedFile("Riskiarvio_Eeva_Tyontekija.pdf", PDF, content_type="application/pdf")
    return services.occurrence_complete(actor=supervisor_a, occurrence=duty, note="Tehty.", file=upload)


def test_the_file_is_stored_under_a_random_name(done):
    assert has_random_name(done.evidence_file.name)
    assert "Eeva" not in done.evidence_file.name
    assert done.evidence_file_name == "Riskiarvio_Eeva_Tyontekija.pdf"


def test_the_page_links_to_the_download_view_and_it_answers(client, done, supervisor_a):
    client.force_login(supervisor_a)
    page = client.get(reverse("yearclock:detail", args=[done.pk])).content.decode()
    url = reverse("yearclock:evidence", args=[done.pk])
    assert url in page and "/media/" not in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Riskiarvio_Eeva_Tyontekija.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    [entry] = AccessLogEntry.objects.filter(what="obligation.evidence")
    assert (entry.actor, entry.target_id, entry.right) == (supervisor_a, done.pk, "obligation.view")


def test_someone_of_another_region_gets_404(client, done, unit_b):
    for role in (Role.EMPLOYEE, Role.SUPERVISOR):
        client.force_login(member(role, unit=unit_b))
        assert client.get(reverse("yearclock:evidence", args=[done.pk])).status_code in (403, 404)
    client.force_login(member(Role.SUPERVISOR, unit=unit_b))
    assert client.get(reverse("yearclock:evidence", args=[done.pk])).status_code == 404
    assert not AccessLogEntry.objects.filter(what="obligation.evidence").exists()


def test_a_duty_without_a_file_has_no_download(client, frozen, make_template, unit_a, supervisor_a):
    make_template(title="Itsearviointi")
    duty = Occurrence.objects.get(unit=unit_a)
    client.force_login(supervisor_a)
    assert client.get(reverse("yearclock:evidence", args=[duty.pk])).status_code == 404
