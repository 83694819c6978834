"""`manage.py bench`: a large organisation in the current database and the
response times of the deviation pages, measured in-process.

The dataset is written with bulk_create (plausible rows, not the services: half a
million reports through the services would take hours). The measurements go
through the whole Django stack (middleware, sessions, the access kernel,
templates) with `django.test.Client`, so they show the cost of the code and the
queries, not of a network or a WSGI server. Every page is compared with a
trivial signed-in page served by the same process in the same run.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import random
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from omavalvonta.core.models import AccessLogEntry, AuditEvent
from omavalvonta.demo import names, texts
from omavalvonta.demo.builder import CONSEQUENCE_WEIGHTS, DEFAULT_CONSEQUENCE, KIND_WEIGHTS, LIKELIHOOD_WEIGHTS
from omavalvonta.deviations.models import Deviation, Kind, State
from omavalvonta.deviations.report_counts import report_counts_compact
from omavalvonta.notifications.models import Notification
from omavalvonta.organisation.models import (
    DEFAULT_RISK_MATRIX,
    Authority,
    Membership,
    Organisation,
    Region,
    Role,
    ServiceType,
    Unit,
    User,
    WellbeingCounty,
)

BENCH_ORGANISATION_NAME = "Bench-konserni Oy"
BENCH_DOMAIN = "bench.example"
UNITS_PER_REGION = 100
YEARS = 3
BATCH = 5000
RECENT_STATES = [State.SUBMITTED, State.IN_HANDLING, State.ACTIONS_DECIDED, State.CLOSED, State.CLOSED]


@dataclass
class BenchCast:
    unit: Unit
    employee: User
    supervisor: User
    regional_director: User
    quality_director: User
    deviation_ids: list[int]
    others: dict  # role label -> user, for the home page of every role


def bench_exists() -> bool:
    return Organisation.objects.filter(name=BENCH_ORGANISATION_NAME).exists()


def foreign_organisation() -> str | None:
    """The name of an organisation that is not the bench's, if any."""
    return Organisation.objects.exclude(name=BENCH_ORGANISATION_NAME).values_list("name", flat=True).first()


# --- Building --------------------------------------------------------------------------


