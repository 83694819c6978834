import pytest
from django.db import transaction

from omavalvonta.notifications.models import DeliveryState, Notification
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.notifications.tests.conftest import enqueue_email

pytestmark = pytest.mark.django_db


def test_a_person_gets_it_in_the_product_and_by_email_at_their_address(person):
    n = notification_enqueue(recipient=person, kind="action.assigned", subject="Uusi toimenpide", body="Tee se.")
    assert n.in_app is True
    assert n.email == "outi@omavalvonta.example"
    assert n.state == DeliveryState.PENDING
    assert n.attempts == 0


def test_an_address_alone_is_emailed_but_not_shown_in_the_product():
    n = enqueue_email()
    assert n.recipient is None
    assert n.in_app is False
    assert n.state == DeliveryState.PENDING


def test_an_explicit_address_wins_over_the_recipients_own(person):
    n = notification_enqueue(recipient=person, email="toinen@hva.example", kind="k", subject="s", body="b")
    assert n.email == "toinen@hva.example"
    assert n.in_app is True


def test_send_email_false_makes_an_in_app_only_row(person):
    n = notification_enqueue(recipient=person, kind="k", subject="s", body="b", send_email=False)
    assert n.state == DeliveryState.NOT_EMAILED
    assert n.email == ""
    assert n.in_app is True


def test_a_deactivated_person_is_not_emailed(person):
    person.is_active = False
    person.save(update_fields=["is_active"])
    n = notification_enqueue(recipient=person, kind="k", subject="s", body="b")
    assert n.state == DeliveryState.NOT_EMAILED
    assert n.email == ""


def test_line_breaks_in_the_subject_are_flattened_and_long_subjects_cut():
    n = enqueue_email(subject="Rivi yksi\r\nBcc: evil@example.com")
    assert n.subject == "Rivi yksi Bcc: evil@example.com"
    assert len(enqueue_email(subject="x" * 400).subject) == 250


def test_a_relative_link_is_kept():
    assert enqueue_email(link="/poikkeamat/12/?tab=1").link == "/poikkeamat/12/?tab=1"


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"email": ""}, id="no recipient and no address"),
        pytest.param({"email": "not-an-address"}, id="malformed address"),
        pytest.param({"subject": "  "}, id="blank subject"),
        pytest.param({"kind": ""}, id="blank kind"),
        pytest.param({"kind": "k" * 65}, id="kind too long"),
        pytest.param({"in_app": True}, id="in-app without a recipient"),
        pytest.param({"link": "//evil.example/x"}, id="scheme-relative link"),
        pytest.param({"link": "https://evil.example/"}, id="absolute link"),
        pytest.param({"link": "javascript:alert(1)"}, id="javascript link"),
        pytest.param({"link": "/\\evil.example"}, id="backslash link"),
        pytest.param({"link": "poikkeamat/1/"}, id="path without leading slash"),
        pytest.param({"link": "/ok/\r\nSet-Cookie: x"}, id="link with a line break"),
    ],
)
def test_a_malformed_call_is_refused_and_writes_nothing(kwargs):
    with pytest.raises(ValueError):
        enqueue_email(**kwargs)
    assert not Notification.objects.exists()


def test_a_message_going_nowhere_is_refused(person):
    with pytest.raises(ValueError):
        notification_enqueue(recipient=person, kind="k", subject="s", body="b", send_email=False, in_app=False)


def test_the_row_rolls_back_with_the_change_that_caused_it():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_email()
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()
