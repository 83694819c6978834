"""The complaint's rules: the deadline from the organisation's setting, the
handler among those who may handle, the answer's required fields, the reminder
and the escalation once each, the figures of the follow-up report, the home
block and the timeline, and nothing of the complainant in an e-mail."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from omavalvonta.complaints import selectors, services
from omavalvonta.complaints.models import Complaint, ComplaintSettings, State
from omavalvonta.core import registry
from omavalvonta.dashboards.timeline import unit_timeline
from omavalvonta.improvement.models import Action
from omavalvonta.notifications.models import Notification
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import member
from omavalvonta.yearclock import duties

TODAY = dt.date(2026, 11, 2)
NAME = "Maija Muistuttaja"
CONTACT = "maija@example.test"


def _register(actor, unit, **overrides):
    kwargs = {
        "received_on": TODAY, "received_via": "letter", "complainant_kind": "guardian",
        "complainant_name": NAME, "complainant_contact": CONTACT,
        "subject": "Lapsen puhelin otettiin pois viikoksi ilman perusteluja.", "today": TODAY,
    }
    kwargs.update(overrides)
    return services.complaint_register(actor=actor, unit=unit, **kwargs)


def at(day, hour=9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_the_due_date_comes_from_the_organisations_setting(supervisor_a, unit_a, quality_director):
    assert _register(supervisor_a, unit_a).answer_due == TODAY + dt.timedelta(days=30)
    services.complaint_settings_save(actor=quality_director, answer_days=14)
    later = _register(supervisor_a, unit_a)
    assert later.answer_due == TODAY + dt.timedelta(days=14)
    # A complaint already recorded keeps its due date.
    assert Complaint.objects.order_by("pk").first().answer_due == TODAY + dt.timedelta(days=30)
    assert ComplaintSettings.objects.count() == 1


def test_only_an_organisation_wide_handler_sets_the_deadline_within_bounds(supervisor_a, quality_director):
    with pytest.raises(PermissionDenied):
        services.complaint_settings_save(actor=supervisor_a, answer_days=10)
    for bad in (0, 91, "30"):
        with pytest.raises(ValidationError) as error:
            services.complaint_settings_save(actor=quality_director, answer_days=bad)
        assert "answer_days" in error.value.message_dict


def test_recording_needs_the_right_in_the_unit(employee_a, supervisor_b, unit_a):
    for actor in (employee_a, supervisor_b):
        with pytest.raises(PermissionDenied):
            _register(actor, unit_a)


def test_recording_refuses_missing_and_future_fields(supervisor_a, unit_a):
    with pytest.raises(ValidationError) as error:
        _register(supervisor_a, unit_a, complainant_name=" ", subject="", complainant_kind="x",
                  received_on=TODAY + dt.timedelta(days=1))
    assert set(error.value.message_dict) == {"complainant_name", "subject", "complainant_kind", "received_on"}
    assert not Complaint.objects.exists()


def test_the_handler_is_chosen_among_those_who_may_handle_the_unit(supervisor_a, employee_a, supervisor_b, unit_a):
    complaint = _register(supervisor_a, unit_a)
    assert complaint.state == State.RECEIVED and complaint.handler is None
    for wrong in (employee_a, supervisor_b):
        with pytest.raises(ValidationError) as error:
            services.complaint_assign(actor=supervisor_a, complaint=complaint, handler=wrong)
        assert "handler" in error.value.message_dict
    responsible = member(Role.RESPONSIBLE_PERSON, unit=unit_a)
    complaint = services.complaint_assign(actor=supervisor_a, complaint=complaint, handler=responsible)
    assert complaint.state == State.IN_HANDLING and complaint.handler == responsible
    # The handler hears of it by number and unit: never the complainant or what they wrote.
    [told] = Notification.objects.filter(kind="complaint.assigned")
    assert told.recipient == responsible
    assert NAME not in told.subject + told.body and CONTACT not in told.body and "puhelin" not in told.body


def test_the_answer_needs_its_date_and_gist(supervisor_a, unit_a):
    complaint = _register(supervisor_a, unit_a, handler=supervisor_a)
    with pytest.raises(ValidationError) as error:
        services.complaint_answer(actor=supervisor_a, complaint=complaint, answered_on=None, answer_summary=" ", today=TODAY)
    assert set(error.value.message_dict) == {"answered_on", "answer_summary"}
    for day in (TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as error:
            services.complaint_answer(actor=supervisor_a, complaint=complaint, answered_on=day, answer_summary="Vastaus.",
                                      today=TODAY)
        assert "answered_on" in error.value.message_dict
    complaint = services.complaint_answer(
        actor=supervisor_a, complaint=complaint, answered_on=TODAY, answer_summary="Pahoittelimme; ohje päivitetään.",
        today=TODAY,
    )
    assert complaint.state == State.ANSWERED and not complaint.answered_late
    with pytest.raises(ValidationError):
        services.complaint_answer(actor=supervisor_a, complaint=complaint, answered_on=TODAY, answer_summary="Uudelleen.",
                                  today=TODAY)
    services.complaint_close(actor=supervisor_a, complaint=complaint)
    assert Complaint.objects.get().state == State.CLOSED


def test_an_action_it_led_to_has_the_complaint_as_its_source(supervisor_a, employee_a, unit_a):
    complaint = _register(supervisor_a, unit_a, received_on=timezone.localdate(), today=None)
    action = services.complaint_action_create(
        actor=supervisor_a, complaint=complaint, title="Päivitetään puhelinohje", owner=employee_a,
        due_date=timezone.localdate() + dt.timedelta(days=10),
    )
    assert (action.source_id, action.source_type.model, action.unit_id) == (complaint.pk, "complaint", unit_a.pk)
    assert Action.objects.count() == 1


def test_the_answer_is_reminded_to_the_handler_then_escalated_once_each(supervisor_a, responsible_a, unit_a, time_machine):
    complaint = _register(supervisor_a, unit_a, handler=supervisor_a)
    due = complaint.answer_due
    Notification.objects.all().delete()
    # More than a week before the due date: nothing.
    time_machine.move_to(at(due - dt.timedelta(days=8)), tick=False)
    duties.duties_remind_and_escalate(now=at(due - dt.timedelta(days=8)))
    assert not Notification.objects.filter(kind__startswith="duty.").exists()
    # A week before: the handler is reminded, once.
    for day in (due - dt.timedelta(days=7), due - dt.timedelta(days=6), due):
        time_machine.move_to(at(day), tick=False)
        duties.duties_remind_and_escalate(now=at(day))
    reminders = list(Notification.objects.filter(kind="duty.reminder"))
    assert [n.recipient_id for n in reminders] == [supervisor_a.pk]
    assert not Notification.objects.filter(kind="duty.late").exists()
    # Late: escalated to the unit's other leaders, once.
    for day in (due + dt.timedelta(days=1), due + dt.timedelta(days=2)):
        time_machine.move_to(at(day), tick=False)
        duties.duties_remind_and_escalate(now=at(day))
    late = list(Notification.objects.filter(kind="duty.late"))
    assert [n.recipient_id for n in late] == [responsible_a.pk]
    for n in reminders + late:
        assert NAME not in n.subject + n.body and "puhelin" not in n.body and f"#{complaint.pk}" in n.subject


def test_an_answered_complaint_is_no_longer_a_duty(supervisor_a, unit_a):
    complaint = _register(supervisor_a, unit_a, handler=supervisor_a)
    due = complaint.answer_due
    assert [d.key for d in selectors.complaint_duties(today=due)] == [f"complaints:{complaint.pk}"]
    services.complaint_answer(actor=supervisor_a, complaint=complaint, answered_on=TODAY, answer_summary="Vastattu.",
                              today=TODAY)
    assert selectors.complaint_duties(today=due + dt.timedelta(days=5)) == []


def test_the_calendar_counts_the_answers_in_the_database_as_the_duties_say(supervisor_a, unit_a, unit_b):
    supervisor_b = member(Role.SUPERVISOR, unit=unit_b)
    first = _register(supervisor_a, unit_a, handler=supervisor_a)
    _register(supervisor_a, unit_a, handler=supervisor_a, received_on=TODAY - dt.timedelta(days=3))
    _register(supervisor_b, unit_b, handler=supervisor_b)
    due = first.answer_due
    for day in (due - dt.timedelta(days=30), due - dt.timedelta(days=2), due, due + dt.timedelta(days=1), due + dt.timedelta(days=9)):
        for unit_ids in (None, [unit_a.pk]):
            in_database, from_duties = duties.source_counts_both_ways("complaints.answers", today=day, unit_ids=unit_ids)
            assert in_database == from_duties, (day, unit_ids)
    in_database, _ = duties.source_counts_both_ways("complaints.answers", today=due + dt.timedelta(days=1))
    assert in_database[unit_a.pk]["late"] == 2 and in_database[unit_b.pk]["late"] == 1


def test_the_followup_figures_count_in_time_late_and_hide_small_counts(supervisor_a, unit_a, unit_b, quality_director):
    supervisor_b = member(Role.SUPERVISOR, unit=unit_b)
    kinds = ["child"] * 3 + ["guardian"] * 5
    for i, kind in enumerate(kinds):
        complaint = _register(supervisor_a, unit_a, complainant_kind=kind, received_on=TODAY - dt.timedelta(days=60))
        if i < 5:  # answered in time
            services.complaint_answer(actor=supervisor_a, complaint=complaint, answered_on=TODAY - dt.timedelta(days=50),
                                      answer_summary="Vastattu.", today=TODAY)
        elif i == 5:  # answered late
            services.complaint_answer(actor=supervisor_a, complaint=complaint, answered_on=TODAY - dt.timedelta(days=2),
                                      answer_summary="Vastattu myöhässä.", today=TODAY)
    _register(supervisor_b, unit_b, received_on=TODAY - dt.timedelta(days=60))
    section = registry.get(registry.REPORT_SECTIONS, "complaints").func
    figures = section(actor=quality_director, period_start=TODAY - dt.timedelta(days=90), period_end=TODAY)
    # Nine received, five in time; one answered late and two still owed past due: three late (under five: hidden).
    assert (figures["received"], figures["answered_in_time"], figures["late"]) == (9, 5, None)
    assert figures["by_kind"] == [{"label": "The child or young person", "count": None},
                                  {"label": "A parent or guardian", "count": 6}]
    # One unit, read by its supervisor: the other unit's complaint is not counted.
    mine = section(actor=supervisor_a, unit=unit_a, period_start=TODAY - dt.timedelta(days=90), period_end=TODAY)
    assert mine["received"] == 8
    assert section(actor=supervisor_a, unit=unit_b, period_start=TODAY, period_end=TODAY) == {}
    assert NAME not in str(figures)


def test_the_home_block_lists_the_open_complaints_i_handle_late_ones_marked(supervisor_a, unit_a, employee_a):
    late = _register(supervisor_a, unit_a, handler=supervisor_a, received_on=timezone.localdate() - dt.timedelta(days=40),
                     today=None)
    fresh = _register(supervisor_a, unit_a, handler=supervisor_a, received_on=timezone.localdate(), today=None)
    _register(supervisor_a, unit_a)  # no handler: not theirs
    block = selectors.home_items(actor=supervisor_a)
    assert [(r["complaint"].pk, r["late"]) for r in block["rows"]] == [(late.pk, True), (fresh.pk, False)]
    assert block["late"] == 1
    assert selectors.home_items(actor=employee_a) is None


def _timeline(actor, unit, **window):
    """The complaints' entries on the unit's timeline (dashboards reads the slot)."""
    return unit_timeline(actor=actor, unit=unit, areas={"complaints"}, **window).entries


def test_the_timeline_names_numbers_only(supervisor_a, unit_a, employee_a):
    complaint = _register(supervisor_a, unit_a, handler=supervisor_a)
    services.complaint_answer(actor=supervisor_a, complaint=complaint, answered_on=TODAY, answer_summary="Vastattu.",
                              today=TODAY)
    rows = _timeline(supervisor_a, unit_a)
    assert sorted(r.kind for r in rows) == ["answered", "received"]
    assert all(NAME not in r.title and f"#{complaint.pk}" in r.title for r in rows)
    assert registry.get(registry.UNIT_TIMELINE, "complaints").func(actor=employee_a, unit=unit_a) == []


def test_a_public_complaint_is_received_today_without_a_handler_and_told_to_the_units_leaders(unit_a, supervisor_a):
    complaint = services.complaint_public_submit(
        unit=unit_a, complainant_kind="child", complainant_name="Nuori", complainant_contact="0401234567",
        subject="Minua kohdeltiin huonosti.",
    )
    assert (complaint.received_via, complaint.state, complaint.created_by) == ("public_site", State.RECEIVED, None)
    assert complaint.answer_due == timezone.localdate() + dt.timedelta(days=30)
    [told] = Notification.objects.filter(kind="complaint.received")
    assert told.recipient == supervisor_a and "Nuori" not in told.body and "huonosti" not in told.body
    with pytest.raises(ValidationError) as error:
        services.complaint_public_submit(unit=unit_a, complainant_kind="child", complainant_name="", complainant_contact="",
                                         subject="")
    assert set(error.value.message_dict) == {"sender_name", "sender_contact", "message"}


def test_the_timeline_window_keeps_each_event_on_its_own_day(supervisor_a, unit_a):
    """A complaint answered after the window still shows its receipt inside it,
    and the newest events come first however the window cuts them."""
    old = _register(supervisor_a, unit_a, handler=supervisor_a, received_on=TODAY - dt.timedelta(days=20))
    services.complaint_answer(actor=supervisor_a, complaint=old, answered_on=TODAY, answer_summary="Vastattu.", today=TODAY)
    newer = _register(supervisor_a, unit_a, received_on=TODAY - dt.timedelta(days=5))
    window = {"after": at(TODAY - dt.timedelta(days=30), 0), "before": at(TODAY - dt.timedelta(days=1), 0)}
    rows = _timeline(supervisor_a, unit_a, **window)
    assert [(r.kind, r.link.rstrip("/").rsplit("/", 1)[1]) for r in rows] == [
        ("received", str(newer.pk)), ("received", str(old.pk))
    ]
    newest = _timeline(supervisor_a, unit_a, limit=1)
    assert [(r.kind, r.title) for r in newest] == [("answered", f"Complaint answered (#{old.pk})")]
