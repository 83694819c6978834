"""`manage.py bench`: build (or reuse) a large organisation in the CURRENT
database and print p50/p95 of the deviation pages. Point DATABASE_URL at a
database of its own (`make bench` does): it refuses a database that holds any
other organisation."""

import os
import time
import warnings

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import override_settings

from omavalvonta.demo import bench, builder


def _unapplied_migrations() -> bool:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class Command(BaseCommand):
    help = (
        "Build a large dataset (default 2,000 units, 500,000 deviations) in the current database and measure "
        "the deviation list, detail and submit against a trivial signed-in page."
    )

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=2000)
        parser.add_argument("--deviations", type=int, default=500_000)
        parser.add_argument("--staff-per-unit", type=int, default=25)
        parser.add_argument("--requests", type=int, default=200, help="Measured requests per page (default 200).")
        parser.add_argument(
            "--max-seconds", type=float, default=60,
            help="Stop measuring a page after this many seconds (at least 20 requests). 0: no limit.",
        )
        parser.add_argument(
            "--responses", type=int, default=100_000,
            help="Client-feedback responses to seed (about 4.6 answers each; default 100,000; "
            "1000000 for the full scale). Added to a reused dataset that has none.",
        )
        parser.add_argument("--reuse", action="store_true", help="Measure the dataset already in the database.")
        parser.add_argument(
            "--only", default="",
            help="Measure only the pages whose label has one of these comma-separated words (and the trivial page), "
            "e.g. --only 'timeline,search'.",
        )
        parser.add_argument(
            "--restrictions", type=int, default=200_000,
            help="Restrictive measures over the last year in the children's homes (default 200,000; 0: none).",
        )
        parser.add_argument(
            "--placements", type=int, default=None,
            help="Children placed over five years, each with three-monthly functional-capacity measurements "
            "(default 7.5 a unit: 15,000 at 2,000 units; 0: none). Added to a reused dataset that has no measurements.",
        )

    def handle(
        self, *args, units, deviations, staff_per_unit, requests, max_seconds, reuse, responses, restrictions, placements,
        only, **options
    ):
        if _unapplied_migrations():
            self.stdout.write("Migrating the database...")
            call_command("migrate", verbosity=0, interactive=False)
        foreign = bench.foreign_organisation()
        if foreign:
            raise CommandError(
                f"This database holds the organisation {foreign!r}. The bench writes half a million rows: point "
                "DATABASE_URL at a database of its own (for example `make bench`, which uses var/bench.sqlite3)."
            )
        if reuse and bench.bench_exists():
            self.stdout.write("Reusing the bench dataset in the database.")
        else:
            if bench.bench_exists():
                self.stdout.write("Removing the previous bench dataset...")
                started = time.perf_counter()
                builder.wipe(allowed_names=(bench.BENCH_ORGANISATION_NAME,), user_domain=bench.BENCH_DOMAIN, fast=True)
                self.stdout.write(f"  removed in {time.perf_counter() - started:.1f} s")
            self.stdout.write(f"Building {units} units and {deviations} deviations...")
            seconds = bench.BenchBuilder(
                units=units, deviations=deviations, staff_per_unit=staff_per_unit, log=self.stdout.write
            ).build()
            self.stdout.write(f"Built in {seconds:.1f} s.")
        bench.build_extras(
            responses=responses, log=self.stdout.write, restrictions=restrictions, placements=placements
        )

        if settings.DEBUG:
            self.stdout.write(self.style.WARNING("DEBUG is on in the settings; measuring with DEBUG off."))
        # Honest timing: no debug query log; no MFA detour or lockout bookkeeping for
        # the forced logins; the plain static storage (no manifest needed). The
        # rest is the production stack.
        overrides = {
            "DEBUG": False,
            "REQUIRE_MFA_FOR_PRIVILEGED": False,
            "AXES_ENABLED": False,
            "API_RATE_LIMIT": 10**9,  # the API pages are called hundreds of times a minute
            "STORAGES": {
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
        }
        with override_settings(**overrides), warnings.catch_warnings():
            # whitenoise warns once that collectstatic has not been run: irrelevant here.
            warnings.filterwarnings("ignore", message="No directory at")
            cast = bench.bench_cast()
            self.stdout.write(
                f"Measuring {requests} requests per page (unit {cast.unit.name}: {len(cast.deviation_ids)}"
                f"{'+' if len(cast.deviation_ids) >= 500 else ''} reports)..."
            )
            results = bench.measure(
                cast, requests=requests, max_seconds=max_seconds or None, log=self.stdout.write,
                only=tuple(w.strip() for w in only.split(",") if w.strip()),
            )

        self.stdout.write("")
        self.stdout.write(f"Database: {bench.database_label()}")
        if hasattr(os, "getloadavg"):
            # Other work on the machine skews the figures: say how busy it was.
            one, five, fifteen = os.getloadavg()
            self.stdout.write(f"Machine: load average {one:.1f} / {five:.1f} / {fifteen:.1f}, {os.cpu_count()} CPUs")
        self.stdout.write("Rows: " + ", ".join(f"{v:,} {k}".replace(",", " ") for k, v in bench.row_counts().items()))
        self.stdout.write(
            f"Requests per page: up to {requests} (n), after 5 warm-up requests; in-process django.test.Client"
        )
        self.stdout.write("")
        for line in bench.format_table(results):
            self.stdout.write(line)
        warnings_ = bench.warnings_for(results)
        if warnings_:
            self.stdout.write("")
        for line in warnings_:
            self.stdout.write(self.style.WARNING(line))
