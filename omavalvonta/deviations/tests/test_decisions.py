"""The programme's three handling questions (issue 21 item 2): answered before a
report closes; "the instruction must change" sends a proposal to the person
responsible for the instruction, who sees it on the home page, is reminded after
PROPOSAL_REMIND_AFTER_DAYS undecided days and escalated after PROPOSAL_DECIDE_DAYS,
and decides it with a note and a date."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from omavalvonta.core.models import AuditEvent
from omavalvonta.deviations import proposals, services
from omavalvonta.deviations.models import Deviation, InstructionProposal, ProposalState, State
from omavalvonta.notifications.models import Notification
from omavalvonta.testing.factories import deviation_kwargs
from omavalvonta.yearclock import duties
from omavalvonta.yearclock.models import DutyNotice, NoticeKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]

QUESTIONS = (
    "Answer the three handling questions: was the instruction followed, must the instruction change, "
    "is an outside party needed."
)


@pytest.fixture
def report(employee_a, supervisor_a, unit_a):
    d = services.deviation_submit(actor=employee_a, **deviation_kwargs(unit_a)).deviation
    services.deviation_answer(actor=supervisor_a, deviation=d, answer="Tarkistuslista otetaan käyttöön.")
    return d


def decide(actor, d, **overrides):
    data = {"instruction_followed": "no", "must_change": False, "outside_needed": False}
    data.update(overrides)
    return services.deviation_decide_handling(actor=actor, deviation=d, **data)


def propose(actor, d, responsible, **overrides):
    return decide(
        actor, d, must_change=True, instruction="Lääkehoitosuunnitelma: iltalääkkeet",
        proposal="Kaksoistarkistus vuoronvaihtoon.", responsible=responsible, **overrides,
    )


# --- Closing needs the answers ---------------------------------------------------------------


def test_closing_is_refused_until_the_three_questions_are_answered(report, supervisor_a):
    with pytest.raises(ValidationError) as exc:
        services.deviation_close(actor=supervisor_a, deviation=report)
    assert exc.value.messages == [QUESTIONS]
    decide(supervisor_a, report, outside_needed=True, outside_party="Työterveyshuolto")
    services.deviation_close(actor=supervisor_a, deviation=report)
    report.refresh_from_db()
    assert report.state == State.CLOSED
    assert (report.instruction_followed, report.instruction_must_change, report.outside_party_needed) == ("no", False, True)
    assert report.outside_party == "Työterveyshuolto" and report.decisions_at is not None


def test_a_refused_close_on_the_page_names_the_questions_in_finnish(client, report, supervisor_a):
    client.force_login(supervisor_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    response = client.post(reverse("deviations:close", args=[report.pk]), follow=True)
    page = response.content.decode()
    assert "Vastaa käsittelyn kolmeen kysymykseen" in page
    assert Deviation.objects.get(pk=report.pk).state != State.CLOSED


def test_every_missing_answer_is_named_at_once(report, supervisor_a):
    with pytest.raises(ValidationError) as exc:
        services.deviation_decide_handling(
            actor=supervisor_a, deviation=report, instruction_followed="maybe", must_change=None, outside_needed=True
        )
    assert set(exc.value.message_dict) == {"instruction_followed", "must_change", "outside_party"}
    report.refresh_from_db()
    assert report.decisions_at is None


def test_only_a_handler_of_an_open_report_answers(report, colleague_a, supervisor_b, supervisor_a):
    for outsider in (colleague_a, supervisor_b):
        with pytest.raises(PermissionDenied):
            decide(outsider, report)
    decide(supervisor_a, report)
    services.deviation_close(actor=supervisor_a, deviation=report)
    with pytest.raises(ValidationError):
        decide(supervisor_a, report)


# --- The proposal -----------------------------------------------------------------------------


def test_the_instruction_must_change_sends_a_proposal_to_the_responsible_person(report, supervisor_a, responsible_a):
    propose(supervisor_a, report, responsible_a)
    proposal = InstructionProposal.objects.get()
    assert (proposal.deviation_id, proposal.unit_id, proposal.responsible_id, proposal.proposed_by_id, proposal.state) == (
        report.pk, report.unit_id, responsible_a.pk, supervisor_a.pk, ProposalState.PROPOSED
    )
    note = Notification.objects.get(kind="deviation.instruction_proposal")
    assert note.recipient == responsible_a and note.link == services.proposal_link(proposal)
    assert AuditEvent.objects.filter(verb="instruction_proposal.made").exists()
    # Answering again makes no second proposal; answering "no change" is refused.
    decide(supervisor_a, report, must_change=True)
    assert InstructionProposal.objects.count() == 1
    with pytest.raises(ValidationError) as exc:
        decide(supervisor_a, report, must_change=False)
    assert "must_change" in exc.value.message_dict


def test_a_proposal_needs_the_instruction_the_change_and_someone_who_may_decide(
    report, supervisor_a, employee_a, responsible_a
):
    with pytest.raises(ValidationError) as exc:
        decide(supervisor_a, report, must_change=True)
    assert set(exc.value.message_dict) == {"instruction", "proposal", "responsible"}
    with pytest.raises(ValidationError) as exc:
        propose(supervisor_a, report, employee_a)
    assert set(exc.value.message_dict) == {"responsible"}
    assert not InstructionProposal.objects.exists()
    candidates = proposals.responsible_candidates(unit=report.unit)
    assert responsible_a in candidates and employee_a not in candidates and supervisor_a not in candidates


def test_the_responsible_person_decides_once_and_the_proposer_is_told(report, supervisor_a, responsible_a):
    propose(supervisor_a, report, responsible_a)
    proposal = InstructionProposal.objects.get()
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.instruction_proposal_decide(
            actor=responsible_a, proposal=proposal, accepted=True, note="", decided_on=today + dt.timedelta(days=1)
        )
    assert set(exc.value.message_dict) == {"note", "decided_on"}
    services.instruction_proposal_decide(
        actor=responsible_a, proposal=proposal, accepted=True, note="Ohje päivitetään kuun loppuun mennessä.",
        decided_on=today,
    )
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decided_on, proposal.decided_by_id) == ("accepted", today, responsible_a.pk)
    told = Notification.objects.get(kind="deviation.instruction_proposal_decided")
    assert told.recipient == supervisor_a and "accepted" in told.subject
    with pytest.raises(ValidationError):
        services.instruction_proposal_decide(
            actor=responsible_a, proposal=proposal, accepted=False, note="Toisin.", decided_on=today
        )


def test_who_may_decide(report, supervisor_a, responsible_a, quality_director, supervisor_b):
    propose(supervisor_a, report, responsible_a)
    proposal = InstructionProposal.objects.get()
    for outsider in (supervisor_a, supervisor_b):
        with pytest.raises(PermissionDenied):
            services.instruction_proposal_decide(
                actor=outsider, proposal=proposal, accepted=False, note="Ei.", decided_on=timezone.localdate()
            )
    # The quality director decides the group's instructions anywhere.
    services.instruction_proposal_decide(
        actor=quality_director, proposal=proposal, accepted=False, note="Ohje on jo ajan tasalla.",
        decided_on=timezone.localdate(),
    )
    assert InstructionProposal.objects.get().state == ProposalState.REJECTED


# --- Reminder and escalation -----------------------------------------------------------------


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC)


def test_an_undecided_proposal_is_reminded_after_the_days_and_escalated_when_late(
    time_machine, employee_a, supervisor_a, responsible_a, unit_a
):
    start = dt.date(2026, 2, 2)
    time_machine.move_to(at(start), tick=False)
    d = services.deviation_submit(actor=employee_a, **deviation_kwargs(unit_a)).deviation
    propose(supervisor_a, d, responsible_a)

    time_machine.move_to(at(start + dt.timedelta(days=proposals.PROPOSAL_REMIND_AFTER_DAYS - 1)), tick=False)
    assert duties.duties_remind_and_escalate() == 0
    time_machine.move_to(at(start + dt.timedelta(days=proposals.PROPOSAL_REMIND_AFTER_DAYS)), tick=False)
    assert duties.duties_remind_and_escalate() == 1
    reminder = Notification.objects.get(kind="duty.reminder")
    assert reminder.recipient == responsible_a and d.number in reminder.subject
    assert duties.duties_remind_and_escalate() == 0

    time_machine.move_to(at(start + dt.timedelta(days=proposals.PROPOSAL_DECIDE_DAYS + 1)), tick=False)
    assert duties.duties_remind_and_escalate() == 1
    late = Notification.objects.get(kind="duty.late")
    # The shared mechanism escalates to the unit's leaders other than the one reminded.
    assert late.recipient == supervisor_a
    assert duties.duties_remind_and_escalate() == 0
    assert DutyNotice.objects.filter(kind=NoticeKind.ESCALATION).count() == 1


def test_a_decided_proposal_is_no_duty(time_machine, employee_a, supervisor_a, responsible_a, unit_a):
    start = dt.date(2026, 2, 2)
    time_machine.move_to(at(start), tick=False)
    d = services.deviation_submit(actor=employee_a, **deviation_kwargs(unit_a)).deviation
    propose(supervisor_a, d, responsible_a)
    services.instruction_proposal_decide(
        actor=responsible_a, proposal=InstructionProposal.objects.get(), accepted=True, note="Kyllä.", decided_on=start
    )
    time_machine.move_to(at(start + dt.timedelta(days=60)), tick=False)
    assert duties.duties_remind_and_escalate() == 0


# --- Pages -----------------------------------------------------------------------------------


def test_the_handler_answers_on_the_report_page_and_bad_input_answers_400_keeping_it(
    client, report, supervisor_a, responsible_a
):
    client.force_login(supervisor_a)
    url = reverse("deviations:decide", args=[report.pk])
    answers = {
        "decisions-instruction_followed": "no",
        "decisions-must_change": "yes",
        "decisions-outside_needed": "no",
        "decisions-instruction": "Iltalääkkeiden ohje",
        "decisions-proposal": "Lisätään kaksoistarkistus.",
    }
    response = client.post(url, answers)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose who is responsible for the instruction." in page
    assert "Iltalääkkeiden ohje" in page and "Lisätään kaksoistarkistus." in page
    assert not InstructionProposal.objects.exists()

    response = client.post(url, {**answers, "decisions-responsible": str(responsible_a.pk)})
    assert response.status_code == 302
    page = client.get(reverse("deviations:detail", args=[report.pk])).content.decode()
    assert "Handling decisions" in page and "Iltalääkkeiden ohje" in page and "Waiting for a decision" in page


def test_missing_radio_answers_answer_400_with_the_questions(client, report, supervisor_a):
    client.force_login(supervisor_a)
    response = client.post(reverse("deviations:decide", args=[report.pk]), {"decisions-outside_party": "Poliisi"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Answer: was the instruction followed?" in page and "Answer: is an outside party needed?" in page
    assert "Poliisi" in page


def test_the_responsible_person_sees_the_proposal_at_home_and_decides_it(client, report, supervisor_a, responsible_a):
    propose(supervisor_a, report, responsible_a)
    proposal = InstructionProposal.objects.get()
    client.force_login(responsible_a)
    home = client.get(reverse("home")).content.decode()
    assert "Proposals to change an instruction" in home and reverse("deviations:proposal", args=[proposal.pk]) in home
    url = reverse("deviations:proposal", args=[proposal.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"accepted": "yes", "note": "Päivitetään.", "decided_on": "2020-01-01"})
    assert bad.status_code == 400
    assert "The decision cannot be dated before the proposal." in bad.content.decode()
    assert "Päivitetään." in bad.content.decode()
    ok = client.post(url, {"accepted": "yes", "note": "Päivitetään.", "decided_on": timezone.localdate().isoformat()})
    assert ok.status_code == 302
    assert InstructionProposal.objects.get().state == ProposalState.ACCEPTED
    assert "Proposals to change an instruction" not in client.get(reverse("home")).content.decode()
    decided = client.get(reverse("deviations:proposals") + "?nayta=ratkaistut").content.decode()
    assert "Lääkehoitosuunnitelma: iltalääkkeet" in decided


def test_the_list_and_the_page_by_right_and_unit(
    client, report, supervisor_a, responsible_a, employee_a, supervisor_b, quality_director
):
    propose(supervisor_a, report, responsible_a)
    proposal = InstructionProposal.objects.get()
    client.force_login(employee_a)
    assert client.get(reverse("deviations:proposals")).status_code == 403
    assert client.get(reverse("deviations:proposal", args=[proposal.pk])).status_code == 403
    client.force_login(supervisor_b)
    assert client.get(reverse("deviations:proposal", args=[proposal.pk])).status_code == 404
    client.force_login(quality_director)
    assert "Lääkehoitosuunnitelma: iltalääkkeet" in client.get(reverse("deviations:proposals")).content.decode()


def test_the_proposal_list_reads_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, employee_a, supervisor_a, responsible_a, unit_a, quality_director
):
    def make(n):
        for _ in range(n):
            d = services.deviation_submit(actor=employee_a, **deviation_kwargs(unit_a)).deviation
            propose(supervisor_a, d, responsible_a)

    make(1)
    client.force_login(quality_director)
    url = reverse("deviations:proposals")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    make(6)
    with django_assert_max_num_queries(len(one)):
        assert client.get(url).status_code == 200
