"""make load: the real HTTP server under load, with locust (headless, loopback only).

Runs gunicorn (DEBUG off) on 127.0.0.1:LOAD_WEB_PORT (default 8131) against

* the database given with --database-url (e.g. the one `make bench` built:
  LOAD_DATABASE_URL=sqlite:///$PWD/var/bench.sqlite3 or a PostgreSQL URL), or
* a throwaway PostgreSQL cluster (127.0.0.1:LOAD_PG_PORT, default 5443) filled
  with the demo organisation (manage.py load_demo), removed at the end,

then drives it with locust at each concurrency (1 and 8 users by default) for
--seconds each: the public pages (front page, plans index, a unit's plan page,
the public feedback form) and a signed-in staff mix (home, lists, a deviation's
page, the report form and its submission). Prints requests per second, p50 /
p95 / p99, errors, and each page's p50 as a ratio to the trivial signed-in page
(/oma/) of the same run, with the machine's load average.

Sign-in: a session is made directly in the database for the unit's supervisor
(as Django's test client does), so no password is needed: the bench's people
have none. Submissions add reports to the database used (marked "(make load)").
"""

from __future__ import annotations

import argparse
import base64
import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from httpclient import Browser  # noqa: E402
from pgcluster import Cluster  # noqa: E402

PYTHON = sys.executable
WEB_PORT = int(os.environ.get("LOAD_WEB_PORT", "8131"))
PG_PORT = int(os.environ.get("LOAD_PG_PORT", "5443"))


def log(message: str) -> None:
    print(message, flush=True)


