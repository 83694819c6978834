"""Reads of deviations: scoped detail and lists, the reporter's protection, the
timeline, the export, follow-up codes and handler candidates."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from omavalvonta.core.models import AccessLogEntry
from omavalvonta.deviations import identity, selectors, services
from omavalvonta.deviations.models import Deviation
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import UnitFactory, deviation_kwargs, handling_questions_answered, member

HELSINKI = ZoneInfo("Europe/Helsinki")


# Labels are asserted in their English msgids whatever translations exist.
pytestmark = pytest.mark.usefixtures("english_texts")


def submit(actor, unit, **overrides):
    return services.deviation_submit(actor=actor, **deviation_kwargs(unit, **overrides))


def fresh(user):
    """The same person without cached grants, as on a new request."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def report(employee_a, supervisor_a, unit_a):
    return submit(employee_a, unit_a).deviation


@pytest.fixture
def report_b(supervisor_b, unit_b):
    reporter = member(Role.EMPLOYEE, unit=unit_b, full_name="Bertta Beeläinen")
    return submit(reporter, unit_b, description="Unit B:n tapahtuma").deviation


# --- Detail ------------------------------------------------------------------------------


def test_supervisor_gets_the_report_and_the_read_is_logged(report, supervisor_a):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")

    got = selectors.deviation_get(actor=supervisor_a, pk=report.pk, request=request)

    assert got == report
    [entry] = AccessLogEntry.objects.all()
    assert (entry.actor, entry.target_id, entry.what, entry.right) == (
        supervisor_a,
        report.pk,
        "deviation.detail",
        "deviation.view",
    )
    assert entry.unit_id == report.unit_id
    assert entry.ip_address == "10.1.2.3"


def test_other_unit_supervisor_gets_404(report, supervisor_b):
    with pytest.raises(Http404):
        selectors.deviation_get(actor=supervisor_b, pk=report.pk)
    assert AccessLogEntry.objects.count() == 0


def test_colleague_in_the_same_unit_gets_403(report, colleague_a):
    with pytest.raises(PermissionDenied):
        selectors.deviation_get(actor=colleague_a, pk=report.pk)


def test_dpo_gets_403_for_a_quality_report_but_sees_data_protection(report, dpo, employee_a, unit_a):
    data_protection = submit(employee_a, unit_a, kind="data_protection").deviation

    with pytest.raises(PermissionDenied):
        selectors.deviation_get(actor=dpo, pk=report.pk)
    assert selectors.deviation_get(actor=dpo, pk=data_protection.pk) == data_protection


def test_reporter_gets_their_own_report(report, employee_a):
    assert selectors.deviation_get(actor=employee_a, pk=report.pk) == report


def test_unknown_or_malformed_pk_is_404(supervisor_a):
    for pk in (999999, "abc", None):
        with pytest.raises(Http404):
            selectors.deviation_get(actor=supervisor_a, pk=pk)


def test_handle_permission_can_be_asked_for(report, regional_director_a, safety_manager):
    assert selectors.deviation_get(actor=regional_director_a, pk=report.pk, perm="deviation.handle") == report
    assert AccessLogEntry.objects.get().right == "deviation.handle"


# --- Reporter --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supervisor_a", "responsible_a", "quality_director"])
def test_handler_responsible_person_and_quality_director_see_the_reporter(report, employee_a, who, request):
    actor = request.getfixturevalue(who)

    assert identity.reporter_display(actor=actor, deviation=report).name == employee_a.full_name

    [entry] = AccessLogEntry.objects.all()
    assert (entry.actor, entry.what, entry.right) == (actor, "deviation.reporter", "deviation.view_reporter")


@pytest.mark.parametrize("who", ["regional_director_a", "colleague_a", "supervisor_b", "dpo", "safety_manager"])
def test_others_do_not_see_the_reporter(report, who, request):
    assert identity.reporter_display(actor=request.getfixturevalue(who), deviation=report).name is None
    assert AccessLogEntry.objects.count() == 0


