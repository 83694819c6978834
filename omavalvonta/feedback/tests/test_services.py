"""Feedback services and figures with known data: NPS, averages, the small-group
rule, single-use links, kiosk tokens, on-behalf recording, question-set versions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from omavalvonta.core.models import AuditEvent
from omavalvonta.feedback import reports, selectors, services
from omavalvonta.feedback.figures import Cell, nps_of
from omavalvonta.feedback.models import Channel, Question, Response, ResponseLink, Survey, SurveyState
from omavalvonta.feedback.tests.helpers import answer, open_round
from omavalvonta.feedback.tokens import token_digest

pytestmark = pytest.mark.django_db


def test_default_question_sets_exist_for_every_group_in_three_languages():
    for group in ("child", "parent", "social_worker"):
        survey = services.current_survey(group)
        assert survey is not None and survey.version == 1
        nps = survey.questions.get(kind="nps")
        assert all(nps.text[lang] for lang in ("fi", "sv", "en"))
    assert services.current_survey("child").questions.filter(kind="faces").count() == 5


def test_nps_is_promoters_minus_detractors_in_percent():
    assert nps_of(5, 2, 10) == 30
    assert nps_of(0, 4, 4) == -100
    assert nps_of(0, 0, 0) is None


def test_unit_figures_with_known_answers(supervisor_a, unit_a):
    round_ = open_round(supervisor_a, unit_a)
    # 10 children: NPS answers 10,10,9,9,8,7,6,5,3,0 -> 4 promoters, 4 detractors -> 0
    for nps, safe in [(10, 5), (10, 5), (9, 4), (9, 4), (8, 4), (7, 3), (6, 3), (5, 2), (3, 2), (0, 1)]:
        answer(round_, "child", nps=nps, safe=safe)
    # 6 parents, 5 promoters and 1 passive: NPS +83
    for nps in [10, 10, 9, 9, 9, 8]:
        answer(round_, "parent", nps=nps, safe=4)
    results = selectors.unit_results(actor=supervisor_a, unit=unit_a)
    child, parent, social = results["reports"]
    assert (child.latest.n, child.latest.nps) == (10, 0)
    assert dict((text, avg) for text, avg, _c in child.items)["I feel safe here."] == 3.3
    assert (parent.latest.n, parent.latest.nps) == (6, 83)
    assert social.latest.n == 0 and social.latest.nps is None


def test_a_group_with_fewer_than_five_answers_is_not_shown(supervisor_a, unit_a):
    round_ = open_round(supervisor_a, unit_a)
    for nps in [10, 10, 0, 0]:
        answer(round_, "social_worker", nps=nps, safe=5, text="Hyvä yhteistyö")
    report = selectors.unit_results(actor=supervisor_a, unit=unit_a)["reports"][2]
    assert report.latest.n == 4
    assert report.latest.hidden and report.latest.nps is None
    assert all(avg is None for _t, avg, _c in report.items)
    # The fifth answer makes the group visible.
    answer(round_, "social_worker", nps=10)
    report = selectors.unit_results(actor=supervisor_a, unit=unit_a)["reports"][2]
    assert report.latest.nps == 20  # 3 promoters, 2 detractors of 5


def test_free_texts_of_a_small_group_carry_no_group_label(supervisor_a, unit_a):
    round_ = open_round(supervisor_a, unit_a)
    answer(round_, "child", nps=9, text="Ruoka on hyvää")
    texts = selectors.unit_results(actor=supervisor_a, unit=unit_a)["free_texts"]
    assert texts == [(None, "Ruoka on hyvää")]


def test_cell_hides_an_item_with_few_answers_even_in_a_big_group():
    cell = Cell(n=8, nps_answered=3, promoters=3, items={"safe": (4.0, 3)})
    assert cell.nps is None and cell.item("safe") is None


def test_organisation_comparison_includes_every_unit(supervisor_a, supervisor_b, unit_a, unit_b):
    round_a, round_b = open_round(supervisor_a, unit_a), open_round(supervisor_b, unit_b)
    for _ in range(5):
        answer(round_a, "parent", nps=10)
        answer(round_b, "parent", nps=0)
    parent = selectors.unit_results(actor=supervisor_a, unit=unit_a)["reports"][1]
    assert parent.latest.nps == 100 and parent.latest_comparison.nps == 0


def test_single_use_link_answers_once(supervisor_a, unit_a):
    round_ = open_round(supervisor_a, unit_a)
    [token] = services.links_create(actor=supervisor_a, round=round_, group="parent", count=1)
    link = ResponseLink.objects.get()
    assert link.token_digest == token_digest(token) and token not in link.token_digest
    services.response_submit_with_link(token=token, answers={"nps": 9}, language="fi")
    with pytest.raises(services.LinkUnavailable):
        services.response_submit_with_link(token=token, answers={"nps": 3}, language="fi")
    assert Response.objects.count() == 1
    assert Response.objects.get().channel == Channel.LINK


def test_an_answer_stores_nothing_that_points_at_a_person_or_link(supervisor_a, unit_a):
    field_names = {f.name for f in Response._meta.get_fields()}
    assert not field_names & {"user", "ip", "address", "link", "created_at", "token"}
    round_ = open_round(supervisor_a, unit_a)
    [token] = services.links_create(actor=supervisor_a, round=round_, group="parent", count=1)
    services.response_submit_with_link(token=token, answers={"nps": 9}, language="fi")
    assert not AuditEvent.objects.filter(verb__startswith="feedback.response").exists()


def test_unknown_or_malformed_tokens_are_refused(supervisor_a, unit_a):
    with pytest.raises(services.LinkUnavailable):
        services.response_submit_with_link(token="nope", answers={"nps": 9}, language="fi")
    with pytest.raises(services.LinkUnavailable):
        services.response_submit_kiosk(token="../../etc", answers={"nps": 9}, language="fi")


def test_answer_values_are_validated(supervisor_a, unit_a):
    round_ = open_round(supervisor_a, unit_a)
    [token] = services.links_create(actor=supervisor_a, round=round_, group="child", count=1)
    with pytest.raises(ValidationError) as error:
        services.response_submit_with_link(token=token, answers={"nps": 11, "safe": 0}, language="fi")
    assert set(error.value.message_dict) == {"nps", "safe"}
    with pytest.raises(ValidationError):
        services.response_submit_with_link(token=token, answers={}, language="fi")
    assert not ResponseLink.objects.get().used  # a refused answer does not use the link up


def test_kiosk_answers_many_times_until_stopped(supervisor_a, unit_a):
    round_ = open_round(supervisor_a, unit_a)
    token = services.kiosk_start(actor=supervisor_a, round=round_, group="child")
    for _ in range(3):
        services.response_submit_kiosk(token=token, answers={"safe": 5}, language="fi")
    assert Response.objects.filter(channel=Channel.KIOSK).count() == 3
    kiosk = round_.kiosks.get()
    services.kiosk_stop(actor=supervisor_a, kiosk=kiosk)
    with pytest.raises(services.LinkUnavailable):
        services.response_submit_kiosk(token=token, answers={"safe": 5}, language="fi")


def test_staff_record_on_behalf_marked_as_such(supervisor_a, employee_a, unit_a):
    round_ = open_round(supervisor_a, unit_a)
    response = services.response_record_on_behalf(
        actor=supervisor_a, round=round_, group="child", channel=Channel.ORAL, answers={"safe": 4, "nps": 8}
    )
    assert response.on_behalf and response.channel == "oral"
    event = AuditEvent.objects.get(verb="feedback.recorded_on_behalf")
    assert event.actor == supervisor_a and "response" not in event.data
    with pytest.raises(PermissionDenied):
        services.response_record_on_behalf(
            actor=employee_a, round=round_, group="child", channel=Channel.ORAL, answers={"safe": 4}
        )
    with pytest.raises(ValidationError):
        services.response_record_on_behalf(
            actor=supervisor_a, round=round_, group="child", channel=Channel.KIOSK, answers={"safe": 4}
        )


def test_round_rules(supervisor_a, supervisor_b, unit_a):
    round_ = services.round_create(actor=supervisor_a, unit=unit_a, year=2026, quarter=4)
    assert str(round_.opens_on) == "2026-10-01" and str(round_.closes_on) == "2026-12-31"
    with pytest.raises(ValidationError):
        services.round_create(actor=supervisor_a, unit=unit_a, year=2026, quarter=4)
    with pytest.raises(ValidationError):
        services.round_create(actor=supervisor_a, unit=unit_a, year=2026, quarter=5)
    with pytest.raises(PermissionDenied):
        services.round_create(actor=supervisor_b, unit=unit_a, year=2027, quarter=1)


def test_publishing_a_new_version_keeps_old_answers_comparable(quality_director, supervisor_a, unit_a):
    round_ = open_round(supervisor_a, unit_a)
    for _ in range(5):
        answer(round_, "parent", nps=10, safe=5)
    v1 = services.current_survey("parent")
    draft = services.survey_draft_for(actor=quality_director, group="parent")
    assert draft.version == 2 and draft.state == SurveyState.DRAFT
    questions = [
        {"key": q.key, "kind": q.kind, "text": {**q.text, "fi": q.text["fi"] + " (uusi)"}, "required": False}
        for q in draft.questions.all()
    ]
    services.survey_draft_save(actor=quality_director, survey=draft, title=draft.title, intro=draft.intro, questions=questions)
    services.survey_publish(actor=quality_director, survey=draft)
    v1.refresh_from_db()
    assert v1.state == SurveyState.RETIRED and services.current_survey("parent") == draft
    for _ in range(5):
        answer(round_, "parent", nps=0, safe=1)
    parent = selectors.unit_results(actor=supervisor_a, unit=unit_a)["reports"][1]
    assert parent.latest.n == 10 and parent.latest.nps == 0
    assert [avg for _t, avg, _c in parent.items if avg is not None] == [3.0]


def test_draft_save_refuses_bad_sets(quality_director, supervisor_a):
    draft = services.survey_draft_for(actor=quality_director, group="child")
    with pytest.raises(ValidationError) as error:
        services.survey_draft_save(
            actor=quality_director,
            survey=draft,
            title={"fi": ""},
            intro={},
            questions=[
                {"key": "a", "kind": "nps", "text": {"fi": "x"}},
                {"key": "a", "kind": "nps", "text": {"fi": ""}},
            ],
        )
    assert set(error.value.message_dict) == {"title", "questions"}
    with pytest.raises(PermissionDenied):
        services.survey_draft_for(actor=supervisor_a, group="child")
    published = Survey.objects.get(group="child", state="published")
    with pytest.raises(ValidationError):
        services.survey_draft_save(actor=quality_director, survey=published, title={"fi": "x"}, intro={}, questions=[])
    assert Question.objects.filter(survey=published).count() == 7


def test_agenda_hook_gives_last_months_report(supervisor_a, unit_a, employee_a):
    import datetime as dt

    import time_machine

    with time_machine.travel(dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC)):
        round_ = open_round(supervisor_a, unit_a)
        for nps in [10, 10, 9, 3, 8]:
            answer(round_, "parent", nps=nps, submitted_on=dt.date(2026, 10, 15))
        answer(round_, "child", nps=10, submitted_on=dt.date(2026, 10, 16))
        [item] = reports.feedback_report_for_agenda(actor=supervisor_a, unit=unit_a)
        assert item["title"] == "Client feedback report 10/2026"
        assert "Parents: 5 answers, NPS +40" in item["note"]
        assert "Children and young people: 1 answer (fewer than five" in item["note"]
        assert reports.feedback_report_for_agenda(actor=employee_a, unit=unit_a) == []


def test_a_new_team_meeting_gets_last_months_feedback_report_on_its_agenda(supervisor_a, unit_a):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from omavalvonta.meetings.models import AgendaItemKind, MeetingKind
    from omavalvonta.meetings.services import meeting_create

    with time_machine.travel(dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC)):
        round_ = open_round(supervisor_a, unit_a)
        for nps in [10, 10, 9, 9, 6]:
            answer(round_, "parent", nps=nps, submitted_on=dt.date(2026, 10, 20))
        meeting = meeting_create(
            actor=supervisor_a,
            unit=unit_a,
            kind=MeetingKind.TEAM,
            title="",
            starts_at=timezone.now() + dt.timedelta(hours=2),
            location="Kahvihuone",
        )
        item = meeting.items.get(kind=AgendaItemKind.FEEDBACK_REPORT)
        assert item.title == "Client feedback report 10/2026" and "NPS +60" in item.note
