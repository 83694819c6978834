"""Fixtures of the tests that walk the whole product."""

import io

import pytest
from django.core.management import call_command

from omavalvonta.demo import builder


@pytest.fixture(scope="module")
def small_demo(django_db_setup, django_db_blocker):
    """A small demo organisation (seconds to build) for tests that crawl its
    pages. Committed, so each test's own writes roll back; wiped after the module."""
    with django_db_blocker.unblock():
        call_command("load_demo", "--small", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        builder.wipe()
