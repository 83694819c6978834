"""The public front page: what anyone can read or send without signing in."""

from __future__ import annotations

from django.core.cache import caches
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from omavalvonta.organisation.access import public_view

# The page is the same for everyone in a language (public/base.html: no form, no
# token, no person): each worker keeps it rendered for this long.
INDEX_KEEP_SECONDS = 300


@public_view
@require_safe
@cache_control(public=True, max_age=300)
def index(request):
    """Links to the published plans, the programme, the feedback and notice
    channel and the follow-up pages (no data: cacheable for everyone). Kept
    rendered in the process's memory per language (issue 13)."""
    memo = caches["process"]
    key = f"public.index.{get_language()}"
    html = memo.get(key)
    if html is None:
        html = render(request, "public/index.html").content
        memo.set(key, html, INDEX_KEEP_SECONDS)
    return HttpResponse(html)


@public_view
@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    """/favicon.ico, which browsers ask for on every site whatever the pages
    link: the icon among the static files (its hashed name in production)."""
    return redirect(static("img/favicon.ico"), permanent=False)