def test_supervisor_who_is_not_the_handler_does_not_see_the_reporter(report, supervisor_a, responsible_a):
    services.deviation_assign(actor=supervisor_a, deviation=report, handler=responsible_a)

    assert identity.reporter_display(actor=fresh(supervisor_a), deviation=report).name is None


def test_nobody_sees_the_reporter_of_an_anonymous_report(employee_a, supervisor_a, quality_director, unit_a):
    d = submit(employee_a, unit_a, anonymous=True).deviation

    assert identity.reporter_display(actor=supervisor_a, deviation=d).state == "anonymous"
    assert identity.reporter_display(actor=quality_director, deviation=d).name is None


def test_reporter_sees_themselves_without_a_log_row(report, employee_a):
    assert identity.reporter_display(actor=employee_a, deviation=report).state == "you"
    assert AccessLogEntry.objects.count() == 0


# --- Lists -----------------------------------------------------------------------------------


def test_list_shows_what_the_actor_may_view_newest_first(employee_a, supervisor_a, report_b, unit_a):
    first = submit(employee_a, unit_a, description="ensimmäinen").deviation
    second = submit(employee_a, unit_a, description="toinen").deviation

    assert list(selectors.deviation_list(actor=supervisor_a)) == [second, first]
    assert list(selectors.deviation_list(actor=fresh(employee_a))) == [second, first]  # own reports


def test_list_for_the_quality_director_spans_the_organisation(report, report_b, quality_director):
    assert set(selectors.deviation_list(actor=quality_director)) == {report, report_b}


def test_list_for_the_regional_director_stops_at_the_region(report, report_b, regional_director_a):
    assert list(selectors.deviation_list(actor=regional_director_a)) == [report]


def test_list_for_a_colleague_is_empty(report, colleague_a):
    assert list(selectors.deviation_list(actor=colleague_a)) == []


def test_safety_manager_lists_only_threat_and_violence(report, employee_a, safety_manager, unit_a):
    violence = submit(employee_a, unit_a, kind="threat_or_violence", violence_target="staff").deviation

    assert list(selectors.deviation_list(actor=safety_manager)) == [violence]


def test_list_filters(employee_a, supervisor_a, quality_director, unit_a, unit_b, report_b):
    medication = submit(employee_a, unit_a, kind="medication", medication_stage="giving", description="lääke").deviation
    quality = submit(employee_a, unit_a, description="siivous").deviation
    services.deviation_classify(actor=supervisor_a, deviation=quality, consequence=4, likelihood=5, for_team_meeting=True)
    Deviation.objects.filter(pk=medication.pk).update(due_date=timezone.localdate() - dt.timedelta(days=1))

    def ids(**filters):
        return {d.pk for d in selectors.deviation_list(actor=quality_director, filters=filters)}

    assert ids(kind="medication") == {medication.pk}
    assert ids(state="in_handling") == {quality.pk}
    assert ids(risk_level="very_high") == {quality.pk}
    assert ids(unit=unit_b.pk) == {report_b.pk}
    assert ids(unit=str(unit_a.pk)) == {medication.pk, quality.pk}
    assert ids(region=unit_b.region_id) == {report_b.pk}
    assert ids(overdue=True) == {medication.pk}
    assert ids(overdue="1") == {medication.pk}
    assert ids(q="SIIVOUS") == {quality.pk}
    assert ids(q=medication.number) == {medication.pk}
    assert ids(team_meeting=True) == {quality.pk}
    assert ids(kind="nonsense", unit="x", overdue="", team_meeting="0") == {medication.pk, quality.pk, report_b.pk}


def test_closed_report_is_never_overdue(employee_a, supervisor_a, unit_a):
    d = submit(employee_a, unit_a).deviation
    services.deviation_answer(actor=supervisor_a, deviation=d, answer="Vastaus.")
    handling_questions_answered(supervisor_a, d)
    services.deviation_close(actor=supervisor_a, deviation=d)
    Deviation.objects.filter(pk=d.pk).update(due_date=timezone.localdate() - dt.timedelta(days=10))

    assert list(selectors.deviation_list(actor=supervisor_a, filters={"overdue": True})) == []


