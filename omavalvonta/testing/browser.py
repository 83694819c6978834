"""Helpers for browser tests: Playwright (sync API) driving Debian's Chromium.

The fixtures (`browser`, `phone_page`, `desktop_page`) live in the pytest plugin
`omavalvonta.testing.pytest_browser`; this module holds what a test imports:

    from omavalvonta.testing.browser import login, snap

    @pytest.mark.browser
    def test_employee_reports_on_a_phone(phone_page, live_server, employee_a, password):
        login(phone_page, live_server, employee_a.email, password)
        ...
        snap(phone_page, "report-form")

Nothing here imports Django or Playwright at import time, so the plugin loads
before Django is set up.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"

# As root Chromium needs --no-sandbox. The network flags keep it from calling
# home: this machine (and CI) has no internet, and refused connections only slow
# start-up and clutter the log.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Failure screenshots and deliberate snapshots go here (gitignored).
ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"

# Staff use phones: an iPhone 12–15 sized screen is the main viewport.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
FINNISH = {"locale": "fi-FI", "timezone_id": "Europe/Helsinki"}

# Playwright waits up to 30 s by default; a page of ours that needs more than a
# few seconds on loopback is broken, and a quick failure keeps CI short.
DEFAULT_TIMEOUT_MS = 10_000


def browser_required() -> bool:
    """True when a missing Chromium must fail the run instead of skipping (CI)."""
    return os.environ.get("OMAVALVONTA_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes", "on"}


def artifact_path(name: str) -> Path:
    """test-artifacts/<name>.png, with the name made safe for a file system."""
    safe = re.sub(r"[^\w.-]+", "_", name).strip("._") or "screenshot"
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR / f"{safe[:150]}.png"


def snap(page, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/<name>.png and return its path."""
    path = artifact_path(name)
    page.screenshot(path=str(path), full_page=True)
    return path


def new_context(browser, live_server, options=PHONE):
    """A Finnish browser context on the live server, a phone's unless `options` say otherwise."""
    context = browser.new_context(base_url=str(live_server.url), **options, **FINNISH)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context


def open_phone(browser, live_server):
    """Another phone (a second person's): its context, to close, and its page."""
    context = new_context(browser, live_server)
    return context, context.new_page()


def fits_phone(page) -> None:
    """Nothing on the page is wider than the phone's screen (no sideways scroll)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"], page.url


def submit(page, form) -> None:
    """Press `form`'s submit button and wait for the page it leads to."""
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def login(page, live_server, email: str, password: str) -> None:
    """Sign in through allauth's login form at /accounts/login/.

    Leaves the page on wherever the login redirects (the home page by default).
    Fails with the page's own error text when the login is refused, rather than
    with a time-out further on.
    """
    base = str(live_server.url).rstrip("/")
    page.goto(f"{base}/accounts/login/")
    page.locator('input[name="login"]').fill(email)
    password_field = page.locator('input[name="password"]')
    password_field.fill(password)
    with page.expect_navigation():
        # Enter submits the form whatever the button looks like.
        password_field.press("Enter")
    if "/accounts/login/" in page.url:
        errors = page.locator(".errorlist, .alert, [role=alert]").all_inner_texts()
        raise AssertionError(f"Login as {email} failed: {' | '.join(errors) or 'still on the login page'}")
