"""Serving: /favicon.ico answers, and the web server's workers are not blocked by
the idle connections browsers open ahead of need (gunicorn.conf.py)."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]


def test_favicon_answers_without_signing_in(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("img/favicon.ico")
    assert "max-age=86400" in response["Cache-Control"]
    assert (ROOT / "omavalvonta/core/static/img/favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"


def test_pages_name_their_icon(client, employee_a):
    page = client.get(reverse("public:index")).content.decode()
    assert 'rel="icon"' in page and "img/favicon.svg" in page
    client.force_login(employee_a)
    assert "img/favicon.svg" in client.get(reverse("home")).content.decode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(tmp_path, *extra):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DJANGO_SECRET_KEY": "test-only-secret-key-not-for-production",
        "DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite3",
        "WEB_WORKERS": "1",
    }
    env.pop("GUNICORN_CMD_ARGS", None)  # the settings under test are gunicorn.conf.py's
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "omavalvonta.wsgi:application", "-c", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", *extra],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("gunicorn did not start")
    return process, port


def _get(port, path, timeout):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def test_an_idle_browser_connection_does_not_block_the_next_request(tmp_path):
    # With sync workers the single worker sat on the idle connection, reading a
    # request line that never came, until gunicorn killed it ("WORKER TIMEOUT
    # (no URI read)"); meanwhile this request waited.
    process, port = _serve(tmp_path)
    idle = []
    try:
        assert _get(port, "/favicon.ico", timeout=10) == 302  # warm: the app is loaded
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]  # pre-connections
        time.sleep(0.3)
        assert _get(port, "/favicon.ico", timeout=5) == 302
    finally:
        for s in idle:
            s.close()
        process.terminate()
        process.wait(timeout=15)


def test_a_worker_keeps_what_start_up_made_out_of_the_collectors_passes():
    # In a process of its own: the suite's objects are not the worker's.
    code = "import gc, omavalvonta.wsgi; print(gc.get_freeze_count())"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) > 10_000
