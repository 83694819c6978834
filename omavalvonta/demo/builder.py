"""The living demo organisation: regions, counties, units, people with their
roles, and a year of deviations played through the real services.

Deterministic: every choice comes from one `random.Random(seed)`, so the same
seed builds the same organisation all day long. The year is anchored to today
(it is always the last 365 days), so the content shifts from one day to the next.
Size: FULL for `make run`, SMALL (`load_demo --small`) for tests.

Back-dating, and why it is done after the fact: the services stamp "now" on what
they write (classified_at, answered_at, closed_at, the audit events, the outbox
rows...). Freezing the clock would need time-machine, which is a test-only
dependency, and monkeypatching `timezone.now` in a running process is worse. So
the services run with the real clock (only `deviation_submit` takes an explicit
`submitted_at`), the builder notes when each step "really" happened, and at the
end rewrites those timestamps with UPDATE statements (`update_rows`):

* rows *created* by a service (audit events, outbox notifications, actions,
  statutory notifications) are caught by a `post_save` receiver that is
  connected only while the builder runs and records (pk, simulated time);
* the deviation's own stamp fields are rewritten from the steps played.
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.utils import timezone, translation

from omavalvonta.core import jobs
from omavalvonta.core.models import AccessLogEntry, AuditEvent
from omavalvonta.demo import learning, names, texts
from omavalvonta.deviations import law, services as dev_services
from omavalvonta.deviations.models import (
    Deviation,
    InformedParty,
    InformedRecord,
    InstructionFollowed,
    InstructionProposal,
    Kind,
    NotificationRecipient,
    ReportCount,
    State,
    StatutoryNotification,
)
from omavalvonta.guidance.models import Guidance
from omavalvonta.improvement import services as improvement_services
from omavalvonta.improvement.models import Action, ActionPlan, ActionState, Effectiveness, LogEntry
from omavalvonta.improvement.services import actions as _action_services
from omavalvonta.meetings.models import Meeting
from omavalvonta.notifications.models import DeliveryState, Notification
from omavalvonta.organisation.models import (
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

DEMO_ORGANISATION_NAME = "Esimerkkikonserni Oy"
DEMO_DOMAIN = "esimerkki.example"
# Demo only: printed by `load_demo` on purpose so a newcomer can sign in. Never
# used outside the demo organisation; every other demo person has an unusable password.
DEMO_PASSWORD = "demo-salasana"
DEMO_UNIT_NAME = "Lastenkoti Koivikko"
DEMO_REGION_NAME = "Pirkanmaa"

# One sign-in per role: (role, e-mail, Finnish description).
DEMO_LOGINS = [
    (Role.EMPLOYEE, f"tyontekija@{DEMO_DOMAIN}", f"ohjaaja, {DEMO_UNIT_NAME}"),
    (Role.SUPERVISOR, f"esihenkilo@{DEMO_DOMAIN}", f"yksikön esihenkilö, {DEMO_UNIT_NAME}"),
    (Role.RESPONSIBLE_PERSON, f"vastuuhenkilo@{DEMO_DOMAIN}", f"vastuuhenkilö, {DEMO_UNIT_NAME}"),
    (Role.REGIONAL_DIRECTOR, f"aluejohtaja@{DEMO_DOMAIN}", f"aluejohtaja, {DEMO_REGION_NAME}"),
    (Role.QUALITY_DIRECTOR, f"laatujohtaja@{DEMO_DOMAIN}", "laatujohtaja, koko konserni"),
    (Role.REHABILITATION_DIRECTOR, f"kuntoutusjohtaja@{DEMO_DOMAIN}", "kuntoutusjohtaja, koko konserni"),
    (Role.SAFETY_MANAGER, f"tyosuojelu@{DEMO_DOMAIN}", "työsuojelupäällikkö, koko konserni"),
    (Role.HR_DIRECTOR, f"henkilostojohtaja@{DEMO_DOMAIN}", "henkilöstöjohtaja, koko konserni"),
    (Role.DATA_PROTECTION_OFFICER, f"tietosuoja@{DEMO_DOMAIN}", "tietosuojavastaava, koko konserni"),
    (Role.MANAGEMENT_GROUP, f"johtoryhma@{DEMO_DOMAIN}", "johtoryhmän jäsen, koko konserni"),
    (Role.ADMINISTRATOR, f"admin@{DEMO_DOMAIN}", "pääkäyttäjä, koko konserni"),
]
LOGIN_EMAIL = {role: email for role, email, _ in DEMO_LOGINS}

# Days from an action's completion to its effectiveness check (the services' own figure).
EFFECTIVENESS_CHECK_DAYS = getattr(_action_services, "EFFECTIVENESS_CHECK_DAYS", 30)
# The worker's stalled-handling job runs every few minutes.
JOB_DELAY = dt.timedelta(minutes=10)
# Deviation fates: the state a report ends the year in, and how it got there.
SUBMITTED = "submitted"
IN_HANDLING = "in_handling"
ACTIONS_DECIDED = "actions_decided"
CLOSED = "closed"
REOPENED = "reopened"  # closed, reopened, still open
REOPENED_CLOSED = "reopened_closed"  # closed, reopened, closed again
ESCALATED = "escalated"  # county notified, not corrected in time, escalated to the authority

# Kind weights by service type: quality, threat/violence and near misses are
# common, a § 29 grievance rare.
KIND_WEIGHTS = {
    ServiceType.SUBSTITUTE_CARE: [
        (Kind.QUALITY, 27), (Kind.THREAT_OR_VIOLENCE, 26), (Kind.NEAR_MISS, 16), (Kind.MEDICATION, 13),
        (Kind.CLIENT_RIGHTS, 7), (Kind.HARASSMENT, 5), (Kind.DATA_PROTECTION, 4), (Kind.GRIEVANCE, 2),
    ],
    ServiceType.OPEN_CARE: [
        (Kind.QUALITY, 34), (Kind.THREAT_OR_VIOLENCE, 14), (Kind.NEAR_MISS, 12), (Kind.DATA_PROTECTION, 14),
        (Kind.HARASSMENT, 9), (Kind.CLIENT_RIGHTS, 9), (Kind.MEDICATION, 5), (Kind.GRIEVANCE, 3),
    ],
    ServiceType.AFTERCARE: [
        (Kind.QUALITY, 34), (Kind.NEAR_MISS, 14), (Kind.THREAT_OR_VIOLENCE, 12), (Kind.DATA_PROTECTION, 13),
        (Kind.HARASSMENT, 9), (Kind.MEDICATION, 8), (Kind.CLIENT_RIGHTS, 7), (Kind.GRIEVANCE, 3),
    ],
}
CONSEQUENCE_WEIGHTS = {
    Kind.THREAT_OR_VIOLENCE: [(0, 10), (1, 40), (2, 38), (3, 11), (4, 1)],
    Kind.GRIEVANCE: [(1, 10), (2, 55), (3, 33), (4, 2)],
    Kind.NEAR_MISS: [(0, 55), (1, 40), (2, 5)],
    Kind.MEDICATION: [(0, 30), (1, 50), (2, 17), (3, 3)],
    Kind.DATA_PROTECTION: [(0, 20), (1, 50), (2, 25), (3, 5)],
}
DEFAULT_CONSEQUENCE = [(0, 25), (1, 50), (2, 22), (3, 3)]
LIKELIHOOD_WEIGHTS = [(1, 12), (2, 33), (3, 35), (4, 15), (5, 5)]
# Reports by hour of day in a children's home: evenings are the busiest.
HOME_HOURS = [2, 2, 1, 1, 1, 1, 2, 5, 6, 4, 3, 3, 3, 4, 6, 8, 9, 9, 10, 10, 9, 8, 5, 3]
SLUG_PREFIXES = [("avohuollon-tiimi-", "avohuolto-"), ("jalkihuollon-tiimi-", "jalkihuolto-")]
# Fewer reports in the summer holidays, more in the autumn term.
MONTH_FACTOR = {6: 0.85, 7: 0.7, 8: 0.9, 9: 1.1, 10: 1.1, 11: 1.1, 12: 0.9}


@dataclass(frozen=True)
class Scale:
    regions: int
    # (homes, open-care teams, aftercare teams) per region; None: from names.REGIONS
    units: tuple[tuple[int, int, int], ...] | None
    employees: tuple[int, int]
    deviations: int
    management_group: int
    extra_memberships: float  # share of employees who also work in a second unit
    job_replay_days: int = 1  # replay the worker's jobs every N days of the year


FULL = Scale(regions=5, units=None, employees=(6, 12), deviations=2500, management_group=4, extra_memberships=0.04)
# For tests: 3 regions, 4 units, ~20 people, 60 deviations.
SMALL = Scale(regions=3, units=((2, 0, 0), (0, 1, 0), (0, 0, 1)), employees=(2, 2), deviations=60,
              management_group=1, extra_memberships=0.0, job_replay_days=7)


class DemoExists(Exception):
    """An organisation already exists (and --reset was not given)."""


@dataclass
class Plan:
    unit: Unit
    kind: str
    submitted_at: dt.datetime
    fate: str
    reporter: User
    anonymous: bool = False


@dataclass
class BuildResult:
    seconds: float = 0.0
    counts: dict = field(default_factory=dict)


class _BackDater:
    """Collects rows the services create, with the simulated time they belong
    to, and rewrites their timestamps in bulk at the end (see module docstring)."""

    MODELS = (AuditEvent, Notification, Action, StatutoryNotification, AccessLogEntry, InformedRecord, InstructionProposal)

    def __init__(self):
        self.now: dt.datetime | None = None
        self.created: dict[type, list[tuple[int, dt.datetime]]] = defaultdict(list)
        self.completed_actions: list[tuple[int, dt.datetime]] = []
        self.action_due: dict[int, dt.date] = {}
        self.checked_actions: list[tuple[int, dt.datetime]] = []

    def _on_save(self, sender, instance, created, raw=False, **kwargs):
        if created and not raw and self.now is not None:
            self.created[sender].append((instance.pk, self.now))

    def __enter__(self):
        for model in self.MODELS:
            post_save.connect(self._on_save, sender=model, dispatch_uid=f"demo-backdate-{model.__name__}")
        return self

    def __exit__(self, *exc):
        for model in self.MODELS:
            post_save.disconnect(sender=model, dispatch_uid=f"demo-backdate-{model.__name__}")
        return False

    def flush(self, *, real_now: dt.datetime, correction_days: int):
        c = self.created
        update_rows(AuditEvent, ["at"], [(t, pk) for pk, t in c[AuditEvent]])
        update_rows(AccessLogEntry, ["at"], [(t, pk) for pk, t in c[AccessLogEntry]])
        update_rows(InformedRecord, ["recorded_at"], [(t, pk) for pk, t in c[InformedRecord]])
        update_rows(InstructionProposal, ["proposed_at"], [(t, pk) for pk, t in c[InstructionProposal]])
        # Actions: created when decided, completed when done.
        update_rows(Action, ["created_at"], [(t, pk) for pk, t in c[Action]])
        update_rows(Action, ["completed_at"], [(t, pk) for pk, t in self.completed_actions])
        update_rows(Action, ["effectiveness_checked_at"], [(t, pk) for pk, t in self.checked_actions])

        # Statutory notifications: sent then; correction due N days later.
        sn_times = dict(c[StatutoryNotification])
        rows = []
        for pk, kind, due in StatutoryNotification.objects.filter(pk__in=list(sn_times)).values_list(
            "pk", "recipient_kind", "correction_due"
        ):
            t = sn_times[pk]
            new_due = None
            if due is not None or kind != NotificationRecipient.AUTHORITY:
                new_due = timezone.localtime(t).date() + dt.timedelta(days=correction_days)
            rows.append((t, new_due, pk))
        update_rows(StatutoryNotification, ["sent_at", "correction_due"], rows)

        # The outbox: a year of messages is history, not mail to send now. Mark
        # them delivered (so the worker does not print thousands of e-mails) and
        # the older in-app ones read, so that each login sees a few fresh ones.
        n_times = dict(c[Notification])
        notes = []
        pks = list(n_times)
        for i in range(0, len(pks), 900):
            for pk, state, in_app in Notification.objects.filter(pk__in=pks[i : i + 900]).values_list(
                "pk", "state", "in_app"
            ):
                t = n_times[pk]
                sent, attempts = None, 0
                if state == DeliveryState.PENDING:
                    state, sent, attempts = DeliveryState.SENT, t + dt.timedelta(minutes=1), 1
                read = t + dt.timedelta(hours=6) if in_app and t < real_now - dt.timedelta(days=7) else None
                notes.append((t, t, state, sent, attempts, read, pk))
        update_rows(Notification, ["created_at", "next_attempt_at", "state", "sent_at", "attempts", "read_at"], notes)


class DemoBuilder:
    def __init__(self, *, scale: Scale = FULL, seed: int = 2026, now: dt.datetime | None = None, log=None):
        self.scale = scale
        self.rng = random.Random(seed)
        self.now = now or timezone.now()
        self.today = timezone.localtime(self.now).date()
        self.log = log or (lambda msg: None)
        self.users: dict[int, User] = {}
        self._proposal_made = False
        self._police_shown = False
        self.emails: set[str] = set()
        self.login_users: dict[str, User] = {}
        self.unit_staff: dict[int, dict] = {}
        self.regions: list[Region] = []
        self.units: list[Unit] = []
        self.demo_unit: Unit | None = None
        self.regional_directors: dict[int, User] = {}
        self._login_hash = make_password(DEMO_PASSWORD)  # hashed once: PBKDF2 is slow on purpose
        self._stamps: dict[int, dict[str, dt.datetime]] = {}

    # --- entry point -------------------------------------------------------------------

    def build(self) -> BuildResult:
        if Organisation.objects.exists():
            raise DemoExists(Organisation.objects.order_by("pk").first().name)
        started = time.perf_counter()
        # The demo speaks Finnish, whatever language the shell runs in: the
        # notification texts the services write are stored as they are.
        with translation.override("fi"), transaction.atomic():
            self._organisation()
            self._people()
            self.log(f"  {len(self.units)} units, {len(self.users)} people")
            with _BackDater() as backdater:
                self.backdater = backdater
                self._routing()
                self._deviations()
                backdater.now = None
                backdater.flush(real_now=self.now, correction_days=self.organisation.correction_due_days)
            self._restamp_deviations()
            learning.LearningLoop(self).build()
            self.log("  action plans, meetings, the self-supervision log and guidance")
        result = BuildResult(seconds=time.perf_counter() - started)
        result.counts = {
            "regions": Region.objects.count(),
            "units": Unit.objects.count(),
            "people": User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").count(),
            "memberships": Membership.objects.count(),
            "deviations": Deviation.objects.count(),
            "actions": Action.objects.count(),
            "county notifications": StatutoryNotification.objects.count(),
            "action plans": ActionPlan.objects.count(),
            "meetings": Meeting.objects.count(),
            "log entries": LogEntry.objects.count(),
            "guidance items": Guidance.objects.count(),
        }
        return result

    # --- organisation ------------------------------------------------------------------

    def _organisation(self):
        self.organisation = Organisation.objects.create(
            name=DEMO_ORGANISATION_NAME, address="Esimerkkikatu 1, 33100 Tampere"
        )
        Authority.objects.create(name="Lupa- ja valvontavirasto", email="kirjaamo@valvonta.example", is_default=True)
        specs = names.REGIONS[: self.scale.regions]
        self.counties = {}
        for spec in specs:
            first, last = self._name()
            self.counties[spec.name] = WellbeingCounty.objects.create(
                name=spec.county,
                notification_email=f"kirjaamo@{spec.county_domain}",
                lead_official_name=f"{first} {last}",
                lead_official_email=f"johtava.viranhaltija@{spec.county_domain}",
            )
        home_names = names.HOME_NAMES[:1] + self.rng.sample(names.HOME_NAMES[1:], len(names.HOME_NAMES) - 1)
        slugs = set()
        for i, spec in enumerate(specs):
            region = Region.objects.create(organisation=self.organisation, name=spec.name)
            self.regions.append(region)
            homes, open_care, aftercare = (
                self.scale.units[i] if self.scale.units else (spec.homes, spec.open_care, spec.aftercare)
            )
            cities = list(spec.cities)
            plan = []
            for h in range(homes):
                # The main city gets the most homes; the rest spread over the region.
                city = cities[0] if h % 3 == 0 else self.rng.choice(cities)
                plan.append((f"Lastenkoti {home_names.pop(0)}", ServiceType.SUBSTITUTE_CARE, city))
            for k, (label, stype) in enumerate(
                [("Avohuollon tiimi", ServiceType.OPEN_CARE)] * open_care
                + [("Jälkihuollon tiimi", ServiceType.AFTERCARE)] * aftercare
            ):
                index = k if stype == ServiceType.OPEN_CARE else k - open_care
                plan.append((f"{label} {cities[index % len(cities)][0]}", stype, cities[index % len(cities)]))
            for name, stype, (city, postal) in plan:
                slug = names.ascii_slug(name)
                for long, short in SLUG_PREFIXES:
                    slug = slug.replace(long, short)
                while slug in slugs:
                    slug += "-2"
                slugs.add(slug)
                unit = Unit.objects.create(
                    region=region,
                    name=name,
                    service_type=stype,
                    places=self.rng.randint(5, 8) if stype == ServiceType.SUBSTITUTE_CARE else None,
                    street_address=f"{self.rng.choice(names.STREETS)} {self.rng.randint(1, 48)}",
                    postal_code=f"{postal}{self.rng.choice('0123456789')}0",
                    city=city,
                    email=f"{slug}@{DEMO_DOMAIN}",
                    public_slug=slug,
                )
                counties = [self.counties[spec.name]]
                neighbours = [n for n in spec.neighbours if n in self.counties]
                if neighbours and self.rng.random() < 0.3:
                    counties.append(self.counties[self.rng.choice(neighbours)])
                unit.counties.set(counties)
                self.units.append(unit)
                if name == DEMO_UNIT_NAME:
                    self.demo_unit = unit

    # --- people ------------------------------------------------------------------------

    def _name(self):
        first = self.rng.choice(names.FIRST_NAMES_F if self.rng.random() < 0.72 else names.FIRST_NAMES_M)
        return first, self.rng.choice(names.SURNAMES)

    def _person(self, title: str, login_role: str | None = None) -> User:
        first, last = self._name()
        if login_role:
            email = LOGIN_EMAIL[login_role]
        else:
            base = f"{names.ascii_slug(first)}.{names.ascii_slug(last)}"
            email, n = f"{base}@{DEMO_DOMAIN}", 1
            while email in self.emails:
                n += 1
                email = f"{base}{n}@{DEMO_DOMAIN}"
        self.emails.add(email)
        joined = self.now - dt.timedelta(days=self.rng.randint(400, 4000))
        user = User(email=email, full_name=f"{first} {last}", title=title, date_joined=joined)
        if login_role:
            user.password = self._login_hash
            if login_role == Role.ADMINISTRATOR:
                user.is_staff = user.is_superuser = True  # Django admin too, for the curious
            self.login_users[login_role] = user
        else:
            user.set_unusable_password()
        self._pending_users.append(user)
        return user

    def _people(self):
        self._pending_users: list[User] = []
        memberships: list[tuple[User, str, Unit | None, Region | None]] = []

        for unit in self.units:
            is_demo = unit == self.demo_unit
            titles = {
                ServiceType.SUBSTITUTE_CARE: names.EMPLOYEE_TITLES_HOME,
                ServiceType.OPEN_CARE: names.EMPLOYEE_TITLES_OPEN,
                ServiceType.AFTERCARE: names.EMPLOYEE_TITLES_AFTER,
            }[unit.service_type]
            supervisor = self._person(names.SUPERVISOR_TITLE, Role.SUPERVISOR if is_demo else None)
            memberships.append((supervisor, Role.SUPERVISOR, unit, None))
            if is_demo or self.rng.random() < 0.6:
                responsible = self._person(
                    self.rng.choice(names.RESPONSIBLE_TITLES), Role.RESPONSIBLE_PERSON if is_demo else None
                )
            else:
                responsible = supervisor  # the supervisor also answers for the unit by law
            memberships.append((responsible, Role.RESPONSIBLE_PERSON, unit, None))
            count = self.rng.randint(*self.scale.employees) + (2 if is_demo else 0)
            employees = []
            for i in range(count):
                login = Role.EMPLOYEE if is_demo and i == 0 else None
                employee = self._person("ohjaaja" if login else names.weighted(self.rng, titles), login)
                employees.append(employee)
                memberships.append((employee, Role.EMPLOYEE, unit, None))
            self.unit_staff[id(unit)] = {"supervisor": supervisor, "responsible": responsible, "employees": employees}

        # Substitutes who also work shifts in another unit of the same region.
        own_staff = {id(u): list(self.unit_staff[id(u)]["employees"]) for u in self.units}
        for unit in self.units:
            siblings = [u for u in self.units if u.region_id == unit.region_id and u != unit]
            for employee in own_staff[id(unit)]:
                if (
                    siblings
                    and self.rng.random() < self.scale.extra_memberships
                    and employee.email not in LOGIN_EMAIL.values()
                ):
                    other = self.rng.choice(siblings)
                    memberships.append((employee, Role.EMPLOYEE, other, None))
                    self.unit_staff[id(other)]["employees"].append(employee)

        for region in self.regions:
            director = self._person("aluejohtaja", Role.REGIONAL_DIRECTOR if region.name == DEMO_REGION_NAME else None)
            memberships.append((director, Role.REGIONAL_DIRECTOR, None, region))
            self.regional_directors[region.pk] = director
        for role in (Role.QUALITY_DIRECTOR, Role.REHABILITATION_DIRECTOR, Role.SAFETY_MANAGER, Role.HR_DIRECTOR,
                     Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR):
            person = self._person(names.ORG_TITLES[role], role)
            memberships.append((person, role, None, None))
        for i in range(self.scale.management_group):
            person = self._person(names.MANAGEMENT_TITLES[i % len(names.MANAGEMENT_TITLES)],
                                  Role.MANAGEMENT_GROUP if i == 0 else None)
            memberships.append((person, Role.MANAGEMENT_GROUP, None, None))

        User.objects.bulk_create(self._pending_users, batch_size=500)
        if any(u.pk is None for u in self._pending_users):  # a backend without RETURNING
            by_email = dict(User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").values_list("email", "pk"))
            for u in self._pending_users:
                u.pk = by_email[u.email]
        self.users = {u.pk: u for u in self._pending_users}
        Membership.objects.bulk_create(
            [Membership(user=u, role=role, unit=unit, region=region) for u, role, unit, region in memberships],
            batch_size=500,
        )
        del self._pending_users

    # --- routing -----------------------------------------------------------------------

    def _routing(self):
        """Some units route medication reports to their responsible person."""
        for unit in self.units:
            staff = self.unit_staff[id(unit)]
            if (
                unit.service_type == ServiceType.SUBSTITUTE_CARE
                and staff["responsible"] != staff["supervisor"]
                and unit != self.demo_unit
                and self.rng.random() < 0.35
            ):
                self.backdater.now = self.now - dt.timedelta(days=365)
                dev_services.handler_assignment_set(
                    actor=staff["supervisor"], unit=unit, kind=Kind.MEDICATION, handler=staff["responsible"]
                )

    # --- deviations --------------------------------------------------------------------

    def _unit_weight(self, unit):
        if unit.service_type == ServiceType.SUBSTITUTE_CARE:
            weight = (unit.places or 6) / 6.5
        else:
            weight = 0.35 if unit.service_type == ServiceType.OPEN_CARE else 0.3
        return weight * (2.5 if unit == self.demo_unit else 1.0)

    def _random_time(self, unit, *, min_days: float = 0.0, max_days: float = 365.0) -> dt.datetime:
        """A plausible moment: evenings in the homes, office hours in the teams,
        fewer in the summer. Never in the last ten minutes.

        Counted in whole days back from today, and drawing the same random numbers
        whatever the clock says, so that a build is the same all day long."""
        first, last = int(min_days), max(int(min_days), math.ceil(max_days) - 1)
        latest = self.now - dt.timedelta(minutes=10)
        while True:
            day = self.today - dt.timedelta(days=self.rng.randint(first, last))
            if self.rng.random() > MONTH_FACTOR.get(day.month, 1.0):
                continue
            if unit.service_type == ServiceType.SUBSTITUTE_CARE:
                hour = self.rng.choices(range(24), weights=HOME_HOURS)[0]
            else:
                if day.weekday() >= 5 and self.rng.random() < 0.85:
                    continue
                hour = self.rng.randint(8, 17)
            moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, self.rng.randint(0, 59))))
            earlier = dt.timedelta(minutes=self.rng.randint(10, 240))
            # Later today than now: it happened a little while ago instead.
            return moment if moment <= latest else latest - earlier

    def _fate_for_age(self, days: float) -> str:
        r = self.rng.random()
        if days < 2:
            return SUBMITTED if r < 0.55 else IN_HANDLING if r < 0.85 else ACTIONS_DECIDED
        if days < 14:
            return SUBMITTED if r < 0.08 else IN_HANDLING if r < 0.35 else ACTIONS_DECIDED if r < 0.65 else CLOSED
        if days < 60:
            return (SUBMITTED if r < 0.01 else IN_HANDLING if r < 0.06 else ACTIONS_DECIDED if r < 0.20
                    else REOPENED if r < 0.21 else CLOSED)
        return (IN_HANDLING if r < 0.005 else ACTIONS_DECIDED if r < 0.02 else REOPENED if r < 0.025
                else REOPENED_CLOSED if r < 0.055 else CLOSED)

    def _reporter(self, unit) -> User:
        # Employees report. (Not the supervisor: as the handler of the report the
        # county notification would carry their name as the contact person, which
        # deviation_notify_county refuses when the handler is also the reporter.)
        employees = self.unit_staff[id(unit)]["employees"]
        if unit == self.demo_unit:
            # The demo employee reports often, so that their own list is full.
            weights = [2 if u.email == LOGIN_EMAIL[Role.EMPLOYEE] else 1 for u in employees]
            return self.rng.choices(employees, weights=weights)[0]
        return self.rng.choice(employees)

    def _plans(self) -> list[Plan]:
        weights = [self._unit_weight(u) for u in self.units]
        total = sum(weights)
        plans = []
        for unit, weight in zip(self.units, weights, strict=True):
            for _ in range(round(self.scale.deviations * weight / total)):
                kind = names.weighted(self.rng, KIND_WEIGHTS[unit.service_type])
                submitted = self._random_time(unit)
                # Age in whole days: the fate (and so the random draws that follow)
                # must not change with the hour the demo is built at.
                age = (self.today - timezone.localtime(submitted).date()).days
                fate = self._fate_for_age(age)
                old = age > 60
                chance = self.rng.random()  # drawn always: the stream must not depend on the clock
                if kind == Kind.GRIEVANCE and fate == CLOSED and old and chance < 0.12:
                    fate = ESCALATED  # not corrected in time: the authority was told
                anonymous = self.rng.random() < (0.3 if kind == Kind.GRIEVANCE else 0.06)
                plans.append(Plan(unit, kind, submitted, fate, self._reporter(unit), anonymous))
        self._ensure_coverage(plans)
        plans.sort(key=lambda p: p.submitted_at)
        return plans

    def _ensure_coverage(self, plans):
        """Every kind, every fate, anonymous reports and county notifications
        exist whatever the scale; the demo employee has answered reports."""
        demo = self.demo_unit
        demo_employee = self.login_users[Role.EMPLOYEE]
        demo_plans = [p for p in plans if p.unit == demo]
        others = [p for p in plans if p.unit != demo] or demo_plans
        ranges = {  # days ago a report of this fate plausibly was submitted
            SUBMITTED: (0.05, 1.0), IN_HANDLING: (1, 10), ACTIONS_DECIDED: (3, 20), CLOSED: (20, 300),
            REOPENED: (30, 120), REOPENED_CLOSED: (60, 300), ESCALATED: (45, 200),
        }

        def set_fate(plan, fate, kind=None):
            plan.fate = fate
            plan.submitted_at = self._random_time(plan.unit, min_days=ranges[fate][0], max_days=ranges[fate][1])
            if kind:
                plan.kind = kind

        # The demo employee's own reports, in every state, with answers.
        for fate, kind in [
            (CLOSED, Kind.THREAT_OR_VIOLENCE),
            (CLOSED, Kind.MEDICATION),
            (CLOSED, Kind.NEAR_MISS),
            (ACTIONS_DECIDED, Kind.QUALITY),
            (IN_HANDLING, Kind.THREAT_OR_VIOLENCE),
            (SUBMITTED, Kind.QUALITY),
            (REOPENED_CLOSED, Kind.CLIENT_RIGHTS),
        ]:
            plan = demo_plans.pop(0)
            set_fate(plan, fate, kind)
            plan.reporter, plan.anonymous = demo_employee, False
        # Every kind in the rest of the organisation, and each fate at least once.
        for plan, kind in zip(others, list(Kind), strict=False):
            plan.kind = kind
        fates = [SUBMITTED, IN_HANDLING, ACTIONS_DECIDED, CLOSED, REOPENED, REOPENED_CLOSED]
        for plan, fate in zip(others[len(Kind) :], fates, strict=False):
            set_fate(plan, fate)
        rest = others[len(Kind) + 6:] or others
        # A § 29 grievance that went all the way to the supervisory authority,
        # one closed after the county was told, and an overdue one.
        set_fate(rest[0], ESCALATED, Kind.GRIEVANCE)
        set_fate(rest[1 % len(rest)], CLOSED, Kind.GRIEVANCE)
        rest[2 % len(rest)].fate = ACTIONS_DECIDED
        rest[2 % len(rest)].submitted_at = self._random_time(rest[2 % len(rest)].unit, min_days=40, max_days=90)
        rest[3 % len(rest)].anonymous = True
        rest[4 % len(rest)].anonymous = True
        rest[4 % len(rest)].kind = Kind.GRIEVANCE
        for plan in plans:  # the escalation path is only for grievances
            if plan.fate == ESCALATED and plan.kind != Kind.GRIEVANCE:
                plan.fate = CLOSED

    def _deviations(self):
        plans = self._plans()
        self.log(f"  playing {len(plans)} deviations through the services")
        for i, plan in enumerate(plans, 1):
            self._play(plan)
            if i % 500 == 0:
                self.log(f"    {i}/{len(plans)}")
        # The real due dates first: the reminder job reads them.
        update_rows(Action, ["due_date"], [(due, pk) for pk, due in self.backdater.action_due.items()])
        self._escalate_stalled()
        self._replay_jobs()

    def _escalate_stalled(self):
        """Reports nobody started handling in time were escalated to the manager by
        the background job, each when its handling deadline passed. Run the job as
        of those moments, so that the worker has no backlog to mail out on start."""
        stalled = Deviation.objects.filter(
            state=State.SUBMITTED, escalated_at__isnull=True, handling_due_at__lt=self.now - JOB_DELAY
        ).order_by("handling_due_at", "pk")
        for pk, due in stalled.values_list("pk", "handling_due_at"):
            at = self._at(due + JOB_DELAY)
            if dev_services.deviations_escalate_stalled(now=at):
                self._stamps[pk]["escalated_at"] = at

    def _at(self, t: dt.datetime) -> dt.datetime:
        self.backdater.now = t
        return t

    def _play(self, plan: Plan):
        rng, unit = self.rng, plan.unit
        staff = self.unit_staff[id(unit)]
        occurred = plan.submitted_at - dt.timedelta(minutes=rng.choice([5, 15, 30, 45, 60, 90, 120, 240, 600]))
        description, location, immediate, proposal, extra = texts.compose_description(rng, plan.kind, unit.service_type)
        police = extra.pop("police", False)
        self._at(plan.submitted_at)
        result = dev_services.deviation_submit(
            actor=plan.reporter,
            unit=unit,
            report=dev_services.ReportInput(
                kind=plan.kind,
                occurred_at=occurred,
                description=description,
                location=location,
                immediate_actions=immediate,
                affected_child=plan.kind not in (Kind.HARASSMENT,) and rng.random() < 0.75,
                affected_staff=plan.kind in (Kind.THREAT_OR_VIOLENCE, Kind.HARASSMENT) and rng.random() < 0.6,
                affected_other=rng.random() < 0.05,
                improvement_proposal=proposal,
                anonymous=plan.anonymous,
                **extra,
            ),
            submitted_at=plan.submitted_at,
        )
        dev = result.deviation
        stamps = self._stamps[dev.pk] = {"submitted_at": plan.submitted_at}
        if dev.notification_due_at is not None:  # a serious event: the clock started at submission
            stamps["notification_due_at"] = dev.notification_due_at
        if plan.fate == SUBMITTED:
            return

        handler = self.users.get(dev.handler_id) or staff["supervisor"]
        # Bounded by today: a report from yesterday cannot have been handled last week.
        room = (self.now - dt.timedelta(minutes=5) - plan.submitted_at).total_seconds()
        gaps = {
            "classify": rng.uniform(0.05, 4.5) * 86400,
            "actions": rng.uniform(0.1, 6) * 86400,
            "answer": rng.uniform(0.5, 12) * 86400,
            "close": rng.uniform(0.1, 10) * 86400,
            "reopen": rng.uniform(3, 25) * 86400,
            "reclose": rng.uniform(2, 14) * 86400,
        }
        squeeze = min(1.0, room / sum(gaps.values()))
        clock = plan.submitted_at

        def step(name):
            nonlocal clock
            clock = clock + dt.timedelta(seconds=gaps[name] * squeeze)
            return self._at(clock)

        consequence = names.weighted(rng, CONSEQUENCE_WEIGHTS.get(plan.kind, DEFAULT_CONSEQUENCE))
        if plan.fate == ESCALATED:
            consequence = max(consequence, 3)
        stamps["handling_started_at"] = stamps["classified_at"] = step("classify")
        dev = dev_services.deviation_classify(
            actor=handler,
            deviation=dev,
            consequence=consequence,
            likelihood=names.weighted(rng, LIKELIHOOD_WEIGHTS),
            is_critical=consequence >= 3,
            contributing_factors=rng.choice(texts.CONTRIBUTING) if rng.random() < 0.8 else "",
            analysis=rng.choice(texts.ANALYSES) if rng.random() < 0.7 else "",
            for_team_meeting=rng.random() < 0.35,
        )
        self._informed(dev, handler, occurred, police=police)
        if dev.notification_due_at is not None and "notification_due_at" not in stamps:
            # Critical: the clock started at the classification, that day. Written
            # at once (not only with the other stamps at the end), so that the
            # replayed clock job sees the real deadline and a late one is history.
            due = stamps["notification_due_at"] = law.SERIOUS_EVENT_DUTY.deadline(clock)
            Deviation.objects.filter(pk=dev.pk).update(notification_due_at=due)
            dev.notification_due_at = due
        notified_at = None
        if dev.requires_statutory_notification and (plan.fate != IN_HANDLING or rng.random() < 0.6):
            late_after = clock + dt.timedelta(hours=rng.uniform(0.5, 20) * squeeze)
            if dev.notification_due_at is not None and rng.random() < 0.9:
                # Most handlers notify a serious event the same day, as the law asks.
                start = plan.submitted_at if dev.serious_reasons else clock
                room = max(dev.notification_due_at - start, dt.timedelta(minutes=30))
                late_after = min(start + room * rng.uniform(0.05, 0.6), self.now - dt.timedelta(minutes=5))
            notified_at = self._at(late_after)
            draft = dev_services.deviation_notification_drafts(actor=handler, deviation=dev)[0]
            body = _fill_in(draft.body, texts.county_summary(plan.kind))
            # The draft promises a correction date counted from today; the
            # message "was sent" on notified_at, so count from then.
            days = dt.timedelta(days=self.organisation.correction_due_days)
            promised = timezone.localtime(notified_at).date() + days
            body = body.replace(f"{self.today + days:%d.%m.%Y}", f"{promised:%d.%m.%Y}")
            # The handler notifies the county that placed the child: the unit's first.
            placing = sorted(unit.counties.all(), key=lambda c: c.name)[:1]
            dev_services.deviation_notify_county(
                actor=handler,
                deviation=dev,
                counties=placing,
                notify_authority=dev.statutory_duty.includes_authority,
                subject=draft.subject,
                body=body,
            )
            dev.refresh_from_db()
            if dev.notification_done_at is not None:
                stamps["notification_done_at"] = notified_at
        if plan.fate == IN_HANDLING:
            return

        step("actions")
        actions = []
        for title in rng.sample(texts.ACTION_TITLES[plan.kind], k=1 if rng.random() < 0.7 else 2):
            owner = handler if rng.random() < 0.6 or not staff["employees"] else rng.choice(staff["employees"])
            due = (timezone.localtime(clock) + dt.timedelta(days=rng.randint(7, 30))).date()
            # The service (rightly) refuses a due date in the past; the real one is
            # written back afterwards with the other timestamps.
            action = dev_services.deviation_add_action(
                actor=handler, deviation=dev, title=title, owner=owner, due_date=max(due, self.today)
            )
            self.backdater.action_due[action.pk] = due
            actions.append(action)
        if plan.fate == ESCALATED:
            # Not corrected by the due date the county was given: escalate. The
            # county notification is back-dated now (not only at the end), since
            # the service checks its due date and the draft quotes both dates.
            days = self.organisation.correction_due_days
            StatutoryNotification.objects.filter(deviation=dev).update(
                sent_at=notified_at, correction_due=timezone.localtime(notified_at).date() + dt.timedelta(days=days)
            )
            self._at(notified_at + dt.timedelta(days=days + rng.uniform(1, 5)))
            draft = dev_services.deviation_authority_draft(actor=handler, deviation=dev)
            dev_services.deviation_escalate_to_authority(
                actor=handler,
                deviation=dev,
                subject=draft.subject,
                body=_fill_in(draft.body, texts.AUTHORITY_SUMMARY),
            )
            stamps["escalated_at"] = self.backdater.now
            return
        if plan.fate == ACTIONS_DECIDED:
            if rng.random() < 0.4:
                stamps["answered_at"] = step("answer")
                dev = dev_services.deviation_answer(
                    actor=handler, deviation=dev, answer=texts.compose_answer(rng, plan.kind)
                )
            return

        decided_at = clock
        stamps["answered_at"] = step("answer")
        dev = dev_services.deviation_answer(actor=handler, deviation=dev, answer=texts.compose_answer(rng, plan.kind))
        for action in actions:
            due = self.backdater.action_due[action.pk]
            if rng.random() < 0.85:
                done = self._at(decided_at + (clock - decided_at) * rng.uniform(0.3, 0.95))
            elif due < self.today - dt.timedelta(days=21) and rng.random() < 0.93:
                # Done late, after the report was closed: most stragglers are
                # caught by the reminders; a few stay overdue, as in real life.
                late = timezone.make_aware(dt.datetime.combine(due, dt.time(14, 0))) + dt.timedelta(
                    days=rng.uniform(1, 20)
                )
                done = self._at(max(min(late, self.now - dt.timedelta(hours=2)), clock))
            else:
                continue
            action = improvement_services.action_complete(
                actor=self.users.get(action.owner_id, handler),
                action=action,
                note=rng.choice(texts.COMPLETION_NOTES),
            )
            self.backdater.completed_actions.append((action.pk, done))
            if action.state == ActionState.AWAITING_CHECK:
                self._check_effectiveness(action, done, checker=handler)
        stamps["closed_at"] = step("close")
        dev = self._close(dev, handler, staff)
        if plan.fate not in (REOPENED, REOPENED_CLOSED):
            return

        step("reopen")
        dev = dev_services.deviation_reopen(
            actor=staff["responsible"], deviation=dev, reason=rng.choice(texts.REOPEN_REASONS)
        )
        stamps["closed_at"] = None
        if plan.fate == REOPENED:
            return
        stamps["answered_at"] = step("reclose")
        dev = dev_services.deviation_answer(
            actor=handler, deviation=dev, answer=texts.compose_answer(rng, plan.kind) + " Asia käsiteltiin uudelleen."
        )
        stamps["closed_at"] = self._at(clock + dt.timedelta(hours=2 * squeeze))
        self._close(dev, handler, staff)

    def _informed(self, dev, handler, occurred, *, police: bool):
        """Who was informed, as the handler records it (no draw from the random
        stream: the rest of the demo stays as it was). The police when they came;
        for violence against a child, the child's social worker and a guardian.
        The first violence report handled has the police's row in any case, so
        that even a small demo shows one."""
        day = timezone.localtime(occurred).date()
        if dev.kind == Kind.THREAT_OR_VIOLENCE and not self._police_shown:
            police = self._police_shown = True
        if police:
            dev_services.informed_record_add(
                actor=handler, deviation=dev, party=InformedParty.POLICE, informed_on=day,
                informed_by=texts.INFORMED_POLICE_BY, note=texts.INFORMED_POLICE_NOTE,
            )
        if dev.kind == Kind.THREAT_OR_VIOLENCE and dev.violence_target == "child" and dev.pk % 3 == 0:
            for party in (InformedParty.SOCIAL_WORKER, InformedParty.GUARDIAN):
                dev_services.informed_record_add(
                    actor=handler, deviation=dev, party=party, informed_on=day, informed_by=handler.full_name
                )

    def _decide(self, dev, handler):
        """The three handling questions, answered before closing (no draw from the
        random stream). The first report closed in the demo region proposes a
        change to the shift-change instruction to the region's director, left undecided."""
        if dev.decisions_at is not None:  # reopened: answered before
            return
        followed = InstructionFollowed.YES
        if dev.kind in (Kind.MEDICATION, Kind.DATA_PROTECTION) and dev.pk % 2:
            followed = InstructionFollowed.NO
        elif dev.kind == Kind.NEAR_MISS and dev.pk % 3 == 0:
            followed = InstructionFollowed.NO_INSTRUCTION
        outside = dev.kind == Kind.THREAT_OR_VIOLENCE and dev.injury
        director = self.regional_directors.get(dev.unit.region_id)
        propose = (
            not self._proposal_made and director is not None and dev.unit.region.name == DEMO_REGION_NAME
        )
        extra = {}
        if propose:
            self._proposal_made = True
            followed = InstructionFollowed.NO
            extra = {"instruction": texts.PROPOSAL_INSTRUCTION, "proposal": texts.PROPOSAL_TEXT, "responsible": director}
        dev_services.deviation_decide_handling(
            actor=handler, deviation=dev, instruction_followed=followed, must_change=propose,
            outside_needed=outside, outside_party=texts.OUTSIDE_PARTY if outside else "", **extra,
        )

    def _close(self, dev, handler, staff):
        """Close; a § 29 grievance whose action is still open is closed by the
        responsible person, who records why."""
        self._decide(dev, handler)
        self._stamps[dev.pk].setdefault("decisions_at", self.backdater.now)
        refusals = dev_services.deviation_close_refusals(dev)
        if refusals and dev.kind == Kind.GRIEVANCE and staff.get("responsible") is not None:
            return dev_services.deviation_close(
                actor=staff["responsible"], deviation=dev, reason=self.rng.choice(texts.UNCORRECTED_CLOSE_REASONS)
            )
        return dev_services.deviation_close(actor=handler, deviation=dev)

    def _check_effectiveness(self, action, done: dt.datetime, *, checker):
        """A serious risk's fix is checked a month after it was done. The service
        counts the month from today; count it from `done`, and record the check
        when that month is history."""
        due = timezone.localtime(done).date() + dt.timedelta(days=EFFECTIVENESS_CHECK_DAYS)
        Action.objects.filter(pk=action.pk).update(effectiveness_due=due)
        action.effectiveness_due = due
        checked = done + dt.timedelta(days=EFFECTIVENESS_CHECK_DAYS + self.rng.uniform(1, 12))
        result = names.weighted(self.rng, [(Effectiveness.YES, 80), (Effectiveness.PARTLY, 20)])
        evidence = self.rng.choice(texts.EFFECTIVENESS_EVIDENCE)
        if checked < self.now - dt.timedelta(hours=1):
            self._at(checked)
            improvement_services.action_record_effectiveness(
                actor=checker, action=action, result=result, evidence=evidence
            )
            self.backdater.checked_actions.append((action.pk, checked))

    def _replay_jobs(self):
        """The worker's periodic jobs (action reminders, deadlines, escalations) run
        once a day over the year, each as of that morning: their notifications
        are history, and the worker starts with no backlog to mail out."""
        replayable = [job for job in jobs.registered() if "now" in inspect.signature(job.func).parameters]
        step = self.scale.job_replay_days
        for days_ago in range(364 - 364 % step, -1, -step):  # ends with this morning
            at = timezone.make_aware(dt.datetime.combine(self.today - dt.timedelta(days=days_ago), dt.time(7, 0)))
            # ...and once more just now, so that nothing is left for the worker.
            at = min(at, self.now - dt.timedelta(minutes=1))
            self._at(at)
            for job in replayable:
                job.func(now=at)

    def _restamp_deviations(self):
        """Rewrite the stamps the services set with the real clock."""
        fields = [
            "handling_started_at",
            "classified_at",
            "answered_at",
            "closed_at",
            "decisions_at",
            "escalated_at",
            "notification_due_at",
            "notification_done_at",
        ]
        pks = list(self._stamps)
        rows = []
        for i in range(0, len(pks), 900):
            for values in Deviation.objects.filter(pk__in=pks[i : i + 900]).values("pk", *fields):
                stamps = self._stamps[values["pk"]]
                # The last step taken (a deadline is not a step: it may lie ahead).
                last = max(t for f, t in stamps.items() if t is not None and f != "notification_due_at")
                # Keep what the services left empty empty; back-date the rest.
                rows.append(
                    (*[(stamps.get(f) or last) if values[f] is not None else None for f in fields], last, values["pk"])
                )
        update_rows(Deviation, [*fields, "updated_at"], rows)