def test_date_filters_use_helsinki_days(employee_a, supervisor_a, unit_a):
    # 00:30 on 1 March in Helsinki is still 28 February in UTC.
    early = submit(employee_a, unit_a, submitted_at=dt.datetime(2026, 3, 1, 0, 30, tzinfo=HELSINKI),
                   occurred_at=dt.datetime(2026, 3, 1, 0, 0, tzinfo=HELSINKI)).deviation
    late = submit(employee_a, unit_a, submitted_at=dt.datetime(2026, 2, 28, 23, 30, tzinfo=HELSINKI),
                  occurred_at=dt.datetime(2026, 2, 28, 23, 0, tzinfo=HELSINKI)).deviation

    def ids(**filters):
        return [d.pk for d in selectors.deviation_list(actor=supervisor_a, filters=filters)]

    assert ids(date_from=dt.date(2026, 3, 1)) == [early.pk]
    assert ids(date_to=dt.date(2026, 2, 28)) == [late.pk]
    assert ids(date_from="2026-02-28", date_to="2026-02-28") == [late.pk]
    assert ids(date_from="not a date") == [early.pk, late.pk]


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize(
    ("viewer", "labels"),
    [
        pytest.param(
            "supervisor_a",
            lambda actor: [
                (d.number, d.unit.name, d.unit.region.name, d.handler.full_name)
                for d in selectors.deviation_list(actor=actor, filters={"state": "submitted"})
            ],
            id="the list",
        ),
        pytest.param(
            "employee_a",
            lambda actor: [(d.number, d.unit.name, d.handler.full_name) for d in selectors.deviation_list_mine(actor=actor)],
            id="my reports",
        ),
    ],
)
def test_a_list_runs_a_constant_number_of_queries(
    rows, viewer, labels, request, employee_a, supervisor_a, unit_a, django_assert_num_queries
):
    for _ in range(rows):
        submit(employee_a, unit_a)
    actor = fresh(request.getfixturevalue(viewer))

    # One query for the actor's grants, one for the page with what it shows (unit, region, handler) joined.
    with django_assert_num_queries(2):
        listed = labels(actor)

    assert len(listed) == rows


def test_my_reports_are_the_ones_filed_under_my_name(employee_a, colleague_a, supervisor_a, unit_a):
    mine = submit(employee_a, unit_a).deviation
    submit(employee_a, unit_a, anonymous=True)
    submit(colleague_a, unit_a)

    assert list(selectors.deviation_list_mine(actor=employee_a)) == [mine]


def test_an_inactive_person_lists_no_reports(employee_a, supervisor_a, unit_a):
    submit(employee_a, unit_a)
    employee_a.is_active = False
    employee_a.save()

    assert list(selectors.deviation_list_mine(actor=fresh(employee_a))) == []


# --- Timeline ------------------------------------------------------------------------------


@pytest.fixture
def handled(report, supervisor_a, responsible_a, authority):
    services.deviation_classify(actor=supervisor_a, deviation=report, consequence=3, likelihood=5)
    services.deviation_add_action(
        actor=supervisor_a, deviation=report, title="Tarkistuslista", owner=responsible_a, due_date=timezone.localdate()
    )
    services.deviation_notify_county(
        actor=supervisor_a,
        deviation=report,
        counties=report.unit.counties.all(),
        notify_authority=True,
        subject="Ilmoitus",
        body="Teksti.",
    )
    services.deviation_answer(actor=supervisor_a, deviation=report, answer="Korjattu.")
    handling_questions_answered(supervisor_a, report)
    services.deviation_close(actor=supervisor_a, deviation=report)
    services.deviation_reopen(actor=supervisor_a, deviation=report, reason="Sama toistui")
    return report