class BenchBuilder:
    def __init__(self, *, units: int, deviations: int, staff_per_unit: int = 25, seed: int = 2026, log=None):
        self.n_units = units
        self.n_deviations = deviations
        self.staff_per_unit = max(3, staff_per_unit)
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.log = log or (lambda msg: None)

    def build(self) -> float:
        started = time.perf_counter()
        with transaction.atomic():
            self._organisation()
            self._people()
        self.log(f"  {len(self.units)} units, {self.people} people ({time.perf_counter() - started:.1f} s)")
        self._deviations()
        # The reports' triggers wrote a count row per report: sum them, as the
        # worker's hourly job keeps them (deviations/report_counts.py).
        removed = report_counts_compact()
        self.log(f"  {self.n_deviations} deviations, {removed} count rows summed ({time.perf_counter() - started:.1f} s)")
        with connection.cursor() as cursor:
            # Fresh statistics for the planner, as a production database keeps them.
            cursor.execute("ANALYZE")
        return time.perf_counter() - started

    def _organisation(self):
        self.organisation = Organisation.objects.create(name=BENCH_ORGANISATION_NAME)
        Authority.objects.create(name="Lupa- ja valvontavirasto", email="kirjaamo@valvonta.example", is_default=True)
        counties = WellbeingCounty.objects.bulk_create(
            WellbeingCounty(
                name=f"Hyvinvointialue {i} (bench)",
                notification_email=f"kirjaamo{i}@hva.{BENCH_DOMAIN}",
                lead_official_name=f"Johtava viranhaltija {i}",
                lead_official_email=f"johtava{i}@hva.{BENCH_DOMAIN}",
            )
            for i in range(1, 22)
        )
        n_regions = max(2, math.ceil(self.n_units / UNITS_PER_REGION))
        self.regions = Region.objects.bulk_create(
            Region(organisation=self.organisation, name=f"Alue {i:03d}") for i in range(1, n_regions + 1)
        )
        kinds = [(ServiceType.SUBSTITUTE_CARE, 65), (ServiceType.OPEN_CARE, 18), (ServiceType.AFTERCARE, 17)]
        units = []
        for i in range(self.n_units):
            stype = names.weighted(self.rng, kinds)
            label = {ServiceType.SUBSTITUTE_CARE: "Lastenkoti", ServiceType.OPEN_CARE: "Avohuollon tiimi",
                     ServiceType.AFTERCARE: "Jälkihuollon tiimi"}[stype]
            spec = self.rng.choice(names.REGIONS)
            city = self.rng.choice(spec.cities)[0]
            place = self.rng.choice(names.HOME_NAMES) if stype == ServiceType.SUBSTITUTE_CARE else city
            name = f"{label} {place} {i + 1}"
            units.append(
                Unit(
                    region=self.regions[i % len(self.regions)],
                    name=name,
                    service_type=stype,
                    places=self.rng.randint(5, 8) if stype == ServiceType.SUBSTITUTE_CARE else None,
                    city=city,
                    public_slug=f"bench-{i + 1}",
                )
            )
        self.units = Unit.objects.bulk_create(units, batch_size=BATCH)
        Through = Unit.counties.through
        Through.objects.bulk_create(
            [Through(unit_id=u.pk, wellbeingcounty_id=counties[i % len(counties)].pk)
             for i, u in enumerate(self.units)],
            batch_size=BATCH,
        )

    def _people(self):
        users, memberships = [], []
        password = f"{UNUSABLE_PASSWORD_PREFIX}bench"
        serial = 0

        def person(title):
            nonlocal serial
            serial += 1
            first = self.rng.choice(names.FIRST_NAMES_F + names.FIRST_NAMES_M)
            last = self.rng.choice(names.SURNAMES)
            user = User(
                email=f"{names.ascii_slug(first)}.{names.ascii_slug(last)}.{serial}@{BENCH_DOMAIN}",
                full_name=f"{first} {last}",
                title=title,
                password=password,
            )
            users.append(user)
            return user

        self.staff = {}
        for unit in self.units:
            supervisor = person(names.SUPERVISOR_TITLE)
            responsible = person(names.RESPONSIBLE_TITLES[0])
            employees = [person("ohjaaja") for _ in range(self.staff_per_unit - 2)]
            memberships.append((supervisor, Role.SUPERVISOR, unit, None))
            memberships.append((responsible, Role.RESPONSIBLE_PERSON, unit, None))
            memberships += [(e, Role.EMPLOYEE, unit, None) for e in employees]
            self.staff[unit.pk] = (supervisor, employees)
        for region in self.regions:
            memberships.append((person("aluejohtaja"), Role.REGIONAL_DIRECTOR, None, region))
        for role in (Role.QUALITY_DIRECTOR, Role.REHABILITATION_DIRECTOR, Role.SAFETY_MANAGER, Role.HR_DIRECTOR,
                     Role.DATA_PROTECTION_OFFICER, Role.MANAGEMENT_GROUP, Role.ADMINISTRATOR):
            memberships.append((person(names.ORG_TITLES.get(role, "johtoryhmän jäsen")), role, None, None))
        User.objects.bulk_create(users, batch_size=BATCH)
        if any(u.pk is None for u in users):  # a backend without RETURNING
            ids = dict(User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}").values_list("email", "pk"))
            for u in users:
                u.pk = ids[u.email]
        Membership.objects.bulk_create(
            (Membership(user=u, role=role, unit=unit, region=region) for u, role, unit, region in memberships),
            batch_size=BATCH,
        )
        self.people = len(users)

    def _deviations(self):
        rng, now = self.rng, self.now
        span = YEARS * 365 * 86400
        weights = [1.0 if u.service_type == ServiceType.SUBSTITUTE_CARE else 0.35 for u in self.units]
        units = rng.choices(self.units, weights=weights, k=self.n_deviations)
        # Oldest first, as they would have been filed: ids grow with time.
        ages = sorted((rng.random() ** 0.9 * span for _ in range(self.n_deviations)), reverse=True)
        ct = ContentType.objects.get_for_model(Deviation)
        descriptions = {}
        risk = DEFAULT_RISK_MATRIX
        done = 0
        while done < self.n_deviations:
            rows, stamps = [], []
            for i in range(done, min(done + BATCH, self.n_deviations)):
                unit = units[i]
                supervisor, employees = self.staff[unit.pk]
                kind = names.weighted(rng, KIND_WEIGHTS[unit.service_type])
                submitted = now - dt.timedelta(seconds=ages[i] + 600)
                days = ages[i] / 86400
                state = State.CLOSED if days > 60 and rng.random() < 0.97 else rng.choice(RECENT_STATES)
                key = (kind, unit.service_type, rng.randrange(12))
                if key not in descriptions:
                    descriptions[key] = texts.compose_description(rng, kind, unit.service_type)
                description, location, immediate, proposal, extra = descriptions[key]
                anonymous = rng.random() < 0.06
                handled = state != State.SUBMITTED
                consequence = (
                    names.weighted(rng, CONSEQUENCE_WEIGHTS.get(kind, DEFAULT_CONSEQUENCE)) if handled else None
                )
                likelihood = names.weighted(rng, LIKELIHOOD_WEIGHTS) if handled else None
                classified = submitted + dt.timedelta(hours=rng.uniform(2, 72)) if handled else None
                closed = submitted + dt.timedelta(days=rng.uniform(3, 40)) if state == State.CLOSED else None
                if closed and closed > now:
                    closed = now - dt.timedelta(minutes=1)
                local = timezone.localtime(submitted)
                rows.append(
                    Deviation(
                        unit=unit,
                        number=f"B{local.year}-{i + 1:07d}",
                        kind=kind,
                        state=state,
                        occurred_at=submitted - dt.timedelta(minutes=rng.randint(5, 600)),
                        location=location,
                        description=description,
                        immediate_actions=immediate,
                        improvement_proposal=proposal,
                        affected_child=rng.random() < 0.7,
                        affected_staff=kind == Kind.THREAT_OR_VIOLENCE,
                        medication_stage=extra.get("medication_stage", ""),
                        medication_substance=extra.get("medication_substance", ""),
                        violence_target=extra.get("violence_target", ""),
                        injury=extra.get("injury", False),
                        restraint_used=extra.get("restraint_used", False),
                        data_concerned=extra.get("data_concerned", ""),
                        personal_data_breach=extra.get("personal_data_breach", False),
                        reporter=None if anonymous else rng.choice(employees),
                        is_anonymous=anonymous,
                        handler=supervisor,
                        consequence=consequence,
                        likelihood=likelihood,
                        risk_level=risk[consequence][likelihood - 1] if handled else "",
                        is_critical=bool(handled and consequence >= 3),
                        for_team_meeting=handled and rng.random() < 0.3,
                        answer=texts.ANSWERS[kind] if closed else "",
                        submitted_at=submitted,
                        handling_due_at=submitted + dt.timedelta(days=3),
                        due_date=local.date() + dt.timedelta(days=30),
                        handling_started_at=classified,
                        classified_at=classified,
                        answered_at=closed,
                        closed_at=closed,
                    )
                )
                stamps.append((None if anonymous else rows[-1].reporter_id, submitted, classified, closed, unit.pk))
            with transaction.atomic():
                Deviation.objects.bulk_create(rows)
                # The timeline reads the audit trail: give each report its events.
                events = []
                for dev, (reporter_id, submitted, classified, closed, unit_id) in zip(rows, stamps, strict=True):
                    events.append(AuditEvent(at=submitted, actor_id=reporter_id, verb="deviation.submitted",
                                             target_type=ct, target_id=dev.pk, unit_id=unit_id, data={}))
                    if classified:
                        data = {"risk_level": dev.risk_level, "is_critical": dev.is_critical}
                        events.append(AuditEvent(at=classified, actor_id=dev.handler_id, verb="deviation.classified",
                                                 target_type=ct, target_id=dev.pk, unit_id=unit_id, data=data))
                    if closed:
                        events.append(AuditEvent(at=closed, actor_id=dev.handler_id, verb="deviation.closed",
                                                 target_type=ct, target_id=dev.pk, unit_id=unit_id, data={}))
                AuditEvent.objects.bulk_create(events)
            done += len(rows)
            if done % 50000 < BATCH or done == self.n_deviations:
                self.log(f"    {done}/{self.n_deviations}")


