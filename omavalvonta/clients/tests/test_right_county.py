"""The right county: a report naming a child is notified to that child's placing
county and social worker only; the handler sees and may adjust the recipients,
and the choice is recorded. No child data in the message."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from omavalvonta.clients.models import PlacementMention
from omavalvonta.core.models import AuditEvent
from omavalvonta.deviations import services
from omavalvonta.deviations.models import Deviation, NotificationRecipient, StatutoryNotification
from omavalvonta.notifications.models import Notification
from omavalvonta.testing.factories import deviation_kwargs


@pytest.fixture
def two_counties(unit_a, county, county_b):
    """Unit A buys from two counties: Pirkanmaa (the fixture's) and Satakunta."""
    unit_a.counties.add(county_b)
    return county, county_b


def _grievance(actor, unit, **overrides):
    return services.deviation_submit(actor=actor, **deviation_kwargs(unit, kind="grievance", **overrides)).deviation


def _draft(supervisor, deviation):
    return services.deviation_notification_drafts(actor=supervisor, deviation=deviation)[0]


def test_a_report_naming_a_child_notifies_only_that_childs_county_and_social_worker(
    client, two_counties, make_placement, employee_a, supervisor_a, unit_a
):
    pirkanmaa, satakunta = two_counties
    child = make_placement(name="Aino K.", county=satakunta, social_worker_email="sw@satakunta.example")
    make_placement(name="Bea L.", county=pirkanmaa)
    deviation = _grievance(employee_a, unit_a, children=[str(child.pk)])
    assert list(PlacementMention.objects.values_list("placement_id", flat=True)) == [child.pk]

    client.force_login(supervisor_a)
    page = client.get(reverse("deviations:notify", args=[deviation.pk])).content.decode()
    # Both of the unit's counties are offered; the child's own county and social worker are proposed.
    boxes = dict(re.findall(r'<input type="checkbox" name="counties" value="(\d+)"([^>]*)>', page))
    assert set(boxes) >= {str(satakunta.pk), str(pirkanmaa.pk)}
    assert "checked" in boxes[str(satakunta.pk)] and "checked" not in boxes[str(pirkanmaa.pk)]
    assert "The report concerns one child (Aino K.)" in page
    assert "sw@satakunta.example" in page

    draft = _draft(supervisor_a, deviation)
    response = client.post(
        reverse("deviations:notify", args=[deviation.pk]),
        {"counties": [str(satakunta.pk)], "social_workers": [str(child.pk)], "subject": draft.subject, "body": draft.body},
    )
    assert response.status_code == 302
    sent = StatutoryNotification.objects.filter(deviation=deviation)
    assert sorted(sent.values_list("recipient_email", flat=True)) == sorted(
        [satakunta.notification_email, satakunta.lead_official_email, "sw@satakunta.example"]
    )
    assert sent.filter(recipient_kind=NotificationRecipient.SOCIAL_WORKER).count() == 1
    assert not Notification.objects.filter(email__in=[pirkanmaa.notification_email, pirkanmaa.lead_official_email]).exists()
    # No child data travels in the e-mail.
    for message in Notification.objects.filter(kind="deviation.county_notification"):
        assert "Aino" not in message.subject and "Aino" not in message.body
    event = AuditEvent.objects.get(verb="deviation.county_notified", target_id=deviation.pk)
    assert event.data["county_ids"] == [satakunta.pk]
    assert event.data["proposed_county_ids"] == [satakunta.pk]
    assert event.data["not_chosen"] == [pirkanmaa.pk]
    assert event.data["children"] == 1 and event.data["social_workers"] == ["sw@satakunta.example"]


def test_the_proposal_is_the_childs_county_and_the_handler_may_change_it(
    two_counties, make_placement, employee_a, supervisor_a, unit_a
):
    from omavalvonta.deviations.forms import StatutoryNotificationForm
    from omavalvonta.deviations.selectors import deviation_children, notification_counties

    pirkanmaa, satakunta = two_counties
    child = make_placement(county=satakunta)
    deviation = _grievance(employee_a, unit_a, children=[child.pk])
    children = deviation_children(actor=supervisor_a, deviation=deviation)
    form = StatutoryNotificationForm(
        counties=notification_counties(deviation=deviation, children=children),
        proposed_county_ids=children["county_ids"],
        social_workers=[(k, n, e) for k, n, e, _c in children["contacts"]],
    )
    assert form.fields["counties"].initial == [str(satakunta.pk)]
    assert form.fields["social_workers"].initial == [str(child.pk)]
    # The handler adds the other county and leaves the social worker out: recorded as chosen.
    draft = _draft(supervisor_a, deviation)
    services.deviation_notify_county(
        actor=supervisor_a, deviation=deviation, subject=draft.subject, body=draft.body, counties=[pirkanmaa, satakunta]
    )
    event = AuditEvent.objects.get(verb="deviation.county_notified", target_id=deviation.pk)
    assert set(event.data["county_ids"]) == {pirkanmaa.pk, satakunta.pk}
    assert event.data["social_workers"] == [] and event.data["social_workers_not_chosen"] == [child.social_worker_email]


def test_a_childs_county_that_does_not_buy_from_the_unit_is_offered_too(
    make_placement, county_b, employee_a, supervisor_a, unit_a
):
    child = make_placement(county=county_b)
    deviation = _grievance(employee_a, unit_a, children=[child.pk])
    draft = _draft(supervisor_a, deviation)
    sent = services.deviation_notify_county(
        actor=supervisor_a, deviation=deviation, subject=draft.subject, body=draft.body, counties=[county_b]
    )
    assert {n.recipient_email for n in sent} == {county_b.notification_email, county_b.lead_official_email}


def test_with_no_child_named_the_handler_chooses_and_nothing_is_proposed(two_counties, employee_a, supervisor_a, unit_a):
    from omavalvonta.deviations.selectors import deviation_children

    deviation = _grievance(employee_a, unit_a)
    children = deviation_children(actor=supervisor_a, deviation=deviation)
    assert children["count"] == 0 and children["county_ids"] == [] and children["contacts"] == []
    draft = _draft(supervisor_a, deviation)
    with pytest.raises(ValidationError):
        services.deviation_notify_county(actor=supervisor_a, deviation=deviation, subject=draft.subject, body=draft.body, counties=[])


def test_a_message_naming_the_child_is_refused(make_placement, employee_a, supervisor_a, unit_a, county):
    child = make_placement(name="Aino K.")
    deviation = _grievance(employee_a, unit_a, children=[child.pk])
    draft = _draft(supervisor_a, deviation)
    with pytest.raises(ValidationError) as error:
        services.deviation_notify_county(
            actor=supervisor_a, deviation=deviation, subject=draft.subject, body=draft.body + "\nAino K. oli paikalla.",
            counties=[county],
        )
    assert "must not name the child" in str(error.value)
    assert not StatutoryNotification.objects.exists()


def test_an_anonymous_report_names_no_child(client, make_placement, employee_a, unit_a):
    child = make_placement()
    with pytest.raises(ValidationError) as error:
        services.deviation_submit(actor=employee_a, **deviation_kwargs(unit_a, anonymous=True, children=[child.pk]))
    assert "children" in error.value.message_dict
    assert not Deviation.objects.exists() and not PlacementMention.objects.exists()
    # On the form: refused with a message, what was typed kept.
    client.force_login(employee_a)
    response = client.post(
        reverse("deviations:new"),
        {
            "unit": unit_a.pk, "kind": "quality", "occurred_at": "2026-12-01T10:00",
            "description": "Kuvaus tapahtumasta", "anonymous": "on", "children": [str(child.pk)],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "anonymous report does not name a child" in page and "Kuvaus tapahtumasta" in page


def test_the_report_form_offers_only_the_units_current_children(
    client, make_placement, employee_a, unit_a, unit_b, supervisor_b, keeper_a
):
    from django.utils import timezone

    from omavalvonta.clients import services as client_services

    current = make_placement(name="Aino K.")
    ended = make_placement(name="Bea L.")
    client_services.placement_end(actor=keeper_a, placement=ended, ends_on=timezone.localdate())
    elsewhere = make_placement(unit=unit_b, keeper=supervisor_b, name="Mikael V.")
    client.force_login(employee_a)
    page = client.get(reverse("deviations:new")).content.decode()
    assert "Aino K." in page and "Bea L." not in page and "Mikael V." not in page
    # Naming an ended placement or another unit's child is refused, and files nothing.
    for placement in (ended, elsewhere):
        with pytest.raises(ValidationError) as error:
            services.deviation_submit(actor=employee_a, **deviation_kwargs(unit_a, children=[placement.pk]))
        assert "children" in error.value.message_dict
    assert not Deviation.objects.exists()
    assert current.pk


def test_naming_a_child_is_optional(client, make_placement, employee_a, unit_a):
    make_placement()
    client.force_login(employee_a)
    response = client.post(
        reverse("deviations:new"),
        {"unit": unit_a.pk, "kind": "quality", "occurred_at": "2026-12-01T10:00", "description": "Kuvaus"},
    )
    assert response.status_code == 302
    assert Deviation.objects.count() == 1 and not PlacementMention.objects.exists()


def test_the_deviations_area_imports_nothing_of_clients():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "deviations"
    offenders = [
        str(path) for path in root.rglob("*.py") if "omavalvonta.clients" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
