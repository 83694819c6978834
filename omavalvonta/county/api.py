"""The read-only open API, /api/v1/ (django-ninja; the OpenAPI schema at
/api/v1/openapi.json; docs/api.md).

* Every call needs a token (`Authorization: Bearer ovk_...`): a county's token
  or a public integration's, made and revoked by an administrator
  (/hallinta/api-avaimet/). A revoked or unknown token: 401.
* Public data for every token: units with an approved plan, the plans'
  approved versions, the published follow-up reports. A county's token also
  reads the county's own units, the statutory notifications and § 29
  grievances sent to it and its units' aggregate figures (/county/...), scoped
  by the same kernel functions as the county's own view
  (organisation.access_county); another county's notification is 404, a public
  integration's token gets 403 there. Each county read is written to the access
  log, the token naming the reader.
* Rate-limited per token (settings.API_RATE_LIMIT calls a minute): 429 with
  Retry-After.
* Lists are paged (`page`, `page_size` up to 100) and also come as CSV or XLSX
  (`format=csv|xlsx`, the whole list up to exports.EXPORT_LIMIT rows).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any, Literal
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Query, Schema
from ninja.security import HttpBearer

from omavalvonta.core.services import access_log_page_record
from omavalvonta.county import api_errors, exports, figures, selectors
from omavalvonta.county.api_errors import ERROR_MESSAGES, ApiError
from omavalvonta.county.forms import MAX_PERIOD_DAYS
from omavalvonta.organisation import access_county
from omavalvonta.organisation.access import API_TOKEN, P_COUNTY_VIEW

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
RATE_WINDOW_SECONDS = 60
Format = Literal["json", "csv", "xlsx"]


def rate_limit() -> int:
    """Calls a token may make in a minute."""
    return int(getattr(settings, "API_RATE_LIMIT", 120))


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def _throttle(token, now: float | None = None) -> None:
    """Count the call in the token's current minute (a fixed window in the
    shared cache); over the limit: RateLimited with the seconds to the next window."""
    now = time.time() if now is None else now
    window = int(now // RATE_WINDOW_SECONDS)
    key = f"api.rate.{token.pk}.{window}"
    try:  # the window's counter is there but for the first call of the window
        calls = cache.incr(key)
    except ValueError:
        cache.add(key, 0, RATE_WINDOW_SECONDS + 5)
        try:
            calls = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, RATE_WINDOW_SECONDS + 5)
            calls = 1
    if calls > rate_limit():
        raise RateLimited(max(1, int((window + 1) * RATE_WINDOW_SECONDS - now) + 1))


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = access_county.token_authenticate(token)
        if found is None:
            return None
        _throttle(found)
        return found


api = NinjaAPI(
    title="Omavalvonta API",
    version="1",
    description=(
        "Read-only open API of the self-supervision system. Public data for every token; "
        "a wellbeing services county's token also reads what concerns the county. See docs/api.md."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
)


def urls():
    """The API's URL patterns, each declared as authorised by its token (no
    session: LoginRequiredMiddleware lets the call through to TokenAuth)."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False
        pattern.callback.access_permission = API_TOKEN
    return patterns, app_name, namespace


# Errors: a stable `code` and a `detail` in the caller's language (county/api_errors.py).
api_errors.install(api, RateLimited)


# --- Schemas -------------------------------------------------------------------------------


class PlanOut(Schema):
    kind: str
    number: int
    approved_at: dt.datetime
    url: str


class UnitOut(Schema):
    id: int
    name: str
    service_type: str
    region: str
    city: str
    public_url: str
    plans: list[PlanOut]


class ApprovedPlanOut(Schema):
    unit_id: int
    unit_name: str
    kind: str
    number: int
    approved_at: dt.datetime
    url: str


class ReportOut(Schema):
    id: int
    period_start: dt.date
    period_end: dt.date
    published_at: dt.datetime | None
    figures: dict[str, Any]
    url: str


class NotificationOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    is_grievance: bool
    state: str
    state_label: str
    closed_at: dt.datetime | None
    unit_id: int
    unit_name: str
    legal_basis: str
    first_sent: dt.datetime
    correction_due: dt.date | None
    messages: int


class NotificationDetailOut(NotificationOut):
    subject: str
    body: str


class SectionOut(Schema):
    name: str
    title: str
    figures: dict[str, Any]


