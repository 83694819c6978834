"""pytest plugin for browser tests (registered with `-p` in pyproject.toml).

Fixtures:
- `browser`: one headless Debian Chromium per test process, driven by
  Playwright's sync API. Skipped with a reason when /usr/bin/chromium is
  missing, unless OMAVALVONTA_REQUIRE_BROWSER=1 (CI), which fails instead.
- `phone_page`: a fresh context sized like a phone (390×844, touch), Finnish
  locale, Helsinki time; `desktop_page`: the same at 1280×800. Both start the
  live server (so the test's database access is transactional) and use its
  URL as base_url, so `page.goto("/accounts/login/")` works.

A test that fails leaves test-artifacts/<test name>.png (and .html) behind.
Tests using these fixtures are marked `browser` automatically, so
`-m "not browser"` leaves them out; mark them explicitly all the same.

Helpers (`login`, `snap`) are in omavalvonta.testing.browser.
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
import time

import pytest

from omavalvonta.testing.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    artifact_path,
    browser_required,
    new_context,
)

# Playwright's sync API keeps an asyncio event loop running in the main thread,
# so Django would refuse the test's own ORM calls (SynchronousOnlyOperation).
# Nothing async touches the database in a test process: it is safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

BROWSER_FIXTURES = {"browser", "phone_page", "desktop_page"}


def _serial_live_server_on_sqlite():
    """The live server answers one request at a time when the test database is
    SQLite in memory. Its threads then share the test's one connection (Django
    hands it to them), and the browser's parallel requests (a page, its service
    worker caching the offline pages, a queued report sent twice at once) used it
    at the same moment: a CI run hung for 30 minutes on such a deadlock. Django's
    single-threaded server closes each connection after its answer, so nothing
    waits on a kept-alive socket. On PostgreSQL each thread has its own
    connection and the threaded server stays."""
    from django.core.servers.basehttp import WSGIServer
    from django.test import testcases

    class SerialWSGIServer(WSGIServer):
        def server_activate(self):
            super().server_activate()
            SERIAL_SERVERS.append(self)

        def server_close(self):
            if self in SERIAL_SERVERS:
                SERIAL_SERVERS.remove(self)
            super().server_close()

        # A connection counts as in flight from just before it is accepted until
        # it is closed: between accept() and the handler's setup it was neither
        # waiting on the listening socket nor open, and the teardown's wait
        # returned while a request was still to be answered (a CI failure).
        def get_request(self):
            global IN_FLIGHT
            with _OPEN_LOCK:
                IN_FLIGHT += 1
            try:
                return super().get_request()
            except BaseException:
                with _OPEN_LOCK:
                    IN_FLIGHT -= 1
                raise

        def close_request(self, request):
            global IN_FLIGHT
            try:
                super().close_request(request)
            finally:
                with _OPEN_LOCK:
                    IN_FLIGHT -= 1

    class SerialRequestHandler(testcases.QuietWSGIRequestHandler):
        """Answers under the ANSWERING lock once the request's first bytes came.
        Chromium opens spare connections it may never use: waiting on one of
        them under the lock kept the test's own queries waiting for a browser
        that waited for the test (a hung run)."""

        def setup(self):
            super().setup()
            with _OPEN_LOCK:
                OPEN_CONNECTIONS.append(self)

        def finish(self):
            try:
                super().finish()
            finally:
                with _OPEN_LOCK:
                    OPEN_CONNECTIONS.remove(self)

        def handle_one_request(self):
            try:
                arrived = self.rfile.peek(1)
            except OSError:
                arrived = b""
            if not arrived:
                self.close_connection = True
                return
            with ANSWERING:
                super().handle_one_request()

    class LiveServerThread(testcases.LiveServerThread):
        def _create_server(self, connections_override=None):
            if not connections_override:
                return super()._create_server(connections_override)
            return SerialWSGIServer((self.host, self.port), SerialRequestHandler, allow_reuse_address=False)

    # pytest-django imports the class from this module when it starts the server.
    testcases.LiveServerThread = LiveServerThread


# Held while the serial live server answers a request. A page's teardown waits
# until no connection is open or waiting: the browser may still be asking for
# something (its service worker caching the offline pages) when the context
# closes, and the test database's flush on the same shared connection then fails
# ("couldn't be flushed", a CI failure).
ANSWERING = threading.Lock()
SERIAL_SERVERS = []
OPEN_CONNECTIONS = []
IN_FLIGHT = 0  # connections accepted (or being accepted) and not yet closed
_OPEN_LOCK = threading.Lock()
SETTLE_SECONDS = 30


def wait_until_the_live_server_is_idle():
    """Returns when the serial live server holds no open connection and none
    waits to be accepted (or after SETTLE_SECONDS). Call it after the browser
    context closed: its connections end then."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while SERIAL_SERVERS and time.monotonic() < deadline:
        # The listening socket first, the count after: a connection accepted in
        # between was counted before its accept() began.
        try:
            busy = any(select.select([server.socket], [], [], 0)[0] for server in SERIAL_SERVERS)
        except (OSError, ValueError):  # a server already closed
            busy = False
        if not busy:
            with _OPEN_LOCK:
                busy = bool(OPEN_CONNECTIONS) or IN_FLIGHT > 0
        if not busy:
            return
        time.sleep(0.05)


