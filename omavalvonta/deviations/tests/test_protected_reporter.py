"""A § 29 reporter's protected identity is shown to nobody by default: not on the
report page, the list, the export, in messages or the timeline. The unit's
responsible person alone may see it, through a reasoned step that is recorded
and logged. The report form tells the reporter so.

An outside probe found "Reported by: <name>" on a grievance for its handler,
the responsible person and the quality director, while the handler's
notification promised the identity was protected."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from omavalvonta.core.models import AccessLogEntry, AuditEvent
from omavalvonta.deviations import identity, selectors, services
from omavalvonta.notifications.models import Notification
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import deviation_kwargs, member

pytestmark = pytest.mark.django_db

REPORTER = "Eeva Työntekijä"
REASON = "Kuulen ilmoittajaa todistajana ennen korjaavien toimenpiteiden päättämistä."
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def grievance(employee_a, supervisor_a, responsible_a, unit_a):
    return services.deviation_submit(
        actor=employee_a,
        **deviation_kwargs(
            unit_a, kind="grievance", description="Lapsen hoidossa on epäkohta.",
            attachments=[SimpleUploadedFile("IMG_Eeva_Tyontekija.png", PNG, content_type="image/png")],
        ),
    ).deviation


def page(client, person, deviation):
    client.force_login(person)
    response = client.get(reverse("deviations:detail", args=[deviation.pk]))
    assert response.status_code == 200
    return response.content.decode()


def reported_by(html):
    return html.split("Reported by</dt>", 1)[1].split("</dd>", 1)[0]


def timeline(html):
    return html.split('class="timeline', 1)[1].split("</ol>", 1)[0]


@pytest.mark.parametrize("who", ["supervisor_a", "responsible_a", "quality_director", "regional_director_a"])
def test_nobody_sees_the_name_by_default(client, grievance, who, request):
    assert grievance.identity_protected and grievance.handler.full_name == "Sari Esihenkilö"
    html = page(client, request.getfixturevalue(who), grievance)
    assert "Identity protected" in reported_by(html)
    assert REPORTER not in reported_by(html)
    assert REPORTER not in timeline(html)
    assert not AccessLogEntry.objects.filter(what="deviation.reporter").exists()


def test_only_the_responsible_person_is_offered_the_disclosure(client, grievance, supervisor_a, responsible_a, quality_director):
    link = reverse("deviations:disclose_reporter", args=[grievance.pk])
    assert link in reported_by(page(client, responsible_a, grievance))
    for person in (supervisor_a, quality_director):
        assert link not in page(client, person, grievance)
        assert client.get(link).status_code == 403
        assert client.post(link, {"reason": REASON}).status_code == 403
    assert not AuditEvent.objects.filter(verb=identity.DISCLOSED_VERB).exists()


def test_a_responsible_person_of_another_unit_gets_404(client, grievance, unit_b):
    other = member(Role.RESPONSIBLE_PERSON, unit=unit_b, email="toinen@omavalvonta.example")
    client.force_login(other)
    assert client.get(reverse("deviations:disclose_reporter", args=[grievance.pk])).status_code == 404


def test_the_disclosure_needs_a_reason(client, grievance, responsible_a):
    client.force_login(responsible_a)
    link = reverse("deviations:disclose_reporter", args=[grievance.pk])
    form = client.get(link)
    assert "Sote-valvontalaki § 29" in form.content.decode()
    response = client.post(link, {"reason": "Haluan tietää."})
    assert response.status_code == 200
    assert "at least 20 characters" in response.content.decode()
    assert "Haluan tietää." in response.content.decode()  # what was typed is kept
    assert not AuditEvent.objects.filter(verb=identity.DISCLOSED_VERB).exists()
    assert "Identity protected" in reported_by(page(client, responsible_a, grievance))


def test_a_reasoned_disclosure_is_recorded_then_the_name_is_shown_and_logged(client, grievance, responsible_a):
    client.force_login(responsible_a)
    response = client.post(reverse("deviations:disclose_reporter", args=[grievance.pk]), {"reason": REASON})
    assert response.status_code == 302
    [event] = AuditEvent.objects.filter(verb=identity.DISCLOSED_VERB)
    assert (event.actor, event.target_id, event.data["reason"]) == (responsible_a, grievance.pk, REASON)
    html = page(client, responsible_a, grievance)
    assert REPORTER in reported_by(html)
    assert "protected identity was disclosed" in timeline(html)
    [entry] = AccessLogEntry.objects.filter(what="deviation.reporter")
    assert (entry.actor, entry.right) == (responsible_a, "deviation.disclose_reporter")
    # Each showing is logged again.
    page(client, responsible_a, grievance)
    assert AccessLogEntry.objects.filter(what="deviation.reporter").count() == 2


def test_a_disclosure_is_for_the_one_who_made_it(client, grievance, responsible_a, supervisor_a, quality_director):
    services.deviation_reporter_disclose(actor=responsible_a, deviation=grievance, reason=REASON)
    for person in (supervisor_a, quality_director):
        html = page(client, person, grievance)
        assert "Identity protected" in reported_by(html)
        # The timeline tells that it happened, not whose name it was.
        assert "protected identity was disclosed" in timeline(html)
        assert REPORTER not in timeline(html)


def test_the_reporter_sees_their_own_report(client, grievance, employee_a):
    assert "You" in reported_by(page(client, employee_a, grievance))


def test_an_ordinary_report_still_shows_its_reporter_to_the_handler(client, employee_a, supervisor_a, unit_a):
    report = services.deviation_submit(actor=employee_a, **deviation_kwargs(unit_a)).deviation
    assert REPORTER in reported_by(page(client, supervisor_a, report))


def test_the_list_and_the_search_do_not_name_the_reporter(client, grievance, quality_director):
    client.force_login(quality_director)
    html = client.get(reverse("deviations:list")).content.decode()
    assert grievance.number in html and REPORTER not in html
    # The text search reads the number and the description, never the reporter.
    assert not selectors.deviation_list(actor=quality_director, filters={"q": "Eeva"}).exists()


def test_the_export_does_not_name_the_reporter(client, grievance, quality_director):
    client.force_login(quality_director)
    response = client.get(reverse("deviations:export"))
    csv = b"".join(response.streaming_content).decode()
    assert grievance.number in csv and REPORTER not in csv


def test_messages_about_the_report_do_not_name_the_reporter(grievance):
    told = Notification.objects.exclude(recipient__full_name=REPORTER)
    assert told.exists()
    for message in told:
        assert REPORTER not in message.subject and REPORTER not in message.body
        assert "Eeva" not in message.body


def test_an_attachment_keeps_no_name_that_could_identify_the_reporter(grievance):
    [attachment] = grievance.attachments.all()
    assert "Eeva" not in attachment.original_name
    assert "Eeva" not in attachment.file.name


def test_the_report_form_says_who_can_ever_see_the_name(client, employee_a):
    client.force_login(employee_a)
    html = client.get(reverse("deviations:new")).content.decode()
    assert "Only the unit's responsible person can ever see it, and only by recording why they need it" in html
