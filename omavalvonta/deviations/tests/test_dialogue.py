"""The dialogue with the reporter: the handler asks, the reporter answers and adds
information (named in the product, anonymous with the follow-up code) while the
report is open; each message is on the timeline; the reporter is told (an e-mail
without content, or on the follow-up page); protected identities stay protected."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from omavalvonta.deviations import identity, selectors, services
from omavalvonta.deviations.models import DeviationMessage, MessageDirection
from omavalvonta.notifications.models import Notification
from omavalvonta.testing.factories import deviation_kwargs, handling_questions_answered

FOLLOWUP = "/julkinen/seuranta/"
QUESTION = "Oliko paikalla muita aikuisia?"


@pytest.fixture(autouse=True)
def _english_and_fresh_limits(db):
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()


pytestmark = pytest.mark.usefixtures("english_pages")


def submit(actor, unit, **overrides):
    return services.deviation_submit(actor=actor, **deviation_kwargs(unit, **overrides))


# --- Named reporter: in the product -------------------------------------------------------------


def test_handler_asks_a_named_reporter_who_is_told_by_an_email_without_content(employee_a, supervisor_a, unit_a):
    d = submit(employee_a, unit_a).deviation

    services.deviation_message_to_reporter(actor=supervisor_a, deviation=d, body=QUESTION)

    told = Notification.objects.get(kind="deviation.question")
    assert told.recipient_id == employee_a.pk and told.email == employee_a.email
    assert told.link == f"/poikkeamat/{d.pk}/"
    assert QUESTION not in told.subject + told.body
    assert d.description not in told.body
    assert [e.label for e in selectors.deviation_timeline(actor=supervisor_a, deviation=d)][-1] == "Question to the reporter"


def test_named_reporter_answers_in_the_product_and_the_handler_is_told(client, employee_a, supervisor_a, unit_a):
    d = submit(employee_a, unit_a).deviation
    services.deviation_message_to_reporter(actor=supervisor_a, deviation=d, body=QUESTION)
    client.force_login(employee_a)
    page = client.get(reverse("deviations:detail", args=[d.pk])).content.decode()
    assert "The handler has asked you a question." in page and QUESTION in page
    # The reporter sees "Handler", not who.
    thread = page.split('id="messages-title"', 1)[1].split("</section>", 1)[0]
    assert "Sari Esihenkilö" not in thread and "Handler" in thread

    response = client.post(reverse("deviations:reply", args=[d.pk]), {"reply-body": "Kaksi ohjaajaa."})

    assert response.status_code == 302
    assert response["Location"].endswith("#messages-title")
    message = DeviationMessage.objects.get(direction=MessageDirection.FROM_REPORTER)
    assert (message.author_id, message.body) == (employee_a.pk, "Kaksi ohjaajaa.")
    told = Notification.objects.get(kind="deviation.reporter_message")
    assert told.recipient_id == supervisor_a.pk and "Kaksi ohjaajaa." not in told.body


def test_an_empty_reply_keeps_the_page_and_says_why(client, employee_a, supervisor_a, unit_a):
    d = submit(employee_a, unit_a).deviation
    client.force_login(employee_a)
    response = client.post(reverse("deviations:reply", args=[d.pk]), {"reply-body": "  "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not DeviationMessage.objects.exists()


def test_only_the_reporter_replies_as_the_reporter(employee_a, colleague_a, supervisor_a, unit_a):
    d = submit(employee_a, unit_a).deviation
    with pytest.raises(PermissionDenied):
        services.deviation_message_from_reporter(actor=colleague_a, deviation=d, body="Minä vastaan.")


def test_no_messages_once_the_report_is_closed(employee_a, supervisor_a, unit_a):
    d = submit(employee_a, unit_a).deviation
    services.deviation_answer(actor=supervisor_a, deviation=d, answer="Vastaus.")
    handling_questions_answered(supervisor_a, d)
    services.deviation_close(actor=supervisor_a, deviation=d)

    with pytest.raises(ValidationError):
        services.deviation_message_to_reporter(actor=supervisor_a, deviation=d, body=QUESTION)
    with pytest.raises(ValidationError):
        services.deviation_message_from_reporter(actor=employee_a, deviation=d, body="Lisätieto.")


def test_a_reload_does_not_send_the_same_message_twice(employee_a, supervisor_a, unit_a):
    d = submit(employee_a, unit_a).deviation
    services.deviation_message_to_reporter(actor=supervisor_a, deviation=d, body=QUESTION)
    with pytest.raises(ValidationError) as exc:
        services.deviation_message_to_reporter(actor=supervisor_a, deviation=d, body=QUESTION)
    assert exc.value.message_dict == {"body": ["This message has already been sent."]}


def test_the_handler_asks_from_the_report_page(client, employee_a, supervisor_a, unit_a):
    d = submit(employee_a, unit_a).deviation
    client.force_login(supervisor_a)
    response = client.post(reverse("deviations:message", args=[d.pk]), {"message-body": QUESTION})
    assert response.status_code == 302
    page = client.get(reverse("deviations:detail", args=[d.pk])).content.decode()
    thread = page.split('id="messages-title"', 1)[1].split("</section>", 1)[0]
    assert QUESTION in thread and "Sari Esihenkilö" in thread


# --- Protected identities -----------------------------------------------------------------------


def test_a_grievance_reporter_is_not_named_in_the_messages_to_colleagues(
    employee_a, supervisor_a, regional_director_a, unit_a
):
    d = submit(employee_a, unit_a, kind="grievance").deviation
    services.deviation_message_from_reporter(actor=employee_a, deviation=d, body="Lisätieto.")

    for viewer in (regional_director_a,):
        thread = identity.deviation_messages(actor=viewer, deviation=d)
        assert [m.author_label for m in thread] == ["Reporter"]
        timeline = selectors.deviation_timeline(actor=viewer, deviation=d)
        assert all(e.actor_name != employee_a.full_name for e in timeline)
    assert identity.reporter_label(actor=regional_director_a, deviation=d) == "Reporter"
    assert identity.reporter_label(actor=employee_a, deviation=d) == "You"


# --- Anonymous reporter: with the follow-up code ------------------------------------------------


@pytest.fixture
def anonymous(employee_a, supervisor_a, unit_a):
    result = submit(employee_a, unit_a, anonymous=True)
    return result.deviation, result.followup_code


def test_anonymous_reporter_reads_the_question_and_answers_with_the_code(client, anonymous, supervisor_a):
    d, code = anonymous
    services.deviation_message_to_reporter(actor=supervisor_a, deviation=d, body=QUESTION)
    # Nobody to e-mail: the follow-up page tells.
    assert not Notification.objects.filter(kind="deviation.question").exists()

    page = client.post(FOLLOWUP, {"code": code}).content.decode()
    assert "The handler has asked you a question." in page and QUESTION in page
    assert supervisor_a.full_name not in page
    assert f'type="hidden" name="code" value="{code}"' in page

    page = client.post(FOLLOWUP, {"code": code, "body": "Ei ollut muita."}).content.decode()

    assert "Your message was sent to the handler." in page
    message = DeviationMessage.objects.get(direction=MessageDirection.FROM_REPORTER)
    assert message.author_id is None and message.body == "Ei ollut muita."
    assert "Ei ollut muita." in page
    assert "The handler has asked you a question." not in page
    assert Notification.objects.get(kind="deviation.reporter_message").recipient_id == supervisor_a.pk
    # The timeline tells it, naming nobody.
    entry = selectors.deviation_timeline(actor=supervisor_a, deviation=d)[-1]
    assert (entry.label, entry.actor_name) == ("Message from the reporter", None)


def test_a_wrong_code_sends_nothing(client, anonymous):
    response = client.post(FOLLOWUP, {"code": "AAAA-BBBB-CCCC", "body": "Viesti"})
    assert response.status_code == 200
    assert "No report was found with this code." in response.content.decode()
    assert not DeviationMessage.objects.exists()


def test_an_empty_answer_with_the_code_keeps_the_report_on_the_page(client, anonymous):
    d, code = anonymous
    page = client.post(FOLLOWUP, {"code": code, "body": " "}).content.decode()
    assert d.number in page and "This field is required." in page
    assert not DeviationMessage.objects.exists()


def test_the_follow_up_page_shows_the_dates_and_the_messages(client, anonymous, supervisor_a):
    d, code = anonymous
    services.deviation_message_to_reporter(actor=supervisor_a, deviation=d, body=QUESTION)
    services.deviation_answer(actor=supervisor_a, deviation=d, answer="Kiitos, asia korjataan.")
    d.refresh_from_db()

    page = client.post(FOLLOWUP, {"code": code}).content.decode()

    facts = page.split('class="facts"', 1)[1].split("</dl>", 1)[0]
    assert "Answered on" in facts and f"{timezone.localtime(d.answered_at):%-d.%-m.%Y}" in facts
    assert "Sent on" in facts
    assert facts.count("Submitted") == 0
    assert QUESTION in page


def test_a_closed_report_takes_no_more_messages_on_the_follow_up_page(client, anonymous, supervisor_a):
    d, code = anonymous
    services.deviation_answer(actor=supervisor_a, deviation=d, answer="Vastaus.")
    handling_questions_answered(supervisor_a, d)
    services.deviation_close(actor=supervisor_a, deviation=d)

    page = client.post(FOLLOWUP, {"code": code}).content.decode()
    assert 'name="body"' not in page
    assert "The report is closed: messages can no longer be sent." in page


# --- The report form and the thank-you page -----------------------------------------------------


def test_the_form_no_longer_says_the_handler_cannot_ask(client, employee_a, unit_a):
    client.force_login(employee_a)
    page = client.get(reverse("deviations:new")).content.decode()
    assert "cannot ask you" not in page
    assert "The handler can ask you questions" in page


def test_anonymous_reporter_gets_a_copy_button_and_no_my_reports_link(client, employee_a, unit_a):
    client.force_login(employee_a)
    data = {
        "unit": str(unit_a.pk),
        "kind": "quality",
        "occurred_at": "2026-01-05T10:00",
        "description": "Kuvaus.",
        "anonymous": "on",
    }
    response = client.post(reverse("deviations:new"), data)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()

    assert 'data-copy="#followup-code"' in page and 'id="followup-code"' in page
    assert reverse("deviations:mine") not in page.split("<main", 1)[1]

    data.pop("anonymous")
    page = client.get(client.post(reverse("deviations:new"), data)["Location"]).content.decode()
    assert reverse("deviations:mine") in page.split("<main", 1)[1]
