"""Fixtures of the notification tests. People here hold no membership: the
inbox is open to anyone signed in and depends on no unit."""

import datetime as dt

import pytest

from omavalvonta.core import jobs
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.testing.factories import UserFactory

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def person(db):
    return UserFactory(full_name="Outi Omistaja", email="outi@omavalvonta.example")


@pytest.fixture
def other_person(db):
    return UserFactory(full_name="Ville Vieras", email="ville@omavalvonta.example")


@pytest.fixture
def frozen(time_machine):
    """Time stands still at T0 until the test moves it."""
    time_machine.move_to(T0, tick=False)
    return time_machine


@pytest.fixture
def job_registry(monkeypatch):
    """An empty job registry for the test, restored afterwards: the test's jobs
    run alone and leave nothing behind."""
    monkeypatch.setattr(jobs, "_REGISTRY", {})
    return jobs


def enqueue_email(**overrides):
    data = {
        "kind": "test.message",
        "subject": "Ilmoitus käsittelyyn",
        "body": "Poikkeama odottaa käsittelyä.",
        "email": "kirjaamo@hva.example",
    }
    data.update(overrides)
    return notification_enqueue(**data)

