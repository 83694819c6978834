import logging
import os
import signal

import pytest
from django.core.management import CommandError, call_command

from omavalvonta.notifications.models import DeliveryState, Notification
from omavalvonta.notifications.tests.conftest import enqueue_email

pytestmark = pytest.mark.django_db


def test_once_sends_pending_email_and_runs_every_registered_job(job_registry, mailoutbox, caplog):
    runs = []
    job_registry.register("test.count", lambda: runs.append("count") or 1, every_seconds=3600)
    enqueue_email()

    with caplog.at_level(logging.INFO, logger="omavalvonta.worker"):
        call_command("worker", "--once")

    assert runs == ["count"]
    assert len(mailoutbox) == 1
    assert Notification.objects.get().state == DeliveryState.SENT
    assert "Worker pass: sent 1, retrying 0, failed 0" in caplog.text
    assert "jobs run 1, jobs failed 0" in caplog.text


def test_once_drains_every_full_batch(job_registry, mailoutbox):
    for i in range(5):
        enqueue_email(subject=f"Viesti {i}")
    call_command("worker", "--once", "--batch", "2")
    assert len(mailoutbox) == 5


def test_a_failing_job_does_not_stop_the_others_and_is_reported(job_registry, mailoutbox, caplog):
    runs = []

    def broken():
        raise RuntimeError("the job broke")

    job_registry.register("test.broken", broken, every_seconds=60)
    job_registry.register("test.fine", lambda: runs.append("fine") or 0, every_seconds=60)
    enqueue_email()

    with pytest.raises(CommandError, match="1 step"):
        call_command("worker", "--once")

    assert runs == ["fine"]
    assert len(mailoutbox) == 1
    assert "Job test.broken failed" in caplog.text
    assert "the job broke" in caplog.text


def test_the_loop_runs_jobs_on_their_interval_and_stops_cleanly_on_sigterm(job_registry, mailoutbox):
    passes = []
    hourly = []
    before = signal.getsignal(signal.SIGTERM)

    def every_pass():
        passes.append(1)
        if len(passes) == 3:
            os.kill(os.getpid(), signal.SIGTERM)
        return len(passes)

    job_registry.register("test.hourly", lambda: hourly.append(1) or 0, every_seconds=3600)
    job_registry.register("test.every_pass", every_pass, every_seconds=0)
    enqueue_email()

    call_command("worker", "--interval", "0")

    assert len(passes) == 3
    assert hourly == [1]  # due at start-up, then not again within the hour
    assert len(mailoutbox) == 1
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.parametrize("args", [["--batch", "0"], ["--interval", "-1"], ["--batch", "many"]])
def test_bad_options_are_refused(args):
    with pytest.raises(CommandError):
        call_command("worker", "--once", *args)


def test_jobs_write_their_messages_in_the_site_language(job_registry, settings):
    from django.utils import translation

    settings.LANGUAGE_CODE = "fi"
    written = []
    job_registry.register("test.language", lambda: written.append(translation.gettext("Deviations")) or 0, every_seconds=1)
    with translation.override(None):  # a bare process: no language active
        call_command("worker", "--once")
    assert written == ["Poikkeamat"]
