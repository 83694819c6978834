"""The browser harness itself: Chromium starts, pages render, a person signs in."""

import pytest

from omavalvonta.organisation.models import Role
from omavalvonta.testing.browser import login, snap
from omavalvonta.testing.factories import member

pytestmark = pytest.mark.browser


def test_login_page_is_finnish_on_a_phone(phone_page):
    response = phone_page.goto("/accounts/login/")

    assert response.status == 200
    assert phone_page.locator("html").get_attribute("lang") == "fi"
    assert phone_page.locator('input[name="login"]').is_visible()
    assert phone_page.locator('input[name="password"]').is_visible()
    # The page fits the phone: nothing forces sideways scrolling.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(phone_page, "smoke-login-phone")


def test_member_signs_in_and_sees_the_home_page(phone_page, live_server, transactional_db, unit_a, password):
    employee = member(Role.EMPLOYEE, unit=unit_a, full_name="Eeva Työntekijä", email="eeva@omavalvonta.example")

    login(phone_page, live_server, employee.email, password)

    assert phone_page.url == f"{live_server.url}/"
    assert "Eeva" in phone_page.locator("h1").inner_text()
    snap(phone_page, "smoke-home-phone")


def test_the_live_server_answers_one_request_at_a_time_on_sqlite_in_memory(transactional_db, live_server):
    """Its threads would share the test's one SQLite connection (see
    testing.pytest_browser); on PostgreSQL the threaded server stays."""
    import socketserver

    from django.db import connection

    threaded = isinstance(live_server.thread.httpd, socketserver.ThreadingMixIn)
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    assert threaded is not in_memory


def test_a_page_teardown_waits_until_the_serial_live_server_has_answered(transactional_db, live_server):
    """The test database is flushed after a browser test on the connection the
    serial live server uses: the teardown waits while a request is answered or
    a connection waits to be accepted (a CI run failed on "couldn't be flushed")."""
    import socket
    import threading
    import time

    from django.db import connection

    from omavalvonta.testing import pytest_browser

    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        pytest.skip("the threaded live server has no shared connection to wait for")
    assert live_server.thread.httpd in pytest_browser.SERIAL_SERVERS

    host, port = live_server.thread.host, live_server.thread.port

    # A request sent while another is answered (the test holds the lock): the
    # wait lasts until the server has taken and answered it.
    pytest_browser.ANSWERING.acquire()
    client = socket.create_connection((host, port))
    client.sendall(b"GET /favicon.ico HTTP/1.0\r\nHost: localhost\r\n\r\n")
    released = []

    def answer():
        time.sleep(0.3)
        released.append(time.monotonic())
        pytest_browser.ANSWERING.release()

    threading.Thread(target=answer).start()
    pytest_browser.wait_until_the_live_server_is_idle()
    assert released
    client.settimeout(5)
    answer_bytes = client.recv(65536)
    client.close()
    assert answer_bytes.startswith(b"HTTP/1.")

    # A spare connection the browser opened and never used: the server waits on
    # it without the lock, so the test's own queries go on (a run hung when the
    # server held the lock while it waited for the browser, and the browser
    # waited for the test).
    person = member(Role.EMPLOYEE)
    spare = socket.create_connection((host, port))
    time.sleep(0.2)
    assert not pytest_browser.ANSWERING.locked() and pytest_browser.OPEN_CONNECTIONS
    # The test's queries pass through the wrapper every live-server test has.
    assert any(getattr(w, "between_answers", False) for w in connection.execute_wrappers)
    assert type(person).objects.filter(pk=person.pk).exists()
    spare.close()
    pytest_browser.wait_until_the_live_server_is_idle()
    assert not pytest_browser.OPEN_CONNECTIONS


@pytest.mark.browser
def test_a_test_with_a_phone_and_a_desktop_page_runs_its_own_queries(phone_page, desktop_page):
    """Both pages wait between the server's answers through one wrapper: a
    second one took the lock the first already held and the run hung."""
    from django.db import connection

    from omavalvonta.organisation.models import Organisation

    waiting = [w for w in connection.execute_wrappers if getattr(w, "between_answers", False)]
    assert len(waiting) == 1
    assert Organisation.objects.count() >= 0