# --- Measuring ---------------------------------------------------------------------------


def bench_cast() -> BenchCast:
    """The people whose pages are measured: a supervisor and an employee of a
    typical children's home, its regional director, the quality director."""
    org = Organisation.objects.get(name=BENCH_ORGANISATION_NAME)
    # A children's home with a typical (median) number of reports.
    units = Unit.objects.filter(region__organisation=org)
    homes = units.filter(service_type=ServiceType.SUBSTITUTE_CARE)
    by_size = (homes if homes.exists() else units).annotate(n=Count("deviations")).order_by("n", "pk")
    ordered = list(by_size.values_list("pk", flat=True))
    unit = Unit.objects.get(pk=ordered[len(ordered) // 2])
    recent = Deviation.objects.filter(unit=unit).order_by("-submitted_at").values_list("pk", flat=True)

    def holder(role, **scope):
        return Membership.objects.filter(role=role, **scope).select_related("user").order_by("pk").first().user

    return BenchCast(
        unit=unit,
        employee=holder(Role.EMPLOYEE, unit=unit),
        supervisor=holder(Role.SUPERVISOR, unit=unit),
        regional_director=holder(Role.REGIONAL_DIRECTOR, region_id=unit.region_id),
        quality_director=holder(Role.QUALITY_DIRECTOR),
        deviation_ids=list(recent[:500]),
        others={
            "responsible person": holder(Role.RESPONSIBLE_PERSON, unit=unit),
            "safety manager": holder(Role.SAFETY_MANAGER),
            "HR director": holder(Role.HR_DIRECTOR),
            "data protection officer": holder(Role.DATA_PROTECTION_OFFICER),
            "management group": holder(Role.MANAGEMENT_GROUP),
            "administrator": holder(Role.ADMINISTRATOR),
        },
    )


def _organisation_roles_present(log) -> None:
    """A dataset seeded before a role existed (the HR director) gets one holder
    of each organisation-wide role, so the pages of every role are measured."""
    roles = (Role.QUALITY_DIRECTOR, Role.REHABILITATION_DIRECTOR, Role.SAFETY_MANAGER, Role.HR_DIRECTOR,
             Role.DATA_PROTECTION_OFFICER, Role.MANAGEMENT_GROUP, Role.ADMINISTRATOR)
    held = set(Membership.objects.filter(unit=None, region=None, role__in=roles).values_list("role", flat=True))
    for role in roles:
        if role in held:
            continue
        title = names.ORG_TITLES.get(role, "johtoryhmän jäsen")
        user = User.objects.create_user(
            email=f"bench-{role}@{BENCH_DOMAIN}", password=None, full_name=f"Bench {title}",
        )
        Membership.objects.create(user=user, role=role)
        log(f"Added the missing organisation-wide role {role}.")


def build_extras(*, responses: int, log, restrictions: int = 200_000, placements: int | None = None) -> None:
    """Feedback, the quality calendar, plans, children, restrictive measures and
    functional-capacity measurements for a bench dataset that lacks them."""
    from omavalvonta.demo import bench_county, bench_extra, bench_outcomes, bench_restrictions
    from omavalvonta.feedback.models import Response
    from omavalvonta.yearclock.models import Occurrence

    org = Organisation.objects.get(name=BENCH_ORGANISATION_NAME)
    units = list(Unit.objects.filter(region__organisation=org).order_by("pk"))
    _organisation_roles_present(log)
    cast = bench_cast()
    if responses and not Response.objects.exists():
        log(f"Seeding {responses} feedback responses...")
        bench_extra.build_feedback(units=units, responses=responses, log=log)
    if not Occurrence.objects.exists():
        log("Seeding the quality calendar...")
        bench_extra.build_calendar(director=cast.quality_director, log=log)
    bench_extra.build_plans(unit=cast.unit, director=cast.quality_director, log=log)
    bench_restrictions.build(organisation=org, total=restrictions, log=log)
    bench_outcomes.build(organisation=org, total=placements, log=log)
    bench_county.build(organisation=org, log=log)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class Timing:
    page: str
    samples: list[float]
    status: str
    note: str = ""
    # The trivial page's milliseconds, each request of it made right before one
    # of this page's: the baseline of the same minutes (a machine's load drifts
    # more within a run than most changes move a page).
    baseline: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return _p95(self.samples)

    def baseline_p95(self, first: Timing) -> float:
        """The trivial page's p95 of the same minutes (the run's first
        measurement of it where there is none)."""
        return _p95(self.baseline) if self.baseline else first.p95

    def ratio(self, first: Timing) -> float:
        """This page's p95 over the trivial page's of the same minutes."""
        baseline = self.baseline_p95(first)
        return self.p95 / baseline if baseline else float("nan")


def _time(
    n, func, *, max_seconds: float | None = None, min_samples: int = 20, baseline=None
) -> tuple[list[float], set, list[float]]:
    """Call func(i) n times (fewer when a slow page passes max_seconds after at
    least min_samples calls); the milliseconds of each call, the statuses seen,
    and with `baseline` (the trivial page) the milliseconds of a call of it made
    before each of func's."""
    samples, statuses, baseline_samples = [], set(), []
    deadline = time.perf_counter() + max_seconds if max_seconds else None
    for i in range(n):
        if baseline is not None:
            started = time.perf_counter()
            baseline(i)
            baseline_samples.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        statuses.add(func(i))
        samples.append((time.perf_counter() - started) * 1000)
        if deadline and started > deadline and len(samples) >= min_samples:
            break
    return samples, statuses, baseline_samples


def measure(
    cast: BenchCast, *, requests: int = 200, warmup: int = 5, max_seconds: float | None = 60, log=None,
    only: tuple[str, ...] = (),
) -> list[Timing]:
    """p50/p95 of each page over `requests` requests, after `warmup` unmeasured ones.
    A page slower than `max_seconds` in all stops early (after at least 20
    requests), so that one slow page does not hold the run for an hour; the
    table says how many requests each figure is from."""
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    log = log or (lambda msg: None)
    clients = {}

    def client_for(user):
        if user.pk not in clients:
            c = Client(raise_request_exception=False)
            c.force_login(user)
            clients[user.pk] = c
        return clients[user.pk]

    def get(user, url_for):
        c = client_for(user)
        return lambda i: c.get(url_for(i)).status_code

    ids = cast.deviation_ids or [0]
    try:
        submit_url = reverse("deviations:new")
    except NoReverseMatch:
        submit_url = None

    def submit_form(i):
        occurred = timezone.localtime() - dt.timedelta(hours=1)
        data = {
            "kind": Kind.THREAT_OR_VIOLENCE,
            "unit": str(cast.unit.pk),
            "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"),
            "location": "Olohuone",
            "description": "Nuori suuttui iltatoimien aikana ja heitti tuolin kohti ohjaajaa. (bench)",
            "immediate_actions": "Tilanne rauhoitettiin sanallisesti.",
            "affected_child": "on",
            "affected_staff": "on",
            "violence_target": "staff",
        }
        return client_for(cast.employee).post(submit_url, data).status_code

    def submit_service(i):
        from omavalvonta.deviations.services import ReportInput, deviation_submit

        deviation_submit(
            actor=cast.employee,
            unit=cast.unit,
            report=ReportInput(
                kind=Kind.QUALITY,
                occurred_at=timezone.now() - dt.timedelta(hours=1),
                description="Sovittu tapaaminen peruuntui. (bench)",
            ),
        )
        return 0

    qd, rd = cast.quality_director, cast.regional_director
    pages = [
        ("trivial page /oma/ (baseline)", get(cast.supervisor, lambda i: "/oma/"), {200}),
        ("home / (dashboard)", get(cast.supervisor, lambda i: "/"), {200}),
        ("list, supervisor (1 unit)", get(cast.supervisor, lambda i: "/poikkeamat/"), {200}),
        ("list, regional director", get(rd, lambda i: "/poikkeamat/"), {200}),
        ("list, quality director (all)", get(qd, lambda i: "/poikkeamat/"), {200}),
        ("list page 50, quality director", get(qd, lambda i: "/poikkeamat/?page=50"), {200}),
        ("my reports, employee", get(cast.employee, lambda i: "/poikkeamat/omat/"), {200}),
        ("detail, supervisor", get(cast.supervisor, lambda i: f"/poikkeamat/{ids[i % len(ids)]}/"), {200}),
        # Issue 13 names the quality director's page of a report (every unit in scope).
        ("detail, quality director", get(qd, lambda i: f"/poikkeamat/{ids[i % len(ids)]}/"), {200}),
    ]
    if submit_url:
        pages.append(("submit (POST form), employee", submit_form, {302}))
    else:
        pages.append(("submit (service, no form yet)", submit_service, {0}))
    pages += _more_pages(cast, get, log=log)
    if only:  # the trivial page always, for the ratio
        pages = pages[:1] + [p for p in pages[1:] if any(word.lower() in p[0].lower() for word in only)]

    results = []
    trivial = pages[0][1]
    for label, func, ok in pages:
        _time(warmup, func)
        # As each web worker does once it has started (omavalvonta/wsgi.py): what
        # exists now is kept out of the collector's full passes.
        gc.collect()
        gc.freeze()
        samples, statuses, baseline = _time(
            requests, func, max_seconds=max_seconds, min_samples=min(20, requests),
            baseline=trivial if results else None,
        )
        bad = statuses - ok
        status = ",".join(str(s) for s in sorted(statuses))
        results.append(Timing(label, samples, status, note="unexpected status!" if bad else "", baseline=baseline))
        timing = results[-1]
        log(f"  {label}: p50 {timing.p50:.1f} ms, p95 {timing.p95:.1f} ms, {timing.ratio(results[0]):.2f}x (n={len(samples)})")
    return results


def _more_pages(cast: BenchCast, get, log=None) -> list:
    """The pages beyond the deviations: home of every role, feedback, the quality
    calendar, the follow-up report and its compile, the public pages."""
    from django.test import Client

    from omavalvonta.plans.models import FollowupReport, Plan

    qd, rd, sup, unit = cast.quality_director, cast.regional_director, cast.supervisor, cast.unit
    pages = [
        ("home, employee", get(cast.employee, lambda i: "/"), {200}),
        ("home, regional director", get(rd, lambda i: "/"), {200}),
        ("home, quality director", get(qd, lambda i: "/"), {200}),
    ]
    pages += [(f"home, {label}", get(user, lambda i: "/"), {200}) for label, user in cast.others.items()]
    pages += [
        ("feedback overview, quality director", get(qd, lambda i: "/palaute/"), {200}),
        ("feedback overview, regional director", get(rd, lambda i: "/palaute/"), {200}),
        ("feedback overview, a region's units (QD)", get(qd, lambda i: f"/palaute/?alue={unit.region_id}"), {200}),
        ("feedback results, organisation (QD)", get(qd, lambda i: "/palaute/koonti/organisation/0/"), {200}),
        ("feedback results, region (RD)", get(rd, lambda i: f"/palaute/koonti/region/{unit.region_id}/"), {200}),
        ("feedback results, unit (supervisor)", get(sup, lambda i: f"/palaute/yksikot/{unit.pk}/"), {200}),
        ("feedback monthly report (supervisor)", get(sup, lambda i: f"/palaute/yksikot/{unit.pk}/raportti/"), {200}),
        ("feedback team goals (supervisor)", get(sup, lambda i: f"/palaute/yksikot/{unit.pk}/tavoitteet/"), {200}),
        ("feedback rounds (supervisor)", get(sup, lambda i: "/palaute/kierrokset/"), {200}),
        ("calendar wheel (supervisor)", get(sup, lambda i: "/vuosikello/"), {200}),
        ("calendar list (supervisor)", get(sup, lambda i: "/vuosikello/lista/"), {200}),
        ("calendar list (QD)", get(qd, lambda i: "/vuosikello/lista/"), {200}),
        ("meetings list (QD)", get(qd, lambda i: "/kokoukset/"), {200}),
        ("risks list (QD)", get(qd, lambda i: "/riskit/"), {200}),
        ("guidance list (QD)", get(qd, lambda i: "/ohjaus/"), {200}),
        ("actions list (QD)", get(qd, lambda i: "/kehittaminen/toimenpiteet/"), {200}),
        ("self-supervision log (QD)", get(qd, lambda i: "/kehittaminen/loki/"), {200}),
        ("calendar this month (QD)", get(qd, lambda i: "/vuosikello/tassa-kuussa/"), {200}),
        ("calendar this month, a region (QD)", get(qd, lambda i: f"/vuosikello/tassa-kuussa/?alue={unit.region_id}"), {200}),
        ("calendar this month (supervisor)", get(sup, lambda i: "/vuosikello/tassa-kuussa/"), {200}),
        ("calendar late overview (QD)", get(qd, lambda i: "/vuosikello/myohassa/"), {200}),
        ("calendar late overview (RD)", get(rd, lambda i: "/vuosikello/myohassa/"), {200}),
    ]
    report = FollowupReport.objects.order_by("-pk").first()
    if report is not None:
        from omavalvonta.plans.followup import compile_figures

        pages.append(("follow-up report page (QD)", get(qd, lambda i: f"/omavalvontasuunnitelmat/seuranta/{report.pk}/"), {200}))

        def compile_(i):
            compile_figures(actor=qd, period_start=report.period_start, period_end=report.period_end)
            return 0

        pages.append(("follow-up report compile (function)", compile_, {0}))
    from omavalvonta.demo import bench_county, bench_outcomes, bench_restrictions, bench_search

    timeline = f"/yksikot/{unit.pk}/aikajana/"
    older = (timezone.now() - dt.timedelta(days=200)).replace(microsecond=0).isoformat()
    pages += [
        ("unit timeline (supervisor)", get(sup, lambda i: timeline), {200}),
        ("unit timeline, older page (supervisor)", get(sup, lambda i: f"{timeline}?before={quote_plus(older)}"), {200}),
        ("unit timeline, deviations only (supervisor)", get(sup, lambda i: f"{timeline}?area=deviations"), {200}),
        ("unit timeline (QD)", get(qd, lambda i: timeline), {200}),
    ]
    pages += bench_restrictions.pages(cast, get)
    pages += bench_outcomes.pages(cast, get)
    pages += bench_search.pages(cast, get, log=log)
    pages += bench_county.pages(cast, get, log=log)
    anonymous = Client(raise_request_exception=False)

    def public(url):
        return lambda i: anonymous.get(url).status_code

    pages += [
        ("public front page", public("/julkinen/"), {200}),
        ("public plans index", public("/julkinen/yksikot/"), {200}),
        ("public feedback form", public("/julkinen/palaute/"), {200}),
    ]
    if unit.public_slug and Plan.objects.filter(unit=unit).exists():
        pages.append(("public plan page of a unit", public(f"/julkinen/yksikot/{unit.public_slug}/"), {200}))
    return pages


# A page passing either is pointed out (never failed): the goals.
WARN_P95_MS = 150
WARN_RATIO = 2.0


def warnings_for(results: list[Timing]) -> list[str]:
    out = []
    for r in results[1:]:
        ratio = r.ratio(results[0])
        if "(function)" in r.page or "PDF)" in r.page:
            continue  # not a page (a function, a PDF's layout): no goal of a page
        if r.p95 > WARN_P95_MS or ratio > WARN_RATIO:
            out.append(f"WARNING: {r.page}: p95 {r.p95:.1f} ms, {ratio:.1f}x the trivial page "
                       f"(goal: at most {WARN_P95_MS} ms and {WARN_RATIO:g}x)")
    return out


def row_counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "people": User.objects.count(),
        "memberships": Membership.objects.count(),
        "deviations": Deviation.objects.count(),
        "audit events": AuditEvent.objects.count(),
        "access log rows": AccessLogEntry.objects.count(),
        "notifications": Notification.objects.count(),
        **_more_counts(),
    }


