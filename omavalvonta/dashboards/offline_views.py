"""The installable web app's own pages (core/offline.py says what they do): the
service worker, the person's queue key and the offline shell. They live here, on
the top floor, because they need the access kernel and core imports no app."""

from __future__ import annotations

import base64
import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_safe

from omavalvonta.core import offline
from omavalvonta.organisation.access import AUTHENTICATED, requires


@requires(AUTHENTICATED)
@require_safe
def service_worker(request):
    """/sw.js. Only signed-in pages register it (base.html), and its own fetch
    carries the session; signed out, an update check is redirected to the sign-in
    page and simply fails, leaving the installed worker as it was."""
    shell = reverse("offline_shell")
    offline_pages = [shell] + [reverse(p.url_name) for p in offline.pages()]
    config = {
        "cacheName": offline.cache_name(),
        "cachePrefix": offline.CACHE_PREFIX,
        "precache": offline_pages + [static(path) for path in offline.SHELL_STATIC],
        "offlinePages": offline_pages,
        "shell": shell,
        "fallbacks": {reverse(p.fallback_for): reverse(p.url_name) for p in offline.pages()},
        "staticUrl": settings.STATIC_URL,
        "header": offline.OFFLINE_PAGE_HEADER,
    }
    # The JSON is only our own URLs; "</" cannot occur in a script file served alone.
    body = render_to_string("core/sw.js", {"config": json.dumps(config)})
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    # Browsers check for a new worker on every visit when told not to reuse this.
    response["Cache-Control"] = "no-cache"
    return response


@requires(AUTHENTICATED)
@require_safe
def queue_key(request):
    """The signed-in person's key for their queue (AES-256-GCM, raw, base64). The
    same person always gets the same key, so a report queued before the session
    ended is sent after signing in again; nobody else gets it."""
    key = salted_hmac("omavalvonta.offline.key", str(request.user.pk), algorithm="sha256").digest()
    return JsonResponse({"owner": offline.owner_tag(request.user), "key": base64.b64encode(key).decode()})


@requires(AUTHENTICATED)
@require_safe
def offline_shell(request):
    """The page the worker shows for any page when the network is down: what
    waits in the queue, and the offline pages (the report form)."""
    links = [(reverse(p.url_name), p.title) for p in offline.pages()]
    return offline.render_offline_page(request, "core/offline.html", {"offline_links": links})