def choose_cast():
    """The unit and the person whose pages are measured: a unit with a public
    page and a typical number of reports (the bench's own cast on a bench
    database), its supervisor, and its most recent reports."""
    from django.db.models import Count

    from omavalvonta.deviations.models import Deviation
    from omavalvonta.organisation.models import Membership, Role, Unit

    try:
        from omavalvonta.demo.bench import bench_cast, bench_exists

        if bench_exists():
            cast = bench_cast()
            return cast.unit, cast.supervisor, [str(i) for i in cast.deviation_ids[:200]]
    except ImportError:
        pass
    units = (Unit.objects.filter(is_active=True).exclude(public_slug="")
             .filter(memberships__role=Role.SUPERVISOR).annotate(n=Count("deviations")).order_by("n", "pk"))
    ordered = list(units.distinct())
    if not ordered:
        raise SystemExit("The database has no active unit with a public page and a supervisor to measure.")
    unit = ordered[len(ordered) // 2]
    supervisor = Membership.objects.filter(role=Role.SUPERVISOR, unit=unit).select_related("user").first().user
    ids = Deviation.objects.filter(unit=unit).order_by("-submitted_at").values_list("pk", flat=True)[:200]
    return unit, supervisor, [str(i) for i in ids]


def public_plan_slug() -> str:
    """A unit whose plan page has something to show (an approved plan); "" when none has."""
    from omavalvonta.plans.models import PlanVersion, VersionState

    return (PlanVersion.objects.filter(state=VersionState.APPROVED, unit__is_active=True)
            .exclude(unit__public_slug="").order_by("unit_id").values_list("unit__public_slug", flat=True).first() or "")


def session_for(user) -> tuple[str, str]:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value


def run_locust(users: int, seconds: int, env: dict, work: Path, tags: list[str] | None = None) -> list[dict]:
    prefix = work / f"u{users}-{'-'.join(tags or ['all'])}"
    subprocess.run(
        [PYTHON, "-m", "locust", "-f", str(ROOT / "tools" / "locustfile.py"), "--headless", "--users", str(users),
         "--spawn-rate", str(users), "--run-time", f"{seconds}s", "--host", f"http://127.0.0.1:{WEB_PORT}",
         "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR", "--stop-timeout", "10",
         *(["--tags", *tags] if tags else [])],
        cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=seconds + 120,
    )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def number(row: dict, key: str) -> float:
    try:
        return float(row.get(key) or 0)
    except ValueError:
        return 0.0


def print_table(users: int, rows: list[dict], seconds: int) -> None:
    pages = [r for r in rows if r["Name"] != "Aggregated"]
    total = next((r for r in rows if r["Name"] == "Aggregated"), None)
    baseline = next((r for r in pages if "trivial" in r["Name"]), None)
    base_p50 = number(baseline, "50%") if baseline else 0
    print()
    print(f"Concurrency {users} ({seconds} s): {number(total, 'Requests/s'):.1f} requests/s in all, "
          f"{int(number(total, 'Failure Count'))} errors of {int(number(total, 'Request Count'))} requests")
    header = f"{'page':<40} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} {'× trivial':>9}"
    print(header)
    print("-" * len(header))
    for r in sorted(pages, key=lambda r: (not r["Name"].startswith("staff: trivial"), r["Name"])):
        p50 = number(r, "50%")
        ratio = f"{p50 / base_p50:.1f}" if base_p50 else "–"
        print(f"{r['Name'][:40]:<40} {int(number(r, 'Request Count')):>8} {number(r, 'Requests/s'):>7.1f} "
              f"{p50:>7.0f} {number(r, '95%'):>7.0f} {number(r, '99%'):>7.0f} {int(number(r, 'Failure Count')):>6} "
              f"{ratio:>9}")


def main() -> int:
    parser = argparse.ArgumentParser(description="Load the real server with locust (headless, loopback).")
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL", ""),
                        help="the database to load (default: a throwaway PostgreSQL with the demo data)")
    parser.add_argument("--seconds", type=int, default=30, help="seconds per concurrency level (default 30)")
    parser.add_argument("--users", default="1,8", help="concurrency levels (default 1,8)")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    parser.add_argument("--tags", default="", help="only these pages (locustfile tags, comma-separated: public, "
                        "front, plans_index, plan_page, feedback_form, staff, trivial, home)")
    parser.add_argument("--each", action="store_true", help="load each tag of --tags alone, one after another")
    args = parser.parse_args()
    tags = [t.strip() for t in args.tags.split(",") if t.strip()]
    runs = [[t] for t in tags] if args.each else [tags]
    levels = [int(u) for u in args.users.split(",") if u.strip()]

    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="omavalvonta-load-")))
        database_url = args.database_url
        built = not database_url
        if built:
            pg = stack.enter_context(Cluster(port=PG_PORT))
            pg.createdb("omavalvonta")
            database_url = pg.url("omavalvonta")
        env = dict(os.environ)
        env.update(
            DJANGO_DEBUG="0", DJANGO_SECRET_KEY="load-only-secret-key-" + uuid.uuid4().hex,
            DATABASE_URL=database_url, SECURE_COOKIES="false", SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0",
            MFA_ENCRYPTION_KEY=base64.urlsafe_b64encode(os.urandom(32)).decode(), REQUIRE_MFA_FOR_PRIVILEGED="false",
            AXES_ENABLED="false", SITE_URL=f"http://127.0.0.1:{WEB_PORT}", LOG_LEVEL="WARNING",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            MEDIA_ROOT=os.environ.get("MEDIA_ROOT", str(work / "media")),
        )
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "omavalvonta.settings"
        log(f"Database: {database_url if not built else f'throwaway PostgreSQL on 127.0.0.1:{PG_PORT}'}")
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        if built:
            log("Loading the demo organisation into it (manage.py load_demo)...")
            subprocess.run([PYTHON, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True,
                           stdout=subprocess.DEVNULL)
        import django

        django.setup()
        unit, person, deviation_ids = choose_cast()
        plan_slug = public_plan_slug()
        cookie_name, session = session_for(person)
        from django.db import connections

        connections.close_all()
        log(f"Measured: unit {unit.name}, signed in as its supervisor; {len(deviation_ids)} reports to open; "
            + (f"the public plan page /julkinen/yksikot/{plan_slug}/" if plan_slug else
               "NO unit has an approved plan, so the public plan page is not measured"))
        log_file = (work / "gunicorn.log").open("w")
        web = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "omavalvonta.wsgi:application", "--bind", f"127.0.0.1:{WEB_PORT}",
             "--workers", str(args.web_workers), "--threads", str(args.threads), "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )
        stack.callback(lambda: (web.send_signal(signal.SIGTERM), web.wait(timeout=20)))
        deadline = time.monotonic() + 60
        while Browser(WEB_PORT, timeout=2).get("/accounts/login/").status != 200:
            if time.monotonic() > deadline or web.poll() is not None:
                raise SystemExit("gunicorn did not start:\n" + (work / "gunicorn.log").read_text()[-2000:])
            time.sleep(0.5)
        locust_env = dict(env, LOAD_SESSION_COOKIE=cookie_name, LOAD_SESSION=session, LOAD_UNIT_ID=str(unit.pk),
                          LOAD_UNIT_SLUG=plan_slug, LOAD_DEVIATION_IDS=",".join(deviation_ids))
        log(f"gunicorn: {args.web_workers} workers × {args.threads} threads, DEBUG off; machine load before: "
            + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        for users in levels:
            for run in runs:
                rows = run_locust(users, args.seconds, locust_env, work, run)
                print_table(users, rows, args.seconds)
        print()
        print("Machine load average after (1, 5, 15 min): " + " ".join(f"{x:.2f}" for x in os.getloadavg())
              + f" on {os.cpu_count()} cores (locust, gunicorn and the database share them).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
