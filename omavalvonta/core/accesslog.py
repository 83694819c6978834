"""Page reads of personal data into the access log, one row per page read.

    @logs_read("meeting.minutes", model=Meeting)   # a record's page: the pk kwarg names it
    @requires(P_MEETING_VIEW)
    def meeting_detail(request, pk): ...

    @logs_read("deviation.list")                   # a list or an export: the filter is the detail
    @requires(P_DEVIATION_VIEW)
    def deviation_list(request): ...

A row is written when the page was actually shown (a GET answered 200): a 403 or
404 read nothing. The right is the permission the view declares (`@requires`).
Put the decorator outermost, so that it sees that declaration. Pages whose
selector already logs the read (a deviation's page: `deviation_get`) need no
decorator."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType

from omavalvonta.core.services import access_log_page_record


def _filter_detail(request) -> str:
    """The query string without empty values: what the list was filtered by."""
    pairs = [(key, value) for key, value in request.GET.items() if value not in ("", None)]
    return urlencode(sorted(pairs))


def logs_read(what: str, *, model=None, pk_kwarg: str = "pk"):
    def decorator(view):
        right = getattr(view, "access_permission", "")

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD") and response.status_code == 200 and request.user.is_authenticated:
                target_type = target_id = None
                if model is not None and pk_kwarg in kwargs:
                    target_type = ContentType.objects.get_for_model(model)
                    target_id = int(kwargs[pk_kwarg])
                access_log_page_record(
                    actor=request.user,
                    what=what,
                    right=right,
                    target_type=target_type,
                    target_id=target_id,
                    detail=_filter_detail(request),
                    request=request,
                )
            return response

        wrapped.access_logged = what
        return wrapped

    return decorator


def search_answer(hits, *, actor, what: str, right: str, query) -> list:
    """A search provider's answer (core.registry SEARCH_SOURCES): its `hits`
    best first, the read recorded (search_read_record) when there is any."""
    if hits:
        search_read_record(actor=actor, what=what, right=right, query=query)
    return sorted(hits, key=lambda h: -h.score)


def search_read_record(*, actor, what: str, right: str, query) -> None:
    """A search provider's read of personal data (core.registry SEARCH_SOURCES):
    one row per area that returned results, the search's filter as the detail
    and the address of its request (`query.request`, when it came with one)."""
    request = getattr(query, "request", None)
    detail = _filter_detail(request) if request is not None else urlencode({"q": getattr(query, "text", "")})
    access_log_page_record(actor=actor, what=what, right=right, detail=detail, request=request)