def test_timeline_tells_the_story_in_order(handled, quality_director):
    entries = selectors.deviation_timeline(actor=quality_director, deviation=handled)

    assert [e.label for e in entries][:4] == [
        "Submitted",
        "Handler named: Sari Esihenkilö",
        "Classified: risk very high, critical",
        # Critical: the § 28 clock starts at the classification, the responsible persons hear at once.
        "Statutory notification clock started (Sote-valvontalaki (741/2023) 28 §): notify by "
        + timezone.localtime(handled.notification_due_at).strftime("%d.%m.%Y %H:%M"),
    ]
    assert [e.label for e in entries][4:] == [
        "The responsible persons were alerted at once",
        "Corrective action decided",
        "County notified: Pirkanmaan hyvinvointialue",
        "Supervisory authority notified",
        "Statutory notifications completed in time",
        "Reporter answered",
        "Handling questions answered",
        "Closed",
        "Reopened: Sama toistui",
    ]
    assert [e.actor_name for e in entries] == [
        "Eeva Työntekijä",
        None,  # routed by the system
        "Sari Esihenkilö",
        "Sari Esihenkilö",
        None,  # the system alerted
        "Sari Esihenkilö",
        "Sari Esihenkilö",
        "Sari Esihenkilö",
        "Sari Esihenkilö",
        "Sari Esihenkilö",
        "Sari Esihenkilö",
        "Sari Esihenkilö",
        "Sari Esihenkilö",
    ]
    assert all(isinstance(e.at, dt.datetime) for e in entries)


def test_timeline_hides_the_reporter_from_those_who_may_not_see_them(report, regional_director_a):
    entries = selectors.deviation_timeline(actor=regional_director_a, deviation=report)

    assert entries[0].label == "Submitted"
    assert entries[0].actor_name is None


def test_timeline_shows_the_reporter_their_own_name(report, employee_a):
    assert selectors.deviation_timeline(actor=employee_a, deviation=report)[0].actor_name == "Eeva Työntekijä"


def test_timeline_of_an_anonymous_report_names_no_reporter(employee_a, supervisor_a, quality_director, unit_a):
    d = submit(employee_a, unit_a, anonymous=True).deviation

    entries = selectors.deviation_timeline(actor=quality_director, deviation=d)

    assert entries[0].actor_name is None
    assert all("Eeva" not in (e.actor_name or "") + e.label for e in entries)


def test_timeline_tells_escalations(employee_a, supervisor_a, responsible_a, unit_a, authority):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=HELSINKI), tick=False):
        d = submit(employee_a, unit_a, kind="grievance").deviation
    with time_machine.travel(dt.datetime(2026, 3, 9, 10, 0, tzinfo=HELSINKI), tick=False):
        services.deviations_escalate_stalled()
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=HELSINKI), tick=False):
        services.deviation_notify_county(actor=supervisor_a, deviation=d, counties=d.unit.counties.all(), subject="S", body="B")
    with time_machine.travel(dt.datetime(2026, 4, 1, 10, 0, tzinfo=HELSINKI), tick=False):
        services.deviation_escalate_to_authority(actor=supervisor_a, deviation=d, subject="S", body="B")

    labels = [e.label for e in selectors.deviation_timeline(actor=supervisor_a, deviation=d)]

    assert labels[-3:] == [
        "Escalated to the manager",
        "County notified: Pirkanmaan hyvinvointialue",
        "Escalated to the supervisory authority",
    ]


# --- Export -----------------------------------------------------------------------------------


def test_export_has_a_header_and_no_reporter_identity(employee_a, supervisor_a, quality_director, unit_a, report_b):
    with time_machine.travel(dt.datetime(2026, 7, 1, 21, 30, tzinfo=dt.UTC), tick=False):  # 00:30 on 2.7. in Helsinki
        d = submit(employee_a, unit_a, occurred_at=dt.datetime(2026, 7, 1, 20, 0, tzinfo=dt.UTC)).deviation
    services.deviation_classify(actor=supervisor_a, deviation=d, consequence=2, likelihood=4)

    rows = list(selectors.deviation_export_rows(actor=quality_director, filters={"unit": unit_a.pk}))

    header, row = rows
    assert header[:5] == ["Number", "Type", "State", "Unit", "Region"]
    assert len(row) == len(header)
    values = dict(zip(header, row, strict=True))
    assert values["Number"] == d.number
    assert values["Type"] == "Quality deviation"
    assert values["Unit"] == "Lastenkoti Koivu"
    assert values["Occurred"] == "01.07.2026 23:00"
    assert values["Submitted"] == "02.07.2026 00:30"
    assert values["Risk level"] == "High"
    assert values["Handler"] == "Sari Esihenkilö"
    flat = " ".join(" ".join(r) for r in rows)
    assert "Eeva" not in flat
    assert "eeva@" not in flat
    assert d.description not in flat


