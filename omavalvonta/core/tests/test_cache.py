"""The cache is shared by every process: the database's table by default, Redis
when configured. Rate limits counted in it hold across web workers."""

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from omavalvonta.core.lib.env import DATABASE_CACHE_TABLE, cache_settings
from omavalvonta.public import ratelimit
from omavalvonta.public.ratelimit import RateLimit


def test_the_database_cache_is_the_default(settings):
    assert cache_settings("")["default"] == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": DATABASE_CACHE_TABLE
    }
    # Beside the shared cache, each process's own memory (public pages kept for seconds).
    assert cache_settings("")["process"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


@pytest.mark.parametrize("url", ["redis://cache.example:6379/0", "rediss://user:secret@cache.example:6380/1"])
def test_a_redis_address_selects_redis(url):
    assert cache_settings(url)["default"] == {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}


def test_redis_url_is_read_when_cache_url_is_not_set(monkeypatch):
    import importlib

    import omavalvonta.settings as project_settings

    monkeypatch.delenv("CACHE_URL", raising=False)
    monkeypatch.setenv("REDIS_URL", "redis://cache.example:6379/2")
    try:
        reloaded = importlib.reload(project_settings)
        assert reloaded.CACHES["default"]["LOCATION"] == "redis://cache.example:6379/2"
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(project_settings)


def test_an_unknown_cache_address_stops_start_up():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_settings("memcached://cache.example")


def test_the_redis_client_is_installed():
    # The Redis path is real: Django's RedisCache needs the client library.
    import redis  # noqa: F401


@pytest.mark.django_db
def test_two_cache_clients_share_one_rate_limit(monkeypatch):
    """Two web workers are two processes with a cache client each: the limit
    counted through one client holds when the next request reaches the other."""
    limit = RateLimit("shared", window_seconds=600, per_session=1000, per_address=5)
    worker_a = DatabaseCache(DATABASE_CACHE_TABLE, {})
    worker_b = DatabaseCache(DATABASE_CACHE_TABLE, {})
    factory = RequestFactory()

    def request():
        req = factory.get("/julkinen/seuranta/", REMOTE_ADDR="203.0.113.9")
        req.session = {}  # a client that throws its session cookie away
        return req

    now = 1_000_000.0
    for i in range(5):
        worker = worker_a if i % 2 == 0 else worker_b
        monkeypatch.setattr(ratelimit, "cache", worker)
        assert limit.wait_seconds(request(), now=now + i) == 0
        limit.record(request(), now=now + i)
    for worker in (worker_a, worker_b):
        monkeypatch.setattr(ratelimit, "cache", worker)
        assert limit.wait_seconds(request(), now=now + 10) > 0
