"""The public site of self-supervision: an index of units by region and service
type, a unit's currently approved self-supervision plan and good-treatment
plan (HTML and PDF) with the dates of earlier versions, the group programme
and its published follow-up reports.

Only approved versions and published reports are read here (the selectors
filter by state); drafts never reach these pages. The plans' facts are the
snapshot frozen at approval, which names no staff other than the responsible
persons and no clients. Pages are cacheable: Cache-Control public with a
short max-age, and Last-Modified from the newest approval, so a browser or
proxy revalidates cheaply (304)."""

from __future__ import annotations

from functools import wraps
from itertools import groupby

from django.core.cache import cache, caches
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.http import parse_http_date_safe
from django.utils.translation import get_language, gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.pdf import PdfUnavailable, render_pdf
from omavalvonta.organisation.access import public_view
from omavalvonta.organisation.models import ServiceType
from omavalvonta.plans import public as plan_public
from omavalvonta.plans.models import KIND_BY_SLUG, SLUG_BY_KIND, PlanKind

PUBLIC_MAX_AGE = 300
# An approved version never changes, so its PDF (a second or two to lay out) is kept.
PDF_CACHE_SECONDS = 7 * 24 * 3600
# The rendered HTML of a page is kept under its Last-Modified (a new approval
# makes a new key); the time bounds how long a renamed region shows its old name.
PAGE_CACHE_SECONDS = 3600
# Each web worker also keeps the pages it served in its own memory for this
# long, so a page read again costs no database or cache round trip at all. The
# worker that records an approval forgets its pages at once (public.apps); the
# other workers show the previous version for at most this long (browsers and
# proxies may keep a page for PUBLIC_MAX_AGE anyway).
PROCESS_KEEP_SECONDS = 10


def _cacheable(last_modified_func, *, keep_html: bool = False):
    """GET and HEAD only, cacheable by anyone for PUBLIC_MAX_AGE, revalidated by
    Last-Modified. keep_html: the rendered page is kept in the cache per
    address, language and Last-Modified, so a request after the first reads one
    cache row instead of the plans (the page has no form and no per-visitor part)."""

    def decorate(view):
        if keep_html:
            view = _kept_html(view)

        def last_modified(request, *args, **kwargs):
            request.public_last_modified = last_modified_func(request, *args, **kwargs)
            return request.public_last_modified

        view = condition(last_modified_func=last_modified)(view)
        if keep_html:
            view = _kept_in_process(view)
        return require_safe(cache_control(public=True, max_age=PUBLIC_MAX_AGE)(view))

    return decorate


