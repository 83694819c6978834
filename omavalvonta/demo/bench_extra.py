"""The rest of the bench's organisation, each part added once to a bench
dataset that lacks it (so `manage.py bench --reuse` can grow an existing one):

* client feedback at scale: a round per unit and quarter for the last eight
  quarters and `responses` answers with their question answers (about 4.6
  per response), written with COPY on PostgreSQL (a million responses in a few
  minutes) and executemany elsewhere; then the tallies from the answers;
* the quality calendar: the default obligations and their occurrences for every unit;
* plans: approved plans of the measured unit (its public pages), and a
  follow-up report of the last four months.

Rows are plausible, not written through the services (except the calendar and
the plans, which are few): millions of answers through the services would take hours."""

from __future__ import annotations

import datetime as dt
import random
import time

from django.db import connection, transaction
from django.utils import timezone

BATCH = 20_000
GROUP_WEIGHTS = (("child", 40), ("parent", 35), ("social_worker", 25))
CHANNELS = ("link", "link", "kiosk", "kiosk", "oral", "paper")


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


class _Writer:
    """Rows into a table: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, model, fields: list[str]):
        self.table = model._meta.db_table
        self.columns = [model._meta.get_field(f).column for f in fields]

    def write(self, rows: list[tuple]) -> None:
        if not rows:
            return
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cols = ", ".join(qn(c) for c in self.columns)
                with cursor.cursor.copy(f"COPY {qn(self.table)} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {qn(self.table)} ({', '.join(qn(c) for c in self.columns)}) VALUES ({marks})", rows
                )


def _reset_sequence(model) -> None:
    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM {connection.ops.quote_name(table)}))",
            [table],
        )


def build_feedback(*, units, responses: int, seed: int = 2026, log=print) -> None:
    from omavalvonta.demo.feedback import _quarters_back
    from omavalvonta.feedback import tallies
    from omavalvonta.feedback.defaults import seed_default_surveys
    from omavalvonta.feedback.models import Answer, Question, QuestionKind, Response, Round, Survey, SurveyState
    from omavalvonta.feedback.services import quarter_dates

    rng = random.Random(seed)
    started = time.perf_counter()
    today = timezone.localdate()
    quarters = _quarters_back(today, 8)
    # The default question sets come from a migration; make sure they are there
    # (a flushed test database or an emptied bench database has none), as the demo does.
    seed_default_surveys(Survey, Question, now=timezone.now())
    surveys = {s.group: s for s in Survey.objects.filter(state=SurveyState.PUBLISHED).prefetch_related("questions")}
    questions = {
        g: [(q.pk, q.key, q.kind) for q in s.questions.all() if q.kind != QuestionKind.NPS] for g, s in surveys.items()
    }
    with transaction.atomic():
        existing = set(Round.objects.values_list("unit_id", "year", "quarter"))
        Round.objects.bulk_create(
            [
                Round(unit=u, year=y, quarter=q, opens_on=quarter_dates(y, q)[0], closes_on=quarter_dates(y, q)[1])
                for u in units
                for y, q in quarters
                if (u.pk, y, q) not in existing
            ],
            batch_size=5000,
        )
    rounds = list(Round.objects.filter(unit__in=units).values_list("pk", "unit_id", "opens_on", "closes_on"))
    log(f"  {len(rounds)} feedback rounds ({time.perf_counter() - started:.1f} s)")
    groups = [g for g, _w in GROUP_WEIGHTS if g in surveys]
    weights = [w for g, w in GROUP_WEIGHTS if g in surveys]
    response_writer = _Writer(Response, ["id", "round", "unit", "survey", "group", "channel", "language", "submitted_on", "nps"])
    answer_writer = _Writer(Answer, ["id", "response", "unit", "round", "question", "key", "value", "text"])
    response_id, answer_id = _next_id(Response), _next_id(Answer)
    done = answers = 0
    while done < responses:
        batch = min(BATCH, responses - done)
        response_rows, answer_rows = [], []
        for _ in range(batch):
            round_id, unit_id, opens, closes = rng.choice(rounds)
            last = min(closes, today)
            day = opens + dt.timedelta(days=rng.randint(0, max(0, (last - opens).days)))
            group = rng.choices(groups, weights)[0]
            level = rng.random()  # how satisfied this respondent is
            nps = None if rng.random() < 0.1 else min(10, max(0, int(round(rng.gauss(4 + level * 7, 1.8)))))
            response_rows.append(
                (response_id, round_id, unit_id, surveys[group].pk, group, rng.choice(CHANNELS), "fi", day, nps)
            )
            for question_id, key, kind in questions[group]:
                if kind == QuestionKind.TEXT:
                    if rng.random() < 0.05:
                        answer_rows.append((answer_id, response_id, unit_id, round_id, question_id, key, None, "Kiitos. (bench)"))
                        answer_id += 1
                    continue
                if rng.random() < 0.08:
                    continue
                value = min(5, max(1, int(round(rng.gauss(1 + level * 4, 0.7)))))
                answer_rows.append((answer_id, response_id, unit_id, round_id, question_id, key, value, ""))
                answer_id += 1
            response_id += 1
        with transaction.atomic():
            response_writer.write(response_rows)
            answer_writer.write(answer_rows)
        done += batch
        answers += len(answer_rows)
        if done % 200_000 < BATCH or done == responses:
            log(f"    {done}/{responses} responses, {answers} answers ({time.perf_counter() - started:.1f} s)")
    _reset_sequence(Response)
    _reset_sequence(Answer)
    rows = tallies.tallies_rebuild()
    log(f"  {rows} tally rows from the answers ({time.perf_counter() - started:.1f} s)")


def build_calendar(*, director, log=print) -> None:
    from omavalvonta.yearclock import services as calendar_services
    from omavalvonta.yearclock.models import ObligationTemplate, Occurrence

    started = time.perf_counter()
    if not ObligationTemplate.objects.exists():
        # Installing the defaults generates their occurrences too: the generation
        # below then makes none, so the log counts what the calendar holds.
        calendar_services.obligation_templates_install_defaults(actor=director)
    calendar_services.occurrences_generate()
    log(f"  {Occurrence.objects.count()} calendar occurrences ({time.perf_counter() - started:.1f} s)")


def build_plans(*, unit, director, log=print) -> None:
    from omavalvonta.demo.plans import _people, _plan
    from omavalvonta.organisation.models import User
    from omavalvonta.plans import programme
    from omavalvonta.plans.models import FollowupReport, Plan, PlanKind

    started = time.perf_counter()
    today = timezone.localdate()
    if not Plan.objects.filter(unit=unit).exists():
        writer_id, approver_id = _people(unit)
        writer, approver = User.objects.get(pk=writer_id), User.objects.get(pk=approver_id)
        for kind in PlanKind.values:
            _plan(unit, kind, writer, approver, first_on=today - dt.timedelta(days=200), reviews=[])
    if not FollowupReport.objects.exists():
        start, end = programme.suggested_period(today)
        programme.followup_report_create(actor=director, period_start=start, period_end=end)
    log(f"  plans of {unit.name} and a follow-up report ({time.perf_counter() - started:.1f} s)")
