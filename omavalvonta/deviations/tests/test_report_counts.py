"""The reports' running counts (deviations/report_counts.py, models.ReportCount):
whatever writes the reports, the counts equal the reports, and the figures of
every kind of reader are the same as counting the reports themselves."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils import timezone

from omavalvonta.dashboards.selectors import home_summary
from omavalvonta.deviations import report_counts
from omavalvonta.deviations.models import Deviation, ReportCount, State
from omavalvonta.deviations.selectors import _open_figures, deviation_figure_rows, deviation_list
from omavalvonta.deviations.services import deviation_classify, deviation_submit
from omavalvonta.deviations.services.retention import deviations_destroy
from omavalvonta.organisation import access, access_unit
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import MembershipFactory, deviation_kwargs, member


def _report(actor, unit, **overrides):
    return deviation_submit(actor=actor, **deviation_kwargs(unit, **overrides)).deviation


def _own_elsewhere(actor, unit, template, **fields):
    """A copy of `template` in `unit` that `actor` reported (written as it is,
    not through the form: a person reports only in their own units)."""
    copy = Deviation.objects.get(pk=template.pk)
    copy.pk = copy.id = None
    copy.number = f"E-{actor.pk}"
    copy.unit, copy.reporter = unit, actor
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save(force_insert=True)
    return copy


def _raw(today):
    """{(unit id or None, kind, state, mark, overdue): reports} counted from the reports."""
    found = {}
    rows = (
        Deviation.objects.order_by()
        .values_list("unit_id", "kind", "state", "for_team_meeting")
        .annotate(late=Count("pk", filter=Q(due_date__lt=today)), total=Count("pk"))
    )
    for unit_id, kind, state, team, late, total in rows:
        for where in (unit_id, None):
            for overdue, n in ((True, late), (False, total - late)):
                if n:
                    key = (where, kind, state, team, overdue)
                    found[key] = found.get(key, 0) + n
    return found


def _stored(today):
    """The same from the running counts."""
    found = {}
    rows = (
        ReportCount.objects.order_by()
        .annotate(overdue=Q(due_date__lt=today))
        .values_list("unit_id", "kind", "state", "for_team_meeting", "overdue")
        .annotate(total=Sum("n"))
    )
    for unit_id, kind, state, team, overdue, total in rows:
        if total:
            found[(unit_id, kind, state, team, bool(overdue))] = total
    return found


def _figures(rows):
    """(open, overdue, waiting, team meeting) of figure rows."""
    rows = list(rows)
    return (
        sum(n for _s, _t, n, _o in rows),
        sum(o for _s, _t, _n, o in rows),
        sum(n for s, _t, n, _o in rows if s == State.SUBMITTED),
        sum(n for _s, t, n, _o in rows if t),
    )


@pytest.fixture
def reports(employee_a, supervisor_a, supervisor_b, unit_a, unit_b):
    """Reports in both units, in every open state, late and not, one for the team meeting."""
    made = [_report(employee_a, unit_a) for _ in range(3)] + [_report(supervisor_b, unit_b) for _ in range(2)]
    # The kinds that kind-limited readers see (the safety manager, the HR director).
    made += [
        _report(employee_a, unit_a, kind="threat_or_violence", violence_target="staff"),
        _report(supervisor_b, unit_b, kind="harassment"),
    ]
    deviation_classify(actor=supervisor_a, deviation=made[0], consequence=1, likelihood=2, for_team_meeting=True)
    Deviation.objects.filter(pk=made[1].pk).update(state=State.ACTIONS_DECIDED, due_date=timezone.localdate() - dt.timedelta(days=9))
    Deviation.objects.filter(pk=made[3].pk).update(state=State.CLOSED)
    return made


def test_the_triggers_are_installed_by_migrate(db):
    assert report_counts.triggers_installed()


def test_the_counts_equal_the_reports_whatever_writes_them(reports, unit_a, unit_b):
    today = timezone.localdate()
    assert _stored(today) == _raw(today) != {}
    # A bulk insert and a queryset update, as the bench and the jobs write.
    copies = []
    for i, state in enumerate([State.SUBMITTED, State.SUBMITTED, State.CLOSED]):
        copy = Deviation.objects.get(pk=reports[2].pk)
        copy.pk = copy.id = None
        copy.number, copy.state = f"X-{i}", state
        copies.append(copy)
    copies = Deviation.objects.bulk_create(copies)
    assert _stored(today) == _raw(today)
    # A delete of several in one statement.
    Deviation.objects.filter(pk__in=[c.pk for c in copies[:2]]).delete()
    Deviation.objects.filter(pk=reports[4].pk).update(unit=unit_a, for_team_meeting=True)
    # A report saved whole with nothing counted changed adds no rows.
    before = ReportCount.objects.count()
    Deviation.objects.get(pk=reports[2].pk).save()
    assert ReportCount.objects.count() == before
    assert _stored(today) == _raw(today)
    # Retention destroys a closed report.
    assert deviations_destroy(ids=[reports[3].pk]) == [reports[3].pk]
    assert _stored(today) == _raw(today)


def test_compacting_folds_the_past_and_keeps_the_sums(reports):
    today = timezone.localdate()
    before = _stored(today)
    removed = report_counts.report_counts_compact(today=today)
    assert removed > 0
    assert _stored(today) == before
    # Every key has one row left, and every past date is the day before.
    keys = ReportCount.objects.values_list("unit_id", "kind", "state", "for_team_meeting", "due_date")
    assert len(set(keys)) == len(keys)
    assert ReportCount.objects.filter(due_date__lt=today - dt.timedelta(days=1)).count() == 0
    assert not ReportCount.objects.filter(n=0).exists()
    # Compacting again changes nothing; a day later the past moves along.
    assert report_counts.report_counts_compact(today=today) == 0
    later = today + dt.timedelta(days=40)
    report_counts.report_counts_compact(today=later)
    assert _stored(later) == _raw(later)


def test_a_database_without_the_triggers_gets_them_and_a_recount(reports, employee_a, unit_a):
    today = timezone.localdate()
    with connection.cursor() as cursor:
        for name in report_counts.NAMES:
            cursor.execute(f"DROP TRIGGER {name}" + (" ON deviations_deviation" if connection.vendor == "postgresql" else ""))
    assert not report_counts.triggers_installed()
    _report(employee_a, unit_a)  # not counted: no trigger
    assert _stored(today) != _raw(today)
    assert report_counts.ensure() is True
    assert report_counts.triggers_installed()
    assert _stored(today) == _raw(today)
    assert report_counts.ensure() is False  # installed: nothing to do
    _report(employee_a, unit_a)
    assert _stored(today) == _raw(today)


@pytest.mark.parametrize(
    "who",
    ["quality_director", "regional_director_a", "supervisor_a", "hr_director", "safety_manager", "dpo", "employee_a", "hr_and_unit"],
)
def test_every_reader_gets_the_figures_of_their_own_reports(request, reports, who, unit_b):
    actor = request.getfixturevalue("hr_director" if who == "hr_and_unit" else who)
    if who == "hr_and_unit":  # kinds over the organisation and a unit of every kind
        MembershipFactory(user=actor, role=Role.SUPERVISOR, unit=reports[0].unit)
        access.forget(actor)
    # Each reader also reported one elsewhere (counted once, in or outside their
    # units) and handles another.
    _own_elsewhere(actor, unit_b, reports[2])
    Deviation.objects.filter(pk=reports[4].pk).update(handler=actor)
    today = timezone.localdate()
    stored = _figures(deviation_figure_rows(actor=actor, today=today))
    counted = _figures(_open_figures(deviation_list(actor=actor, filters={}), "state", today))
    assert stored == counted


def test_the_kernel_says_which_counts_a_reader_reads(quality_director, regional_director_a, hr_director, supervisor_a, unit_a):
    scope = access_unit.counted_scope
    assert scope(quality_director, "deviation.view", model=Deviation) == (Q(), True, None)
    # A region: its units' counts, and their own reports elsewhere from the reports.
    where, organisation, own = scope(regional_director_a, "deviation.view", model=Deviation)
    assert where and not organisation and own is not None
    # Kinds over the whole organisation: the organisation's counts of those kinds.
    where, organisation, own = scope(hr_director, "deviation.view", model=Deviation)
    assert organisation and "kind__in" in str(where)
    # Kinds and a unit: the units' counts (the organisation's would count unit A's twice).
    MembershipFactory(user=hr_director, role=Role.SUPERVISOR, unit=unit_a)
    access.forget(hr_director)
    assert scope(hr_director, "deviation.view", model=Deviation)[1] is False


def test_the_home_figures_of_a_director_come_from_the_counts(reports, quality_director):
    summary = home_summary(actor=quality_director)
    figures = summary["figures"]
    # Seven reports, one closed, one late (a handling target date 9 days ago), one for the team meeting.
    assert (figures.open, figures.overdue, figures.for_team_meeting) == (6, 1, 1)
    assert figures.not_started == 4


def test_a_regional_director_counts_a_region_from_the_counts_and_own_reports_elsewhere(reports, unit_b, region_a):
    director = member(Role.REGIONAL_DIRECTOR, region=region_a)
    _own_elsewhere(director, unit_b, reports[2])  # their own, outside the region
    rows = list(deviation_figure_rows(actor=director, today=timezone.localdate()))
    # unit A's four open reports (one late, one for the team meeting) and the one of their own
    assert _figures(rows) == (5, 1, 3, 1)


@pytest.mark.parametrize("who", ["quality_director", "regional_director_a", "supervisor_a", "hr_director", "safety_manager"])
@pytest.mark.parametrize("filters", [{}, {"state": "open"}, {"kind": "quality"}, {"state": "bogus"}])
def test_the_list_count_is_the_lists_length(request, reports, who, filters, unit_b):
    from omavalvonta.deviations.selectors import deviation_count

    actor = request.getfixturevalue(who)
    _own_elsewhere(actor, unit_b, reports[2])
    expected = deviation_list(actor=actor, filters=filters).count()
    assert deviation_count(actor=actor, filters=filters) == expected
    assert deviation_count(actor=actor, filters=filters, limit=2) == min(expected, 2)


def test_the_hourly_job_sums_the_counts_and_mends_counts_that_do_not_add_up(reports):
    today = timezone.localdate()
    assert report_counts.report_counts_job() > 0  # the reports' deltas summed
    assert report_counts.report_counts_job() == 0
    ReportCount.objects.filter(unit__isnull=True).delete()  # a write around the triggers
    report_counts.report_counts_job()
    assert _stored(today) == _raw(today)


def test_counts_that_do_not_add_up_are_rebuilt_after_migrate_or_flush(reports):
    today = timezone.localdate()
    # What a flush leaves when it empties the counts before the reports: their deltas.
    ReportCount.objects.create(unit=reports[0].unit, kind="quality", state=State.SUBMITTED, for_team_meeting=False, due_date=today, n=-3)
    assert _stored(today) != _raw(today)
    assert report_counts.ensure() is True
    assert _stored(today) == _raw(today)
    assert report_counts.ensure() is False