def test_export_streams(quality_director, report):
    rows = selectors.deviation_export_rows(actor=quality_director)

    assert iter(rows) is rows
    assert len(list(rows)) == 2


def test_export_stays_in_the_actors_units(report, report_b, supervisor_a):
    rows = list(selectors.deviation_export_rows(actor=supervisor_a))

    assert [r[0] for r in rows[1:]] == [report.number]


def test_export_does_not_include_reports_seen_only_as_reporter(report, employee_a):
    with pytest.raises(PermissionDenied):
        selectors.deviation_export_rows(actor=employee_a)


def test_export_defuses_spreadsheet_formulas(employee_a, quality_director, region_a):
    unit = UnitFactory(region=region_a, name="=HYPERLINK(\"x\")", public_slug="evil")
    member(Role.SUPERVISOR, unit=unit)
    reporter = member(Role.EMPLOYEE, unit=unit)
    submit(reporter, unit)

    [_, row] = list(selectors.deviation_export_rows(actor=quality_director))

    assert row[3].startswith("'=")


# --- Follow-up code -------------------------------------------------------------------------


def test_followup_code_finds_the_report_however_it_is_typed(employee_a, supervisor_a, unit_a):
    result = submit(employee_a, unit_a, anonymous=True)
    code = result.followup_code

    assert selectors.deviation_for_followup_code(code=code) == result.deviation
    assert selectors.deviation_for_followup_code(code=f" {code.lower().replace('-', ' ')} ") == result.deviation


def test_wrong_or_malformed_followup_code_finds_nothing(employee_a, supervisor_a, unit_a):
    submit(employee_a, unit_a, anonymous=True)

    assert selectors.deviation_for_followup_code(code="AAAA-BBBB-CCCC") is None
    assert selectors.deviation_for_followup_code(code="") is None
    assert selectors.deviation_for_followup_code(code="x" * 500) is None


def test_named_report_has_no_followup_code_to_find(report):
    assert report.followup_code_digest == ""
    assert selectors.deviation_for_followup_code(code="") is None


# --- Handler candidates -------------------------------------------------------------------------


def test_handler_candidates_are_the_people_who_may_handle_in_the_unit(
    unit_a, employee_a, supervisor_a, responsible_a, regional_director_a, quality_director, supervisor_b, safety_manager,
    dpo,
):
    gone = member(Role.SUPERVISOR, unit=unit_a, full_name="Aino Entinen", is_active=False)

    names = [u.full_name for u in selectors.handler_candidates(unit=unit_a)]

    assert names == sorted(names)
    assert set(names) == {
        "Sari Esihenkilö",
        "Veikko Vastuuhenkilö",
        "Riitta Aluejohtaja",
        "Laura Laatujohtaja",
        "Tiina Tietosuoja",
    }
    assert gone.full_name not in names


def test_handler_candidates_for_a_type_leave_out_roles_limited_to_other_types(unit_a, supervisor_a, dpo):
    assert list(selectors.handler_candidates(unit=unit_a, kind="quality")) == [supervisor_a]
    assert set(selectors.handler_candidates(unit=unit_a, kind="data_protection")) == {supervisor_a, dpo}


def test_person_with_two_memberships_is_listed_once(unit_a, supervisor_a, region_a):
    member_again = supervisor_a.memberships.create(role=Role.REGIONAL_DIRECTOR, region=region_a)

    assert list(selectors.handler_candidates(unit=unit_a)) == [supervisor_a]
    assert member_again.pk
