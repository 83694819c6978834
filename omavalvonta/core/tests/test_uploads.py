"""Uploaded files: random names, no URL, never served from /media/, downloaded
only through views that check access and log the read; older files renamed by
`manage.py rename_uploads`."""

import importlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from omavalvonta.core.attachments import has_random_name
from omavalvonta.core.models import AccessLogEntry
from omavalvonta.deviations import services as deviation_services
from omavalvonta.deviations.models import Attachment
from omavalvonta.guidance import services as guidance_services
from omavalvonta.testing.factories import deviation_kwargs

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture
def report(employee_a, supervisor_a, unit_a):
    return deviation_services.deviation_submit(
        actor=employee_a,
        **deviation_kwargs(
            unit_a,
            attachments=[SimpleUploadedFile("Kalle_Kollega_mustelma.png", PNG, content_type="image/png")],
        ),
    ).deviation


def test_a_deviation_attachment_is_stored_under_a_random_name(report):
    [attachment] = report.attachments.all()
    assert has_random_name(attachment.file.name)
    assert attachment.file.name.startswith("deviations/")
    assert "Kalle" not in attachment.file.name


def test_stored_files_have_no_url(report):
    [attachment] = report.attachments.all()
    with pytest.raises(NotImplementedError):
        _ = attachment.file.url


def test_media_is_never_routed_not_even_when_debugging(settings):
    import omavalvonta.urls as project_urls

    settings.DEBUG = True
    try:
        reloaded = importlib.reload(project_urls)
        assert not any(str(p.pattern).startswith("media") for p in reloaded.urlpatterns)
    finally:
        settings.DEBUG = False
        importlib.reload(project_urls)
    with pytest.raises(Resolver404):
        resolve("/media/deviations/x.png")


def test_a_deviation_attachment_downloads_through_the_access_check(client, report, supervisor_a, supervisor_b):
    attachment = report.attachments.get()
    url = reverse("deviations:attachment", args=[report.pk, attachment.pk])
    client.force_login(supervisor_b)
    assert client.get(url).status_code == 404
    client.force_login(supervisor_a)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AccessLogEntry.objects.filter(what="deviation.attachment", actor=supervisor_a, target_id=report.pk).count() == 1


def test_a_guidance_attachment_downloads_through_the_access_check(client, quality_director, supervisor_b, unit_a, authority):
    g = guidance_services.guidance_register(
        actor=quality_director,
        kind="guidance",
        authority=authority,
        sender_reference="LVV/1/2026",
        received_on=timezone.localdate(),
        title="Ohjauskirje",
        content="Ohjaamme seuraavasti.",
        units=[unit_a],
        attachments=[SimpleUploadedFile("kirje.pdf", PDF, content_type="application/pdf")],
    )
    attachment = g.attachments.get()
    assert has_random_name(attachment.file.name)
    url = reverse("guidance:attachment", args=[g.pk, attachment.pk])
    client.force_login(supervisor_b)
    assert client.get(url).status_code in (403, 404)
    client.force_login(quality_director)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AccessLogEntry.objects.filter(what="guidance.attachment", actor=quality_director).count() == 1


def test_older_files_are_renamed_once_and_keep_their_content(report):
    attachment = report.attachments.get()
    # As stored before: a name made of the unit, the report and a time.
    old_name = default_storage.save(f"deviations/{report.unit_id}/{report.pk}/20260101120000000000.png", ContentFile(PNG))
    Attachment.objects.filter(pk=attachment.pk).update(file=old_name)
    out = io.StringIO()
    call_command("rename_uploads", stdout=out)
    attachment.refresh_from_db()
    assert has_random_name(attachment.file.name)
    assert not default_storage.exists(old_name)
    assert attachment.file.open("rb").read() == PNG
    assert "Renamed 1 " in out.getvalue()
    # A second run changes nothing.
    call_command("rename_uploads", stdout=io.StringIO())
    renamed = attachment.file.name
    attachment.refresh_from_db()
    assert attachment.file.name == renamed
