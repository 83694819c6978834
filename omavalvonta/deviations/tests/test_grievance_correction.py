"""§ 29: a grievance is not closed while its shortcoming is uncorrected unless the
responsible person records why; an uncorrected shortcoming can still reach the
supervisory authority after closing; the escalation page never claims "not
corrected by the deadline" before the deadline. And closing lists every unmet
condition at once."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from omavalvonta.deviations import selectors, services
from omavalvonta.deviations.models import NotificationPurpose, State, StatutoryNotification
from omavalvonta.improvement import services as improvement_services
from omavalvonta.testing.factories import deviation_kwargs, handling_questions_answered

HELSINKI = ZoneInfo("Europe/Helsinki")
SUBMITTED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=HELSINKI)
NOTIFIED = dt.datetime(2026, 3, 3, 10, 0, tzinfo=HELSINKI)  # correction due 17.3.


pytestmark = pytest.mark.usefixtures("english_pages", "english_texts")


@pytest.fixture
def grievance(employee_a, supervisor_a, unit_a, county, authority):
    """A § 29 grievance: the county notified on 3.3. (correction due 17.3.), a
    corrective action decided and still open, the reporter answered."""
    with time_machine.travel(SUBMITTED, tick=False):
        d = services.deviation_submit(actor=employee_a, **deviation_kwargs(unit_a, kind="grievance")).deviation
    with time_machine.travel(NOTIFIED, tick=False):
        services.deviation_notify_county(actor=supervisor_a, deviation=d, counties=[county], subject="S", body="B")
        services.deviation_add_action(
            actor=supervisor_a, deviation=d, title="Päätös rajoituksesta", owner=supervisor_a, due_date=dt.date(2026, 3, 16)
        )
        services.deviation_answer(actor=supervisor_a, deviation=d, answer="Asia korjataan.")
    d.refresh_from_db()
    return d


def test_a_grievance_with_open_actions_is_not_closed(grievance, supervisor_a):
    with time_machine.travel(NOTIFIED, tick=False), pytest.raises(ValidationError) as exc:
        handling_questions_answered(supervisor_a, grievance)
        services.deviation_close(actor=supervisor_a, deviation=grievance)

    assert exc.value.messages == [
        "1 corrective action is still open, so the shortcoming is not corrected. "
        "The unit's responsible person may close the report by recording why."
    ]
    grievance.refresh_from_db()
    assert grievance.state != State.CLOSED


def test_only_the_responsible_person_may_close_it_uncorrected_and_the_reason_is_recorded(
    grievance, supervisor_a, responsible_a
):
    with time_machine.travel(NOTIFIED, tick=False):
        with pytest.raises(ValidationError) as exc:
            handling_questions_answered(supervisor_a, grievance)
            services.deviation_close(actor=supervisor_a, deviation=grievance, reason="Ei ehditty.")
        assert exc.value.messages == [
            "Only the unit's responsible person may close a grievance whose shortcoming is not corrected."
        ]
        handling_questions_answered(responsible_a, grievance)
        services.deviation_close(actor=responsible_a, deviation=grievance, reason="Yksikkö suljetaan kuun lopussa.")

    grievance.refresh_from_db()
    assert grievance.state == State.CLOSED
    assert grievance.uncorrected_close_reason == "Yksikkö suljetaan kuun lopussa."
    labels = [e.label for e in selectors.deviation_timeline(actor=responsible_a, deviation=grievance)]
    assert labels[-1] == "Closed before the shortcoming was corrected: Yksikkö suljetaan kuun lopussa."


def test_a_grievance_whose_actions_are_done_closes_without_a_reason(grievance, supervisor_a):
    action = grievance_action(grievance, supervisor_a)
    improvement_services.action_complete(actor=supervisor_a, action=action, note="Tehty.")

    handling_questions_answered(supervisor_a, grievance)

    services.deviation_close(actor=supervisor_a, deviation=grievance)

    grievance.refresh_from_db()
    assert grievance.state == State.CLOSED and grievance.uncorrected_close_reason == ""


def grievance_action(grievance, actor):
    from omavalvonta.improvement.selectors import actions_for_source

    return actions_for_source(source=grievance).get()


def test_escalation_stays_possible_after_closing_when_the_correction_date_passes_uncorrected(
    grievance, responsible_a, supervisor_a
):
    with time_machine.travel(NOTIFIED, tick=False):
        handling_questions_answered(responsible_a, grievance)
        services.deviation_close(actor=responsible_a, deviation=grievance, reason="Henkilöstövaje.")
    grievance.refresh_from_db()

    with time_machine.travel(dt.datetime(2026, 3, 17, 12, 0, tzinfo=HELSINKI), tick=False):
        assert services.authority_escalation_refusal(grievance) == "The county's correction deadline 17.03.2026 has not passed yet."
    with time_machine.travel(dt.datetime(2026, 3, 18, 9, 0, tzinfo=HELSINKI), tick=False):
        assert services.authority_escalation_refusal(grievance) is None
        draft = services.deviation_authority_draft(actor=supervisor_a, deviation=grievance)
        services.deviation_escalate_to_authority(actor=supervisor_a, deviation=grievance, subject=draft.subject, body=draft.body)

    escalation = StatutoryNotification.objects.get(deviation=grievance, purpose=NotificationPurpose.ESCALATION)
    assert escalation.recipient_kind == "authority"


def test_the_escalation_page_does_not_claim_a_missed_deadline_before_the_deadline(client, grievance, supervisor_a):
    client.force_login(supervisor_a)
    url = reverse("deviations:escalate", args=[grievance.pk])
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=HELSINKI), tick=False):
        page = client.get(url).content.decode()
        detail = client.get(reverse("deviations:detail", args=[grievance.pk])).content.decode()
        posted = client.post(url, {"subject": "S", "body": "B"})

    assert "not corrected by the due date" not in page.lower()
    assert "has not been corrected" not in page
    assert "The county&#x27;s correction deadline 17.03.2026 has not passed yet." in page
    assert '<textarea name="body"' not in page
    assert url not in detail
    assert posted.status_code == 200
    assert not StatutoryNotification.objects.filter(purpose=NotificationPurpose.ESCALATION).exists()

    with time_machine.travel(dt.datetime(2026, 3, 18, 9, 0, tzinfo=HELSINKI), tick=False):
        page = client.get(url).content.decode()
    assert "not corrected by the due date" in page and '<textarea name="body"' in page


def test_the_responsible_person_gets_the_reason_field_and_the_supervisor_does_not(client, grievance, supervisor_a, responsible_a):
    url = reverse("deviations:detail", args=[grievance.pk])
    client.force_login(supervisor_a)
    assert 'name="close-reason"' not in client.get(url).content.decode()
    client.force_login(responsible_a)
    page = client.get(url).content.decode()
    assert 'name="close-reason"' in page

    handling_questions_answered(responsible_a, grievance)
    response = client.post(reverse("deviations:close", args=[grievance.pk]), {"close-reason": "Yksikkö lakkautetaan."})
    assert response.status_code == 302
    grievance.refresh_from_db()
    assert grievance.state == State.CLOSED


def test_every_unmet_condition_is_listed_at_once(employee_a, supervisor_a, unit_a, county, authority):
    d = services.deviation_submit(
        actor=employee_a, **deviation_kwargs(unit_a, kind="grievance", reported_serious=True)
    ).deviation
    services.deviation_add_action(actor=supervisor_a, deviation=d, title="Korjaus", owner=supervisor_a, due_date=timezone.localdate())

    with pytest.raises(ValidationError) as exc:
        handling_questions_answered(supervisor_a, d)
        services.deviation_close(actor=supervisor_a, deviation=d)

    assert exc.value.messages == [
        "Answer the reporter.",
        "Notify the purchasing county: the law requires it (Sote-valvontalaki (741/2023) 28 §).",
        "Notify the supervisory authority: the law requires it (Sote-valvontalaki (741/2023) 28 §).",
        "1 corrective action is still open, so the shortcoming is not corrected. "
        "The unit's responsible person may close the report by recording why.",
    ]
