"""The background worker: delivers the notification outbox and runs the periodic
jobs apps register in `core.jobs`.

    manage.py worker                 # loop until SIGINT/SIGTERM
    manage.py worker --once          # one pass of sends and every job (tests, cron)
    manage.py worker --interval 10 --batch 100

Several workers may run side by side on PostgreSQL: outbox rows are claimed
(see notifications.services) and each job run holds a PostgreSQL advisory lock,
so two workers never send the same row or run the same job at the same moment.
Each worker keeps its own job clock, so with N workers a job may run up to N
times per interval: jobs must be idempotent (they should be anyway: a worker
can die half-way through one).

The first SIGINT/SIGTERM asks the worker to stop: it finishes the message it is
sending, hands the rest of its batch back and exits. A second one stops it at once.
"""

import dataclasses
import hashlib
import logging
import signal
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.utils import translation

from omavalvonta.core import jobs
from omavalvonta.notifications.services import DeliveryStats, notifications_deliver_due

log = logging.getLogger("omavalvonta.worker")

# Sleep in short slices so that a stop request is noticed promptly.
_SLEEP_SLICE = 0.25


def _non_negative_float(value: str) -> float:
    number = float(value)
    if number < 0:
        raise ValueError(value)
    return number


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Send due notifications and run periodic jobs, until stopped (or once with --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass of sends and all jobs, then exit.")
        parser.add_argument(
            "--interval", type=_non_negative_float, default=5.0, help="Seconds to sleep between passes (default 5)."
        )
        parser.add_argument(
            "--batch", type=_positive_int, default=50, help="Notifications claimed per batch (default 50)."
        )

    def handle(self, *args, once=False, interval=5.0, batch=50, **options):
        # Jobs write reminders and escalations in the active language: the site's
        # (Finnish by default), never the untranslated msgids of a bare process.
        translation.activate(settings.LANGUAGE_CODE)
        self._stop_requested = False
        self._last_run: dict[str, float] = {}
        if once:
            failures = self._pass(batch=batch, run_all_jobs=True)
            if failures:
                raise CommandError(f"{failures} step(s) of the worker pass failed; see the log.")
            return
        log.info("Worker started (interval %ss, batch %s).", interval, batch)
        with self._stop_signals():
            while not self._stop_requested:
                self._refresh_connections()
                self._pass(batch=batch, run_all_jobs=False)
                self._sleep(interval)
        log.info("Worker stopped.")

    # --- One pass ---------------------------------------------------------------------

    def _pass(self, *, batch: int, run_all_jobs: bool) -> int:
        """Deliver what is due (batch after batch while batches come back full),
        then run the due jobs. Returns the number of steps that raised."""
        totals, failures = self._deliver(batch)
        jobs_run, jobs_failed = self._run_due_jobs(run_all_jobs)
        failures += jobs_failed

        busy = totals.claimed or jobs_run or failures
        log.log(
            logging.INFO if busy else logging.DEBUG,
            "Worker pass: sent %s, retrying %s, failed %s, handed back %s, lost %s; jobs run %s, jobs failed %s.",
            totals.sent,
            totals.retrying,
            totals.failed,
            totals.released,
            totals.lost,
            jobs_run,
            jobs_failed,
        )
        return failures

    def _deliver(self, batch: int) -> tuple[DeliveryStats, int]:
        """Deliver batch after batch while batches come back full; (totals, 1 if it raised)."""
        totals = DeliveryStats()
        try:
            while not self._stop_requested:
                stats = notifications_deliver_due(limit=batch, should_stop=lambda: self._stop_requested)
                for field in dataclasses.fields(DeliveryStats):
                    setattr(totals, field.name, getattr(totals, field.name) + getattr(stats, field.name))
                # A full batch that made progress: more may be waiting. A server
                # that is down hands rows back: wait for the next pass instead.
                if stats.claimed < batch or stats.released or not (stats.sent or stats.retrying or stats.failed):
                    break
        except Exception:
            log.exception("Delivering notifications failed; retrying on the next pass.")
            return totals, 1
        return totals, 0

    def _run_due_jobs(self, run_all_jobs: bool) -> tuple[int, int]:
        """Run the jobs whose interval has passed (all with `run_all_jobs`); (run, failed)."""
        jobs_run = jobs_failed = 0
        for job in jobs.registered():
            if self._stop_requested:
                break
            now = time.monotonic()
            last = self._last_run.get(job.name)
            if not run_all_jobs and last is not None and now - last < job.every_seconds:
                continue
            self._last_run[job.name] = now
            jobs_run += 1
            if not self._run_job(job):
                jobs_failed += 1
        return jobs_run, jobs_failed

    def _run_job(self, job: jobs.Job) -> bool:
        """Run one job in its own try/except: one failing job stops nothing else."""
        started = time.monotonic()
        try:
            with self._job_lock(job.name) as acquired:
                if not acquired:
                    log.info("Job %s is running in another worker; skipped.", job.name)
                    return True
                result = job.func()
        except Exception:
            log.exception("Job %s failed.", job.name)
            self._recover_connection()
            return False
        log.info("Job %s done in %.2f s: %s.", job.name, time.monotonic() - started, result)
        return True

    @contextmanager
    def _job_lock(self, name: str):
        """On PostgreSQL, a session advisory lock per job name; elsewhere nothing
        (SQLite means one machine, and usually one worker)."""
        if connection.vendor != "postgresql":
            yield True
            return
        # A stable 64-bit key (hash() differs between processes).
        digest = hashlib.blake2b(f"omavalvonta.job:{name}".encode(), digest_size=8).digest()
        key = int.from_bytes(digest, "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            acquired = cursor.fetchone()[0]
        try:
            yield acquired
        finally:
            if acquired:
                try:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
                except Exception:
                    # The lock dies with the session: drop the connection to be sure.
                    log.warning("Could not release the lock of job %s; closing the connection.", name)
                    self._recover_connection(force=True)

    # --- Connections, sleeping, signals ------------------------------------------------

    def _refresh_connections(self) -> None:
        """What Django does around each request: drop connections that broke
        (the database restarted) or outlived CONN_MAX_AGE."""
        for conn in connections.all(initialized_only=True):
            if not conn.in_atomic_block:
                try:
                    conn.close_if_unusable_or_obsolete()
                except Exception:  # the database is away: the pass logs it and we try again
                    log.debug("Could not check database connection %s", conn.alias, exc_info=True)

    def _recover_connection(self, force: bool = False) -> None:
        """After a failed job: a connection left in a broken state would fail
        every later step of this pass, so roll back or drop it (never inside a
        caller's transaction, such as a test's)."""
        if connection.in_atomic_block:
            return
        if force:
            connection.close()
            return
        connection.close_if_unusable_or_obsolete()

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self._stop_requested:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            time.sleep(min(remaining, _SLEEP_SLICE))

    @contextmanager
    def _stop_signals(self):
        def request_stop(signum, frame):
            if self._stop_requested:
                # Second request: the operator means it. Rows being sent stay
                # claimed until their claim expires, then another pass sends them.
                raise SystemExit(128 + signum)
            self._stop_requested = True
            log.info("Worker got %s; stopping after the current step.", signal.Signals(signum).name)

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
