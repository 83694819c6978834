"""The installable web app and its offline queue, as far as the server goes.

* `/sw.js`: the service worker, served from the site root so that it controls
  every page. Its cache is named by the release (`OMAVALVONTA_RELEASE`, or a
  digest of the static files and the worker's template when unset), so a new
  release installs a new worker that replaces the old cache. It keeps only the
  offline pages the areas register here and the static files: never a page with
  personal data and never a signed-out page (static/js/sw-template in
  templates/core/sw.js says how each request is answered).
* `/offline/avain/`: the signed-in person's queue key. The browser encrypts what
  waits in its queue (static/js/offline-queue.js, IndexedDB, AES-GCM) with it,
  so another person who signs in on the same device cannot read it.
* Areas register their offline pages (`register_page`): a page rendered for
  nobody, with no personal data, that the worker keeps and shows in place of
  the live page when the network is down; and the JSON the page needs, fetched
  while online and kept encrypted in the queue's store (`options_url`).
* `wants_json` / `submit_refusal`: how a form view answers the queue's sender.

Core imports no area: the areas call `register_page` from their AppConfig.ready(), and
the three views above (they need the access kernel) live in dashboards/offline_views.py.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

CACHE_PREFIX = "omavalvonta-"
# The header an offline page answers with: the worker keeps no other page.
OFFLINE_PAGE_HEADER = "X-Omavalvonta-Offline-Page"

# The static files every offline page needs (base.html's own).
SHELL_STATIC = (
    "css/app.css",
    "js/app.js",
    "js/drafts.js",
    "js/offline-queue.js",
    "vendor/htmx-2.0.11/htmx.min.js",
    "img/favicon.svg",
    "img/favicon.ico",
    "img/icon-192.png",
    "img/icon-512.png",
    "app-manifest.json",
)


@dataclass(frozen=True)
class OfflinePage:
    url_name: str  # the offline page itself
    fallback_for: str  # the live page it stands in for when the network is down
    title: str = ""  # the link to it on the offline shell
    options_url_name: str = ""  # JSON the page needs, kept encrypted per person


_pages: list[OfflinePage] = []


def register_page(url_name: str, *, fallback_for: str, title, options_url_name: str = "") -> None:
    page = OfflinePage(url_name, fallback_for, title, options_url_name)
    if page not in _pages:
        _pages.append(page)


def pages() -> list[OfflinePage]:
    return list(_pages)


def options_urls() -> list[str]:
    return [reverse(p.options_url_name) for p in _pages if p.options_url_name]


# --- The release ---------------------------------------------------------------------


@functools.cache
def _code_digest() -> str:
    """A digest of what the worker caches and of the worker itself: changes with
    every release that changes either."""
    digest = hashlib.sha256()
    base = Path(__file__).resolve().parent.parent
    files = sorted(base.glob("*/static/**/*")) + [Path(__file__).resolve().parent / "templates" / "core" / "sw.js"]
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def release() -> str:
    """OMAVALVONTA_RELEASE, or the digest of the code when it is not set."""
    return getattr(settings, "OMAVALVONTA_RELEASE", "") or _code_digest()


def cache_name() -> str:
    return CACHE_PREFIX + release()


def owner_tag(user) -> str:
    """Who a queue belongs to, without naming them: stable per person."""
    return salted_hmac("omavalvonta.offline.owner", str(user.pk), algorithm="sha256").hexdigest()[:24]


def render_offline_page(request, template: str, context: dict | None = None) -> HttpResponse:
    """Render an offline page as for nobody: no name, no menu, no counts, nothing
    personal, so that the worker may keep it on the device for whoever signs in."""
    from django.shortcuts import render

    request.user = AnonymousUser()
    request.offline_page = True
    response = render(request, template, context or {})
    response[OFFLINE_PAGE_HEADER] = "1"
    response["Cache-Control"] = "private, no-cache"
    return response


# --- Answers to the queue's sender -------------------------------------------------


def wants_json(request) -> bool:
    """The offline queue asks for JSON; a plain form post gets the HTML page."""
    return "application/json" in request.headers.get("Accept", "")


def queue_answer(*, created: bool, message: str, **extra) -> JsonResponse:
    """A queued send was done now (201) or had been done before (200): either
    way the queue lets go of it."""
    return JsonResponse(
        {"status": "created" if created else "exists", "message": message, **extra}, status=201 if created else 200
    )


def submit_refusal(form, status: int = 422) -> JsonResponse:
    """A form's errors for the queue: each field's messages under its label, in
    the person's language, and one line that says what to do."""
    errors = {}
    for name, messages in form.errors.items():
        label = str(form.fields[name].label or name) if name in form.fields else ""
        errors[name or "__all__"] = {"label": label, "messages": [str(m) for m in messages]}
    return JsonResponse(
        {
            "status": "refused",
            "message": _("The server did not accept the report. Correct it and send it again."),
            "errors": errors,
        },
        status=status,
    )