def _between_answers(test_thread):
    """A database wrapper for the test's own queries while a page is open: on
    SQLite in memory they wait while the serial live server answers (the test
    and the server share one in-memory database, and a count run beside a
    request failed with "database table is locked"). The server's own queries
    pass straight through."""

    def wrapper(execute, sql, params, many, context):
        if SERIAL_SERVERS and threading.current_thread() is test_thread:
            with ANSWERING:
                return execute(sql, params, many, context)
        return execute(sql, params, many, context)

    wrapper.between_answers = True
    return wrapper


def _waiting_between_answers(connection):
    """The wrapper for a page's life, installed once: a test with a phone page
    and a desktop page installed it twice, and the second took the lock the
    first already held (a run hung until the timeout)."""
    if any(getattr(wrapper, "between_answers", False) for wrapper in connection.execute_wrappers):
        return contextlib.nullcontext()
    return connection.execute_wrapper(_between_answers(threading.current_thread()))


_serial_live_server_on_sqlite()
_reports = pytest.StashKey[dict]()


def pytest_collection_modifyitems(items):
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the item, so a page fixture's teardown can
    # tell whether the test failed and a screenshot is worth saving.
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


@pytest.fixture(autouse=True)
def _live_server_guard(request):
    """For every test that uses the live server, not only through the page
    fixtures (a test may open its own browser context: a routed page, a second
    person, the public site): its own queries wait between the serial server's
    answers, and the database is flushed only once the server is idle (a
    routed page's test failed with "database table is locked")."""
    if "live_server" not in request.fixturenames:
        yield
        return
    from django.db import connection

    # Set up here, so it is torn down after this guard's wait.
    request.getfixturevalue("transactional_db")
    with _waiting_between_answers(connection):
        yield
    wait_until_the_live_server_is_idle()


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    manager = sync_playwright().start()
    yield manager
    manager.stop()


@pytest.fixture(scope="session")
def browser(request):
    if not os.access(CHROMIUM, os.X_OK):
        reason = (
            f"{CHROMIUM} not found: browser tests need Debian's Chromium "
            "('apt-get install chromium' as root; 'make test' does it when run as root)."
        )
        if browser_required():
            pytest.fail(f"OMAVALVONTA_REQUIRE_BROWSER is set but {reason}", pytrace=False)
        pytest.skip(reason)
    playwright = request.getfixturevalue("_playwright")
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


def _page(request, browser, live_server, options):
    from django.db import connection

    context = new_context(browser, live_server, options)
    page = context.new_page()
    with _waiting_between_answers(connection):
        yield page
    report = request.node.stash.get(_reports, {}).get("call")
    if report is not None and report.failed:
        try:
            png = artifact_path(request.node.name)
            page.screenshot(path=str(png), full_page=True)
            png.with_suffix(".html").write_text(page.content(), encoding="utf-8")
            print(f"\nBrowser at failure ({page.url}): {png}")
        except Exception as error:  # a crashed page must not hide the real failure
            print(f"\nCould not save a screenshot of the failed test: {error}")
    context.close()
    wait_until_the_live_server_is_idle()


# live_server before browser: session fixtures are torn down in reverse, so
# Chromium closes its keep-alive connections before the live server stops
# (otherwise the server's request threads fail to close a shared connection).
@pytest.fixture
def phone_page(request, transactional_db, live_server, browser):
    yield from _page(request, browser, live_server, PHONE)


@pytest.fixture
def desktop_page(request, transactional_db, live_server, browser):
    yield from _page(request, browser, live_server, DESKTOP)