class FiguresOut(Schema):
    county: str
    period_start: dt.date
    period_end: dt.date
    units: int
    # When the figures were computed: they are kept for a few minutes (county.figures).
    computed_at: dt.datetime | None
    sections: list[SectionOut]


class Error(Schema):
    code: str  # stable, machine-readable: the same in every language
    detail: str  # for people, in the language of Accept-Language (fi, sv, en; default en)


class PageOut(Schema):
    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None


class UnitPage(PageOut):
    results: list[UnitOut]


class PlanPage(PageOut):
    results: list[ApprovedPlanOut]


class ReportPage(PageOut):
    results: list[ReportOut]


class NotificationPage(PageOut):
    results: list[NotificationOut]


class ListQuery(Schema):
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    format: Format = "json"


# --- Helpers -------------------------------------------------------------------------------


def _check_paging(query: ListQuery) -> None:
    if query.page < 1:
        raise ApiError(422, "invalid_page", _("page must be 1 or more."))
    if not 1 <= query.page_size <= MAX_PAGE_SIZE:
        raise ApiError(
            422, "invalid_page_size", _("page_size must be between 1 and %(max)s."), max=MAX_PAGE_SIZE
        )


def _link(request, page: int) -> str:
    params = {k: v for k, v in request.GET.items() if k != "page"}
    params["page"] = page
    return request.build_absolute_uri(f"{request.path}?{urlencode(params)}")


def _list(request, rows, query: ListQuery, present, *, fields: list[str], filename: str):
    """A page of `rows` (a queryset) as JSON, or the whole list as CSV/XLSX.
    `present(list of rows) -> list of dicts`."""
    _check_paging(query)
    if query.format != "json":
        return exports.export(present(list(rows[: exports.EXPORT_LIMIT])), fields, filename, query.format)
    count = rows.count()
    start = (query.page - 1) * query.page_size
    items = present(list(rows[start : start + query.page_size])) if start < count else []
    return {
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "next": _link(request, query.page + 1) if start + query.page_size < count else None,
        "previous": _link(request, query.page - 1) if query.page > 1 else None,
        "results": items,
    }


def _county(request):
    county = request.auth.county
    if county is None:
        raise ApiError(
            403, "public_token", _("This token is a public integration's: it reads public data only.")
        )
    return county


def _log(request, what: str, *, detail: str = "") -> None:
    token = request.auth
    access_log_page_record(
        actor=None,
        reader=f"API: {token.name} (#{token.pk})",
        what=what,
        right=P_COUNTY_VIEW,
        detail=detail or urlencode(sorted((k, v) for k, v in request.GET.items() if v)),
        request=request,
    )


def _reader(request) -> str:
    return f"API: {request.auth.name} (#{request.auth.pk})"


def _unit_rows(request):
    def present(units):
        result = []
        for unit in selectors.with_plans(units):
            public_url = request.build_absolute_uri(reverse("public:plans_unit", args=[unit.public_slug]))
            result.append(
                {
                    "id": unit.pk,
                    "name": unit.name,
                    "service_type": unit.service_type,
                    "region": unit.region.name,
                    "city": unit.city,
                    "public_url": public_url,
                    "plans": [{**p, "url": public_url} for p in unit.approved_plans],
                }
            )
        return result

    return present


UNIT_FIELDS = ["id", "name", "service_type", "region", "city", "public_url", "plans"]
PLAN_FIELDS = ["unit_id", "unit_name", "kind", "number", "approved_at", "url"]
REPORT_FIELDS = ["id", "period_start", "period_end", "published_at", "figures", "url"]
NOTIFICATION_FIELDS = list(NotificationOut.model_fields)


# --- Public data -------------------------------------------------------------------------


@api.get("/units", response={200: UnitPage, 401: Error, 422: Error, 429: Error}, url_name="units", tags=["public"])
def units(request, query: Query[ListQuery]):
    """Active units with an approved self-supervision plan (public data)."""
    return _list(request, selectors.public_units(), query, _unit_rows(request), fields=UNIT_FIELDS, filename="units")


@api.get("/plans", response={200: PlanPage, 401: Error, 422: Error, 429: Error}, url_name="plans", tags=["public"])
def plans(request, query: Query[ListQuery]):
    """The currently approved version of each unit's plans (public data)."""

    def present(rows):
        return [
            {
                "unit_id": r["unit_id"],
                "unit_name": r["unit_name"],
                "kind": r["kind"],
                "number": r["number"],
                "approved_at": r["approved_at"],
                "url": request.build_absolute_uri(reverse("public:plans_unit", args=[r["public_slug"]])),
            }
            for r in rows
        ]

    return _list(request, selectors.current_approvals(), query, present, fields=PLAN_FIELDS, filename="plans")


