"""The registers' privacy notices on the public site (privacy.notices): the
version in force of each, in the reader's language (Swedish or Finnish)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from omavalvonta.organisation.access import public_view
from omavalvonta.privacy import notices


@public_view
@require_safe
def privacy_notices(request):
    current = notices.notices_published()
    rows = [{"register": r, "current": current[r.key]} for r in notices.REGISTERS if r.key in current]
    return render(request, "public/privacy_notices.html", {"rows": rows})


@public_view
@require_safe
def privacy_notice(request, key):
    register = notices.register_get(key)
    version = notices.notice_published(key) if register else None
    if version is None:
        raise Http404
    return render(request, "public/privacy_notice.html",
                  {"register": register, "version": version, "text": notices.notice_text(version)})