def update_rows(model, fields: list[str], rows) -> None:
    """UPDATE model SET fields = values WHERE pk = ... for many rows, as one
    prepared statement run with executemany: the bulk form of
    `filter(pk=...).update(...)`. (bulk_update's CASE WHEN spends minutes in the
    SQL compiler for the ~30,000 rows a demo year has.) rows: (*values, pk)."""
    if not rows:
        return
    meta = model._meta
    concrete = [meta.get_field(f) for f in fields]
    qn = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        qn(meta.db_table), ", ".join(f"{qn(f.column)} = %s" for f in concrete), qn(meta.pk.column)
    )
    params = [
        [f.get_db_prep_value(v, connection) for f, v in zip(concrete, row[:-1], strict=True)] + [row[-1]] for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _fill_in(body: str, text: str) -> str:
    """Write the handler's own words into the gap a pre-filled draft leaves after
    its "what happened (without names):" heading, as a handler would."""
    if ":\n\n\n" in body:
        return body.replace(":\n\n\n", f":\n\n{text}\n\n", 1)
    return f"{body}\n\n{text}"


# --- reset -----------------------------------------------------------------------------


def _project_models():
    from django.apps import apps

    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m.__module__.startswith("omavalvonta.")
        and m is not User
        and not m._meta.proxy
        # Reference data installed by a migration (the functional-capacity
        # instruments) is the product's, not the demo's: a wipe keeps it.
        and not getattr(m, "kept_by_demo_wipe", False)
    ]


def deletion_order(models_):
    """Models ordered so that every model comes before the models it points to
    (children first): deleting in this order never meets a PROTECT."""
    remaining = set(models_)
    deps = {
        m: {
            f.related_model
            for f in m._meta.concrete_fields
            if f.is_relation and f.related_model in remaining and f.related_model is not m
        }
        for m in remaining
    }
    order = []
    while remaining:
        # Models nothing else (still to delete) points at can go now.
        ready = [m for m in remaining if not any(m in deps[o] for o in remaining if o is not m)]
        if not ready:  # a cycle: let the collector sort it out
            ready = [min(remaining, key=lambda m: m._meta.label)]
        ready.sort(key=lambda m: m._meta.label)
        order.extend(ready)
        remaining -= set(ready)
    return order


def wipe(*, allowed_names=(DEMO_ORGANISATION_NAME,), user_domain=DEMO_DOMAIN, fast=False) -> None:
    """Delete the organisation's data, children before parents, then its people
    (users of `user_domain`). Refuses to touch an organisation whose name is not
    in `allowed_names`: --reset must never wipe a real provider's data."""
    foreign = Organisation.objects.exclude(name__in=allowed_names).values_list("name", flat=True)
    if foreign:
        raise DemoExists(
            f"The database holds the organisation {foreign[0]!r}, which is not demo data; refusing to wipe it."
        )
    existing = set(connection.introspection.table_names())
    with transaction.atomic():
        for model in deletion_order(_project_models()):
            # The reports' running counts go last: the reports' triggers write
            # their deltas as the reports go (a unit's count rows wait for the
            # end of the transaction to be checked).
            if model._meta.db_table not in existing or model is ReportCount:  # not migrated here; last
                continue
            qs = model._base_manager.all()
            if fast:
                qs._raw_delete(qs.db)  # children are already gone: no cascades to collect
            else:
                qs.delete()
        if ReportCount._meta.db_table in existing:
            ReportCount.objects.all()._raw_delete(ReportCount.objects.db)
        User.objects.filter(email__endswith=f"@{user_domain}").delete()