@api.get(
    "/followup-reports",
    response={200: ReportPage, 401: Error, 422: Error, 429: Error},
    url_name="followup_reports",
    tags=["public"],
)
def followup_reports(request, query: Query[ListQuery]):
    """The published follow-up reports of the self-supervision programme, with their figures (public data)."""

    def present(reports):
        return [
            {
                "id": r.pk,
                "period_start": r.period_start,
                "period_end": r.period_end,
                "published_at": r.published_at,
                "figures": r.figures or {},
                "url": request.build_absolute_uri(reverse("public:plans_report", args=[r.pk])),
            }
            for r in reports
        ]

    return _list(
        request, selectors.published_reports(), query, present, fields=REPORT_FIELDS, filename="followup-reports"
    )


# --- A county's own data -----------------------------------------------------------------

_COUNTY_ERRORS = {401: Error, 403: Error, 422: Error, 429: Error}


@api.get("/county/units", response={200: UnitPage, **_COUNTY_ERRORS}, url_name="county_units", tags=["county"])
def county_units(request, query: Query[ListQuery]):
    """The units that concern the token's county: purchased from, or with its children placed there now."""
    county = _county(request)
    response = _list(
        request, selectors.county_units(county=county), query, _unit_rows(request), fields=UNIT_FIELDS,
        filename="county-units",
    )
    _log(request, "api.county_units")
    return response


@api.get(
    "/county/notifications",
    response={200: NotificationPage, **_COUNTY_ERRORS},
    url_name="county_notifications",
    tags=["county"],
)
def county_notifications(request, query: Query[ListQuery], unit: int | None = None):
    """The statutory notifications and § 29 grievances sent to the token's county,
    one row per report, newest first, with their handling status. No child or
    reporter is named."""
    county = _county(request)

    def present(rows):
        return [
            {**{k: v for k, v in r.items() if k != "deviation_id"}, "id": r["deviation_id"]}
            for r in selectors.labelled(rows)
        ]

    rows = selectors.notifications(county=county, unit_id=unit)
    response = _list(request, rows, query, present, fields=NOTIFICATION_FIELDS, filename="notifications")
    _log(request, "api.county_notifications")
    return response


@api.get(
    "/county/notifications/{report_id}",
    response={200: NotificationDetailOut, 404: Error, **_COUNTY_ERRORS},
    url_name="county_notification",
    tags=["county"],
)
def county_notification(request, report_id: int):
    """One report notified to the token's county with the message the county
    received; a report not notified to it: 404."""
    county = _county(request)
    row = selectors.notification(county=county, deviation_id=report_id, reader=_reader(request), request=request)
    if row is None:
        raise ApiError(404, "not_found", ERROR_MESSAGES["not_found"])
    row = selectors.labelled([row])[0]
    return {**row, "id": row["deviation_id"], "subject": row.get("subject", ""), "body": row.get("body", "")}


@api.get("/county/figures", response={200: FiguresOut, **_COUNTY_ERRORS}, url_name="county_figures", tags=["county"])
def county_figures(request, start: dt.date | None = None, end: dt.date | None = None):
    """The aggregate figures of the token's county's units for a period (default:
    the past twelve months): client feedback, restrictive measures on the
    county's own children. Counts only; a group under five is null. The figures
    are refreshed every few minutes; `computed_at` says when they were computed."""
    county = _county(request)
    default = selectors.default_period()
    end = end or default.end
    start = start or end - (default.end - default.start)
    if start > end:
        raise ApiError(422, "invalid_period", _("start must not be after end."))
    if (end - start).days > MAX_PERIOD_DAYS:
        raise ApiError(422, "period_too_long", _("Choose a period of at most three years."))
    period = selectors.Period(start=start, end=end)
    unit_ids = selectors.county_unit_ids(county=county)
    kept = figures.sections(county=county, unit_ids=unit_ids, period=period)
    _log(request, "api.county_figures")
    return {
        "county": county.name,
        "period_start": start,
        "period_end": end,
        "units": len(unit_ids),
        "computed_at": kept.computed_at,
        "sections": [{"name": s["name"], "title": s["title"], "figures": s["figures"]} for s in kept.sections],
    }
