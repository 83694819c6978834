"""The Content-Security-Policy breaks no page: the main pages are driven in
Chromium as several people, their scripts run (the report form's type
sections, the risk matrix's colours, htmx), and the browser reports no
violation of the policy and no script error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from omavalvonta.deviations import services as deviation_services
from omavalvonta.organisation.models import Role
from omavalvonta.testing.browser import DEFAULT_TIMEOUT_MS, FINNISH, PHONE, login, snap
from omavalvonta.testing.factories import PASSWORD, deviation_kwargs, member

pytestmark = pytest.mark.browser

# Recorded by the page itself: every violation of the policy, and every script error.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || ""));
});
window.addEventListener("error", function (e) { window.__violations.push("error " + e.message); });
"""


def _context(browser, live_server):
    context = browser.new_context(base_url=str(live_server.url), **PHONE, **FINNISH)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.add_init_script(WATCH)
    return context


def _visit(page, path, problems):
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    response = page.goto(path)
    assert response.status < 400, f"{path}: {response.status}"
    assert "script-src 'self'" in response.headers.get("content-security-policy", "")
    problems += [f"{path}: {v}" for v in page.evaluate("window.__violations")]
    problems += [f"{path}: console: {text}" for text in console if "Content Security Policy" in text]


@pytest.fixture
def cast(transactional_db, unit_a, authority):
    supervisor = member(Role.SUPERVISOR, unit=unit_a, full_name="Sari Esihenkilö", email="sari@omavalvonta.example")
    employee = member(Role.EMPLOYEE, unit=unit_a, full_name="Eeva Työntekijä", email="eeva@omavalvonta.example")
    director = member(Role.QUALITY_DIRECTOR, full_name="Laura Laatujohtaja", email="laura@omavalvonta.example")
    admin = member(Role.ADMINISTRATOR, full_name="Aki Admin", email="aki@omavalvonta.example")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    report = deviation_services.deviation_submit(
        actor=employee,
        **deviation_kwargs(
            unit_a,
            attachments=[SimpleUploadedFile("kuva.png", png, content_type="image/png")],
        ),
    ).deviation
    return {"supervisor": supervisor, "employee": employee, "director": director, "admin": admin, "report": report}


def test_the_main_pages_run_under_the_policy(browser, live_server, cast):
    problems: list[str] = []
    context = _context(browser, live_server)
    page = context.new_page()
    for path in ("/accounts/login/", "/julkinen/", "/julkinen/yksikot/"):
        _visit(page, path, problems)

    # An employee reports: the form's script shows the type's own section.
    login(page, live_server, cast["employee"].email, PASSWORD)
    _visit(page, "/poikkeamat/uusi/", problems)
    page.locator("input[name=kind][value=medication]").check()
    assert page.locator("[data-kinds=medication]").is_visible()
    assert not page.locator("[data-kinds=threat_or_violence]").is_visible()
    snap(page, "csp-report-form-phone")
    context.close()

    context = _context(browser, live_server)
    page = context.new_page()
    login(page, live_server, cast["supervisor"].email, PASSWORD)
    for path in (
        "/",
        "/poikkeamat/",
        f"/poikkeamat/{cast['report'].pk}/",
        "/kehittaminen/toimenpiteet/",
        "/kehittaminen/loki/",
        "/kokoukset/",
        "/omavalvontasuunnitelmat/",
        "/vuosikello/",
        "/palaute/",
        "/riskit/",
        "/ilmoitukset/",
        "/accounts/2fa/",
        "/oma/",
    ):
        _visit(page, path, problems)
    # htmx loaded and configured from the page (no inline code needed).
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    context.close()

    # The administrator's risk matrix colours a cell by the level chosen.
    context = _context(browser, live_server)
    page = context.new_page()
    login(page, live_server, cast["admin"].email, PASSWORD)
    _visit(page, "/hallinta/riskimatriisi/", problems)
    cell = page.locator("select[data-risk-cell]").first
    if cell.count():
        cell.select_option("very_high")
        assert "badge--very_high" in cell.get_attribute("class")
    _visit(page, "/hallinta/henkilot/", problems)
    # The watch itself works: an inline style added now is refused and reported.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\\'color: red\\'>x</p>')")
    page.wait_for_function("window.__violations.length > 0")
    assert any(v.startswith("style-src") for v in page.evaluate("window.__violations"))
    context.close()

    assert problems == []
