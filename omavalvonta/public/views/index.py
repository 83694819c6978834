"""The public front page: what anyone can read or send without signing in."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from omavalvonta.organisation.access import public_view


@public_view
@require_safe
@cache_control(public=True, max_age=300)
def index(request):
    """Links to the published plans, the programme, the feedback and notice
    channel and the follow-up pages (no data: cacheable for everyone)."""
    return render(request, "public/index.html")


@public_view
@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    """/favicon.ico, which browsers ask for on every site whatever the pages
    link: the icon among the static files (its hashed name in production)."""
    return redirect(static("img/favicon.ico"), permanent=False)