def _kept_in_process(view):
    """The page and its Last-Modified from this worker's memory when it served
    the same address in the same language within PROCESS_KEEP_SECONDS: no query,
    no shared-cache read; a revalidation with a current If-Modified-Since is a 304."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        memo = caches["process"]
        key = f"public.page.{request.path}.{get_language()}"
        kept = memo.get(key)
        if kept is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and response.has_header("Last-Modified"):
                memo.set(key, (response["Last-Modified"], response.content), PROCESS_KEEP_SECONDS)
            return response
        stamp, html = kept
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        modified = parse_http_date_safe(stamp)
        fresh = since is not None and modified is not None and modified <= since
        response = HttpResponseNotModified() if fresh else HttpResponse(html)
        response["Last-Modified"] = stamp
        return response

    return wrapper


def forget_kept_pages() -> None:
    """This worker forgets the pages it keeps (called when a plan is approved or
    a unit changes; the other workers' copies expire within PROCESS_KEEP_SECONDS)."""
    caches["process"].clear()


def _kept_html(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        stamp = getattr(request, "public_last_modified", None)
        if stamp is None:
            return view(request, *args, **kwargs)
        key = f"public.page.{request.path}.{get_language()}.{stamp.timestamp()}"
        html = cache.get(key)
        if html is not None:
            return HttpResponse(html)
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            cache.set(key, response.content, PAGE_CACHE_SECONDS)
        return response

    return wrapper


def _unit_last_modified(request, slug, kind_slug=None):
    return plan_public.unit_last_modified(slug=slug)


def _index_last_modified(request):
    return plan_public.index_last_modified()


def _programme_last_modified(request, pk=None):
    return plan_public.programme_last_modified()


@public_view
@_cacheable(_index_last_modified, keep_html=True)
def plans_index(request):
    """Units with an approved plan, by region and service type."""
    units = plan_public.units()
    labels = dict(ServiceType.choices)
    regions = []
    for region, in_region in groupby(units, key=lambda u: u.region):
        groups = [
            {"label": labels.get(st, st), "units": list(us)}
            for st, us in groupby(in_region, key=lambda u: u.service_type)
        ]
        regions.append({"region": region, "groups": groups})
    return render(request, "public/plans/index.html", {"regions": regions})


@public_view
@_cacheable(_unit_last_modified, keep_html=True)
def plans_unit(request, slug):
    """A unit's approved plans and the dates of their versions."""
    unit = plan_public.unit(slug=slug)
    current = plan_public.current_versions(unit=unit)
    if not current:
        raise Http404
    history = plan_public.version_dates(unit=unit)
    return render(request, "public/plans/unit.html", {
        "unit": unit,
        "plan": current.get(PlanKind.SELF_SUPERVISION),
        "good_treatment": current.get(PlanKind.GOOD_TREATMENT),
        "history": history,
        "slugs": SLUG_BY_KIND,
    })


@public_view
@_cacheable(_unit_last_modified)
def plans_unit_pdf(request, slug, kind_slug):
    """The PDF of a unit's currently approved plan of one kind."""
    kind = KIND_BY_SLUG.get(kind_slug)
    if kind is None:
        raise Http404
    unit = plan_public.unit(slug=slug)
    version = plan_public.current_versions(unit=unit).get(kind)
    if version is None:
        raise Http404
    approved = version.approved_at
    footer = _("%(plan)s, %(unit)s – version %(number)s, approved %(date)s by %(name)s") % {
        "plan": version.plan.get_kind_display(), "unit": unit.name, "number": version.number,
        "date": fi_date(approved), "name": version.approved_by.full_name,
    }
    key = f"plans.pdf.{version.pk}.{unit.updated_at.timestamp()}.{get_language()}"
    return _pdf_response(request, key, "public/plans/plan_pdf.html", {
        "unit": unit, "version": version, "pdf_footer": footer,
    }, filename=f"{unit.public_slug}-{kind_slug}-v{version.number}.pdf")


def _pdf_response(request, key: str, template: str, context: dict, *, filename: str) -> HttpResponse:
    """The PDF of `template`, kept in the cache under `key` (the content behind
    every key is frozen: an approved version or a published report)."""
    try:
        pdf = cache.get(key)
        if pdf is None:
            pdf = render_pdf(template, context, request=request)
            cache.set(key, pdf, PDF_CACHE_SECONDS)
    except PdfUnavailable:
        return HttpResponse(_("The PDF cannot be made right now. Print the page instead."), status=503,
                            content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@public_view
@_cacheable(_programme_last_modified)
def plans_programme(request):
    """The group's approved self-supervision programme and its published follow-up reports."""
    programme = plan_public.programme_current()
    reports = plan_public.reports_published()
    if programme is None and not reports:
        raise Http404
    return render(request, "public/plans/programme.html", {"programme": programme, "reports": reports})


@public_view
@_cacheable(_programme_last_modified)
def plans_report(request, pk):
    """One published follow-up report."""
    return render(request, "public/plans/report.html", plan_public.report_published_context(pk=pk))


@public_view
@_cacheable(_programme_last_modified)
def plans_programme_pdf(request):
    """The PDF of the group's currently approved self-supervision programme."""
    programme = plan_public.programme_current()
    if programme is None:
        raise Http404
    footer = _("Self-supervision programme – version %(number)s, approved %(date)s by %(name)s") % {
        "number": programme.number, "date": fi_date(programme.approved_at),
        "name": programme.approved_by.full_name,
    }
    return _pdf_response(request, f"plans.programme.pdf.{programme.pk}.{get_language()}",
                         "public/plans/programme_pdf.html", {"programme": programme, "pdf_footer": footer},
                         filename=f"omavalvontaohjelma-v{programme.number}.pdf")


@public_view
@_cacheable(_programme_last_modified)
def plans_report_pdf(request, pk):
    """The PDF of one published follow-up report."""
    context = plan_public.report_published_context(pk=pk)
    report = context["report"]
    context["pdf_footer"] = _("Follow-up %(start)s – %(end)s, approved %(date)s by %(name)s") % {
        "start": fi_date(report.period_start), "end": fi_date(report.period_end),
        "date": fi_date(report.approved_at), "name": report.approved_by.full_name,
    }
    return _pdf_response(request, f"plans.report.pdf.{report.pk}.{report.published_at.timestamp()}.{get_language()}",
                         "public/plans/report_pdf.html", context,
                         filename=f"seuranta-{report.period_start.isoformat()}-{report.period_end.isoformat()}.pdf")