def _more_counts() -> dict[str, int]:
    from omavalvonta.clients.models import Placement
    from omavalvonta.deviations.models import StatutoryNotification
    from omavalvonta.feedback.models import Answer, Response, Round, Tally
    from omavalvonta.outcomes.models import Answer as OutcomeAnswer, Goal, Measurement
    from omavalvonta.restrictions.models import Restriction
    from omavalvonta.yearclock.models import Occurrence

    return {
        "feedback rounds": Round.objects.count(),
        "responses": Response.objects.count(),
        "answers": Answer.objects.count(),
        "tally rows": Tally.objects.count(),
        "calendar occurrences": Occurrence.objects.count(),
        "placements": Placement.objects.count(),
        "restrictive measures": Restriction.objects.count(),
        "measurements": Measurement.objects.count(),
        "measurement answers": OutcomeAnswer.objects.count(),
        "goals": Goal.objects.count(),
        "statutory notifications": StatutoryNotification.objects.count(),
    }


def database_label() -> str:
    vendor = connection.vendor
    if vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    if vendor == "postgresql":
        v = connection.pg_version
        return f"PostgreSQL {v // 10000}.{v % 10000}"
    return vendor


def format_table(results: list[Timing]) -> list[str]:
    """The table, the trivial page's figures first; each page's p95 as a ratio to
    the trivial page's p95 of the same minutes (its requests interleaved with the
    page's: "baseline p95")."""
    rows = [("page", "status", "n", "p50 ms", "p95 ms", "baseline p95", "p95/baseline")]
    for r in results:
        status = r.status + (f" {r.note}" if r.note else "")
        rows.append((
            r.page, status, str(len(r.samples)), f"{r.p50:.1f}", f"{r.p95:.1f}", f"{r.baseline_p95(results[0]):.1f}",
            f"{r.ratio(results[0]):.2f}",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for i, row in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if j < 2 else c.rjust(w) for j, (c, w) in enumerate(zip(row, widths, strict=True))))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines
