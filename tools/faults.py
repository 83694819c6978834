"""make faults: the product under faults, with the numbers to prove it survives them.

Starts a throwaway PostgreSQL cluster (127.0.0.1:FAULTS_PG_PORT, default 5443), a
local SMTP server (aiosmtpd, 127.0.0.1:FAULTS_SMTP_PORT, 8025), gunicorn
(127.0.0.1:FAULTS_WEB_PORT, 8130, DEBUG off, DATABASE_CONN_MAX_AGE=60) and
`manage.py worker` processes, then runs each scenario within its own time bound:

  smtp-down         the mail server is down, then back
  worker-kill-9     workers SIGKILLed in the middle of batches, restarted
  db-restart-mail   PostgreSQL restarted while a worker is sending a batch
  db-restart-idle   PostgreSQL restarted while idle; forms opened before it are sent after
  db-restart-load   PostgreSQL restarted under a load of report submissions
  workers-race      three workers and two `worker --once` callers on one outbox
  concurrent-edits  two people save the same classification / plan section at once
  throughput        one worker sending a thousand messages

Each prints sent / stored / delivered / duplicated / lost. Exit status 1 on any
loss, any duplicate e-mail (except after kill -9, where at most one per kill is
allowed: the message on the wire when the worker died, same Message-ID), any
duplicate report, or any lost update. Everything runs on loopback and stops by
itself; the cluster and the processes are removed at the end.

    make faults                       # all scenarios
    make faults FAULTS_ARGS="-k db"   # scenarios whose name contains "db"
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from httpclient import Browser, hidden_value  # noqa: E402
from pgcluster import Cluster  # noqa: E402
from smtpsink import SmtpSink  # noqa: E402

WEB_PORT = int(os.environ.get("FAULTS_WEB_PORT", "8130"))
PG_PORT = int(os.environ.get("FAULTS_PG_PORT", "5443"))
SMTP_PORT = int(os.environ.get("FAULTS_SMTP_PORT", "8025"))
PYTHON = sys.executable
# A claim of ten seconds (120 in production) keeps the kill -9 scenario short:
# rows of a killed worker are sent again after it.
CLAIM_SECONDS = 10
KILLS = 6


_STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - _STARTED:6.1f} s] {message}", flush=True)


def wait_until(condition, *, timeout: float, step: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


@dataclass
class Result:
    scenario: str
    sent: int = 0
    stored: int = 0
    delivered: int = 0
    duplicated: int = 0
    lost: int = 0
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


class Harness:
    def __init__(self, pg: Cluster, sink: SmtpSink, work: Path):
        self.pg = pg
        self.sink = sink
        self.work = work
        self.env = dict(os.environ)
        self.env.update(
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="faults-only-secret-key-" + uuid.uuid4().hex,
            DATABASE_URL=pg.url("omavalvonta"),
            DATABASE_CONN_MAX_AGE="60",
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(SMTP_PORT),
            EMAIL_TIMEOUT_SECONDS="5",
            SECURE_COOKIES="false",
            # Plain HTTP on loopback: no redirect to HTTPS. A fresh key for the MFA secrets.
            SECURE_SSL_REDIRECT="false",
            SECURE_HSTS_SECONDS="0",
            MFA_ENCRYPTION_KEY=base64.urlsafe_b64encode(os.urandom(32)).decode(),
            REQUIRE_MFA_FOR_PRIVILEGED="false",
            AXES_ENABLED="false",
            OUTBOX_CLAIM_SECONDS=str(CLAIM_SECONDS),
            SITE_URL=f"http://127.0.0.1:{WEB_PORT}",
            MEDIA_ROOT=str(work / "media"),
            LOG_LEVEL="WARNING",
        )
        self.web: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    # --- processes -----------------------------------------------------------------

    def manage(self, *args: str) -> None:
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
                       stdout=subprocess.DEVNULL)

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        path = self.work / f"{name}-{len(self.logs)}.log"
        self.logs.append(path)
        handle = path.open("w")
        return subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT,
                                start_new_session=True)

    def start_web(self) -> None:
        self.web = self._spawn("gunicorn", [
            PYTHON, "-m", "gunicorn", "omavalvonta.wsgi:application", "--bind", f"127.0.0.1:{WEB_PORT}",
            "--workers", "2", "--threads", "4", "--graceful-timeout", "5", "--log-level", "warning",
        ])
        if not wait_until(lambda: Browser(WEB_PORT, timeout=2).get("/accounts/login/").status == 200, timeout=60):
            raise SystemExit(f"gunicorn did not answer on 127.0.0.1:{WEB_PORT}")

    def start_worker(self, *args: str) -> subprocess.Popen:
        worker = self._spawn("worker", [PYTHON, "manage.py", "worker", "--interval", "0.5", *args])
        self.workers.append(worker)
        return worker

    def log_count(self, text: str, since: int = 0) -> int:
        """How many lines of the process logs (from log number `since` on) contain `text`."""
        return sum(path.read_text(errors="replace").count(text) for path in self.logs[since:])

    def stop_workers(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        self.workers = []

    def stop_all(self) -> None:
        self.stop_workers()
        if self.web is not None and self.web.poll() is None:
            self.web.send_signal(signal.SIGTERM)
            try:
                self.web.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.web.kill()

    def restart_database(self) -> float:
        away = self.pg.restart("fast")
        from django.db import connections

        connections.close_all()  # this process's own connection died with the restart
        return away

    # --- data ----------------------------------------------------------------------

    def setup_data(self) -> None:
        from omavalvonta.organisation.models import Role
        from omavalvonta.testing.factories import (
            OrganisationFactory,
            RegionFactory,
            UnitFactory,
            WellbeingCountyFactory,
            member,
        )

        org = OrganisationFactory()
        county = WellbeingCountyFactory(name="Faults-hyvinvointialue")
        self.unit = UnitFactory(region=RegionFactory(organisation=org, name="Alue"), name="Lastenkoti Faults",
                                public_slug="faults", counties=[county])
        self.reporters = [
            member(Role.EMPLOYEE, unit=self.unit, full_name=f"Raportoija {i}", email=f"raportoija{i}@faults.example")
            for i in range(8)
        ]
        self.handlers = [
            member(Role.SUPERVISOR, unit=self.unit, full_name="Essi Esihenkilö", email="essi@faults.example"),
            member(Role.RESPONSIBLE_PERSON, unit=self.unit, full_name="Veli Vastuuhenkilö",
                   email="veli@faults.example"),
        ]

    def browser(self, user) -> Browser:
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(user)
        return Browser(WEB_PORT, cookies={settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value})

    def enqueue(self, tag: str, count: int) -> list[int]:
        from django.db import transaction

        from omavalvonta.notifications.services import notification_enqueue

        ids = []
        with transaction.atomic():
            for i in range(count):
                ids.append(notification_enqueue(kind=f"faults.{tag}", subject=f"[faults:{tag}] viesti {i}",
                                                body="Testiviesti.", email=f"{tag}{i}@faults.example").pk)
        return ids

    def failed_attempts(self, ids) -> int:
        from omavalvonta.notifications.models import Notification

        return Notification.objects.filter(pk__in=ids).exclude(last_error="").count()

    def sent_with_tag(self, tag: str) -> int:
        with self.sink.lock:
            return sum(1 for m in self.sink.messages if f"[faults:{tag}]" in m["subject"])

    def outbox(self, ids) -> Counter:
        from omavalvonta.notifications.models import Notification

        return Counter(Notification.objects.filter(pk__in=ids).values_list("state", flat=True))

    def emailed_ids(self, since) -> list[int]:
        from omavalvonta.notifications.models import Notification

        return list(Notification.objects.filter(created_at__gte=since).exclude(email="").values_list("pk", flat=True))

    def deliveries(self, ids) -> tuple[int, int]:
        """(unique messages the sink got for these rows, extra copies)."""
        from omavalvonta.notifications.models import Notification
        from omavalvonta.notifications.services import message_id

        wanted = {message_id(n) for n in Notification.objects.filter(pk__in=ids)}
        counts = self.sink.ids()
        got = {mid: n for mid, n in counts.items() if mid in wanted}
        return len(got), sum(n - 1 for n in got.values())

    def drained(self, ids) -> bool:
        states = self.outbox(ids)
        return set(states) <= {"sent", "failed"}

    def mail_result(self, result: Result, ids, *, allowed_duplicates: int = 0) -> None:
        states = self.outbox(ids)
        result.sent += len(ids)
        result.stored += states.get("sent", 0)
        delivered, duplicated = self.deliveries(ids)
        result.delivered += delivered
        result.duplicated += duplicated
        result.lost += len(ids) - delivered
        if len(ids) - delivered:
            result.failures.append(f"{len(ids) - delivered} e-mails never delivered ({dict(states)})")
        if duplicated > allowed_duplicates:
            result.failures.append(f"{duplicated} duplicate e-mails (allowed {allowed_duplicates})")


# --- Scenarios ----------------------------------------------------------------------------


def scenario_smtp_down(h: Harness) -> Result:
    r = Result("smtp-down")
    h.sink.stop()
    ids = h.enqueue("smtpdown", 30)
    h.start_worker()
    # The worker must have met the server down (a failed attempt recorded), not
    # merely still be starting, before the server comes back.
    wait_until(lambda: h.failed_attempts(ids) >= 2, timeout=60)
    before = h.outbox(ids)
    r.notes.append(f"while down: {h.failed_attempts(ids)} attempts failed and were kept for a retry; "
                   f"{before.get('pending', 0)} pending, {before.get('sent', 0)} sent")
    h.sink.start()
    started = time.monotonic()
    # Rows that failed while the server was down wait out their first backoff (one minute).
    wait_until(lambda: h.drained(ids), timeout=100)
    r.notes.append(f"all sent {time.monotonic() - started:.0f} s after the server came back")
    h.stop_workers()
    h.mail_result(r, ids)
    return r


def scenario_worker_kill9(h: Harness) -> Result:
    r = Result("worker-kill-9")
    h.sink.delay = 0.02
    ids = h.enqueue("kill", 300)
    worker = h.start_worker()
    wait_until(lambda: h.sent_with_tag("kill") >= 10, timeout=60, step=0.05)  # killed mid-batch, not while starting
    rng = random.Random(12)
    for _ in range(KILLS):
        time.sleep(rng.uniform(0.4, 1.2))
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        worker = h.start_worker()
    wait_until(lambda: h.drained(ids), timeout=CLAIM_SECONDS * 3 + 60)
    h.stop_workers()
    h.sink.delay = 0
    h.mail_result(r, ids, allowed_duplicates=KILLS)
    r.notes.append(f"{KILLS} kills; at most one duplicate per kill allowed, each with the same Message-ID")
    return r


def scenario_db_restart_mail(h: Harness) -> Result:
    r = Result("db-restart-mail")
    h.sink.delay = 0.01
    ids = h.enqueue("dbmail", 400)
    started = time.monotonic()
    first_log = len(h.logs)
    h.start_worker()
    # Restart once the worker is well into a batch: messages are on the wire.
    wait_until(lambda: h.sent_with_tag("dbmail") >= 40, timeout=60, step=0.05)
    away = h.restart_database()
    wait_until(lambda: h.drained(ids), timeout=90)
    drain = time.monotonic() - started
    h.stop_workers()
    h.sink.delay = 0
    h.mail_result(r, ids)
    retried = h.log_count("retrying on a new connection", first_log)
    failed_passes = h.log_count("Delivering notifications failed", first_log)
    r.notes.append(f"database away {away:.1f} s; all 400 sent in {drain:.1f} s; {retried} outbox writes retried "
                   f"on a new connection, {failed_passes} worker passes failed")
    if os.environ.get("FAULTS_SHOW_LOGS"):
        for path in h.logs[first_log:]:
            print(path.read_text(errors="replace")[-3000:])
    return r


REPORT_FORM = "/poikkeamat/uusi/"


def report_data(unit, token: str) -> dict:
    return {
        "unit": str(unit.pk), "kind": "quality",
        "occurred_at": (dt.datetime.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Olohuone", "description": f"Iltalääkkeet jäivät antamatta. [{token}]",
        "immediate_actions": "Soitettiin sairaanhoitajalle.", "affected_child": "on",
    }


def send_report(browser: Browser, unit, token: str, *, reopen: bool, tries: int = 12) -> tuple[bool, int]:
    """Send one typed report as a person would: after an error page or no
    answer, open the form again (the draft comes back) and send again.
    Returns (saved, errors seen)."""
    errors = 0
    for attempt in range(tries):
        if reopen or attempt:
            page = browser.get(REPORT_FORM)
            if page.status != 200:
                errors += 1
                time.sleep(0.5)
                continue
        response = browser.post(REPORT_FORM, report_data(unit, token))
        if response.status == 302 and "/kiitos/" in response.location:
            return True, errors
        errors += 1
        time.sleep(0.5)
    return False, errors


def stored_reports(tokens) -> Counter:
    from omavalvonta.deviations.models import Deviation

    found = Counter()
    for description in Deviation.objects.filter(description__contains="[faults-").values_list("description", flat=True):
        token = description.rsplit("[", 1)[-1].rstrip("]")
        if token in tokens:
            found[token] += 1
    return found


def report_result(r: Result, tokens: list[str], saved: int, errors: int) -> None:
    stored = stored_reports(set(tokens))
    r.sent += len(tokens)
    r.stored += len(stored)
    r.duplicated += sum(n - 1 for n in stored.values())
    r.lost += len(tokens) - len(stored)
    r.notes.append(f"{saved} saved answers, {errors} error pages or refused connections seen (each told 'NOT saved')")
    if len(tokens) - len(stored):
        r.failures.append(f"{len(tokens) - len(stored)} reports lost")
    if r.duplicated:
        r.failures.append(f"{r.duplicated} reports stored twice")


def _add_notifications(h: Harness, r: Result, ids) -> None:
    """The e-mails the reports caused, delivered by a worker that lived through the restart."""
    mail = Result("mail")
    h.mail_result(mail, ids)
    r.delivered += mail.delivered
    r.duplicated += mail.duplicated
    r.lost += mail.lost
    r.failures += mail.failures
    r.notes.append(f"e-mails the reports caused: {mail.sent} queued, {mail.delivered} delivered, "
                   f"{mail.duplicated} duplicated")


def scenario_db_restart_idle(h: Harness) -> Result:
    r = Result("db-restart-idle")
    since = dt.datetime.now(dt.UTC)
    h.start_worker()
    browsers = [h.browser(h.reporters[i % len(h.reporters)]) for i in range(10)]
    for b in browsers:
        assert b.get(REPORT_FORM).status == 200  # the forms are opened before the restart
    time.sleep(1.0)  # the web workers' connections sit idle
    away = h.restart_database()
    tokens, saved, errors = [], 0, 0
    for i, b in enumerate(browsers):
        token = f"faults-idle-{i}-{uuid.uuid4().hex[:8]}"
        tokens.append(token)
        ok, seen = send_report(b, h.unit, token, reopen=False)
        saved += ok
        errors += seen
    report_result(r, tokens, saved, errors)
    r.notes.append(f"database away {away:.1f} s")
    if errors:
        r.failures.append(f"{errors} requests failed after an idle restart (health checks should prevent every one)")
    ids = h.emailed_ids(since)
    wait_until(lambda: h.drained(ids), timeout=60)
    h.stop_workers()
    _add_notifications(h, r, ids)
    return r


def scenario_db_restart_load(h: Harness) -> Result:
    r = Result("db-restart-load")
    since = dt.datetime.now(dt.UTC)
    h.sink.delay = 0.01
    first_log = len(h.logs)
    h.start_worker()
    stop_at = time.monotonic() + 25
    lock = threading.Lock()
    tokens: list[str] = []
    totals = {"saved": 0, "errors": 0}

    def person(index):
        browser = h.browser(h.reporters[index])
        rng = random.Random(index)
        n = 0
        while time.monotonic() < stop_at and n < 60:
            token = f"faults-load-{index}-{n}-{uuid.uuid4().hex[:6]}"
            with lock:
                tokens.append(token)
            if browser.get(REPORT_FORM).status != 200:
                with lock:
                    totals["errors"] += 1
            time.sleep(rng.uniform(0.1, 0.8))  # typing, while the database may restart
            ok, seen = send_report(browser, h.unit, token, reopen=False)
            with lock:
                totals["saved"] += ok
                totals["errors"] += seen
            n += 1

    threads = [threading.Thread(target=person, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    time.sleep(8)
    away = h.restart_database()
    for t in threads:
        t.join(timeout=120)
    report_result(r, tokens, totals["saved"], totals["errors"])
    r.notes.append(f"8 people for 25 s; database away {away:.1f} s at 8 s")
    ids = h.emailed_ids(since)
    wait_until(lambda: h.drained(ids), timeout=90)
    h.stop_workers()
    h.sink.delay = 0
    _add_notifications(h, r, ids)
    r.notes.append(f"the worker retried {h.log_count('retrying on a new connection', first_log)} outbox writes on a "
                   f"new connection; {h.log_count('Delivering notifications failed', first_log)} passes failed")
    return r


def scenario_workers_race(h: Harness) -> Result:
    r = Result("workers-race")
    ids = h.enqueue("race", 600)
    for _ in range(3):
        h.start_worker("--batch", "20")
    once = [subprocess.Popen([PYTHON, "manage.py", "worker", "--once", "--batch", "20"], cwd=ROOT, env=h.env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
    wait_until(lambda: h.drained(ids), timeout=90)
    for p in once:
        p.wait(timeout=60)
    h.stop_workers()
    h.mail_result(r, ids)
    r.notes.append("3 workers and 2 `worker --once` callers")
    return r


def _race_once(h: Harness, url: str, form_url: str, version_field: str, make_data) -> tuple[list[int], list[str]]:
    """Two people open the same form, then post at the same moment."""
    people = [h.browser(u) for u in h.handlers]
    versions = []
    for b in people:
        page = b.get(form_url)
        versions.append(hidden_value(page.body, version_field))
    barrier = threading.Barrier(2)
    responses = [None, None]

    def post(i):
        barrier.wait()
        responses[i] = people[i].post(url, {**make_data(i), version_field: versions[i]})

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return [resp.status for resp in responses], [resp.body for resp in responses]


def scenario_concurrent_edits(h: Harness) -> Result:
    from omavalvonta.core.models import AuditEvent
    from omavalvonta.deviations import services as deviations
    from omavalvonta.deviations.models import Deviation
    from omavalvonta.plans import services as plans
    from omavalvonta.plans.models import PlanSection

    r = Result("concurrent-edits")
    rounds = 10
    lost_updates = 0
    refused_with_text = 0
    for n in range(rounds):
        d = deviations.deviation_submit(actor=h.reporters[0], unit=h.unit, kind="quality",
                                        occurred_at=dt.datetime.now(dt.UTC), description=f"Kilpailu {n}").deviation
        texts = [f"Analyysi A{n}", f"Analyysi B{n}"]
        statuses, bodies = _race_once(
            h, f"/poikkeamat/{d.pk}/luokittelu/", f"/poikkeamat/{d.pk}/", "classify-edit_version",
            lambda i, texts=texts: {"classify-consequence": "2", "classify-likelihood": "3", "classify-analysis": texts[i]},
        )
        r.sent += 2
        winners = [i for i, s in enumerate(statuses) if s == 302]
        stored = Deviation.objects.get(pk=d.pk).analysis
        audited = AuditEvent.objects.filter(verb="deviation.classified", target_id=d.pk).count()
        r.stored += len(winners)
        if len(winners) != 1 or stored != texts[winners[0]] or audited != 1:
            lost_updates += 1
        loser = 1 - winners[0] if len(winners) == 1 else None
        if loser is not None and 'class="edit-conflict"' in bodies[loser] and texts[loser] in bodies[loser]:
            refused_with_text += 1
    draft = plans.plan_draft_start(actor=h.handlers[0], unit=h.unit)
    sections = list(PlanSection.objects.filter(version=draft).order_by("pk"))
    for n in range(rounds):
        section = sections[n % len(sections)]
        texts = [f"Osio A{n}", f"Osio B{n}"]
        url = f"/omavalvontasuunnitelmat/versiot/{draft.pk}/osiot/{section.pk}/"
        statuses, bodies = _race_once(h, url, url, "edit_version", lambda i, texts=texts: {"text": texts[i]})
        r.sent += 2
        winners = [i for i, s in enumerate(statuses) if s == 302]
        r.stored += len(winners)
        stored = PlanSection.objects.get(pk=section.pk).text
        if len(winners) != 1 or stored != texts[winners[0]]:
            lost_updates += 1
        loser = 1 - winners[0] if len(winners) == 1 else None
        if loser is not None and 'class="edit-conflict"' in bodies[loser] and texts[loser] in bodies[loser]:
            refused_with_text += 1
    r.lost = lost_updates
    r.notes.append(f"{2 * rounds} races (classification, plan section): {refused_with_text} second saves refused "
                   f"with their text kept and the other's shown")
    if lost_updates:
        r.failures.append(f"{lost_updates} lost updates (both saves accepted, or the record differs)")
    if refused_with_text != 2 * rounds:
        r.failures.append(f"only {refused_with_text} of {2 * rounds} refused saves kept the text and showed the conflict")
    return r


def scenario_throughput(h: Harness) -> Result:
    r = Result("throughput")
    h.sink.reset()
    ids = h.enqueue("speed", 1000)
    started = time.monotonic()
    h.start_worker("--batch", "50")
    wait_until(lambda: h.drained(ids), timeout=120, step=0.1)
    took = time.monotonic() - started
    h.stop_workers()
    h.mail_result(r, ids)
    r.notes.append(f"1 worker: {len(ids) / took:.0f} messages/s ({took:.1f} s, including start-up), "
                   f"{h.sink.connections} SMTP connections for {len(ids)} messages")
    return r


SCENARIOS = [
    ("smtp-down", scenario_smtp_down),
    ("worker-kill-9", scenario_worker_kill9),
    ("db-restart-mail", scenario_db_restart_mail),
    ("db-restart-idle", scenario_db_restart_idle),
    ("db-restart-load", scenario_db_restart_load),
    ("workers-race", scenario_workers_race),
    ("concurrent-edits", scenario_concurrent_edits),
    ("throughput", scenario_throughput),
]


def print_table(results: list[Result]) -> None:
    print()
    header = f"{'scenario':<18} {'sent':>6} {'stored':>7} {'delivered':>10} {'duplicated':>11} {'lost':>5}  result"
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r.scenario:<18} {r.sent:>6} {r.stored:>7} {r.delivered:>10} {r.duplicated:>11} {r.lost:>5}  "
              f"{'ok' if r.ok else 'FAILED'}")
        for note in r.notes:
            print(f"{'':<20}{note}")
        for failure in r.failures:
            print(f"{'':<20}FAILED: {failure}")
    print()
    print("sent: reports typed / e-mails queued / saves posted; stored: reports in the database / rows marked sent /"
          " saves accepted;\ndelivered: distinct messages the SMTP server got; duplicated: extra copies (same"
          " Message-ID) or reports stored twice;\nlost: typed but never stored, queued but never delivered, or"
          " (concurrent-edits) lost updates.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-k", dest="only", default="", help="run only the scenarios whose name contains this")
    args = parser.parse_args()
    chosen = [(n, f) for n, f in SCENARIOS if args.only in n]
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="omavalvonta-faults-") as work_dir, Cluster(port=PG_PORT) as pg:
        work = Path(work_dir)
        pg.createdb("omavalvonta")
        sink = SmtpSink(port=SMTP_PORT)
        sink.start()
        h = Harness(pg, sink, work)
        os.environ.update(h.env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "omavalvonta.settings"
        try:
            log(f"PostgreSQL on 127.0.0.1:{PG_PORT}, SMTP on 127.0.0.1:{SMTP_PORT}, web on 127.0.0.1:{WEB_PORT}")
            h.manage("migrate", "--noinput")
            h.manage("collectstatic", "--noinput")
            import django

            django.setup()
            h.setup_data()
            h.start_web()
            for name, func in chosen:
                log(f"scenario {name}...")
                started = time.monotonic()
                try:
                    result = func(h)
                except Exception as exc:  # a scenario that breaks is a failed scenario, and the rest still run
                    result = Result(name, failures=[f"{type(exc).__name__}: {exc}"])
                    h.stop_workers()
                    h.sink.delay = 0
                    if not h.sink.up:
                        h.sink.start()
                result.notes.append(f"took {time.monotonic() - started:.0f} s")
                log(f"  {name}: {'ok' if result.ok else 'FAILED'}")
                results.append(result)
        finally:
            h.stop_all()
            sink.stop()
            from django.db import connections

            connections.close_all()
            if any(not r.ok for r in results):
                for path in h.logs:
                    text = path.read_text(errors="replace").strip()
                    if "Traceback" in text or "ERROR" in text:
                        print(f"--- {path.name} (last lines) ---\n{text[-1500:]}")
    print_table(results)
    failed = [r.scenario for r in results if not r.ok]
    print(f"make faults: {'FAILED: ' + ', '.join(failed) if failed else 'all scenarios passed'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
