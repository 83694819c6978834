import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from omavalvonta.core.accesslog import logs_read
from omavalvonta.core.forms import form_step, picked, posted_step
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.pagination import LIST_COUNT_LIMIT, IdPaginator
from omavalvonta.core.pdf import PdfUnavailable, render_pdf
from omavalvonta.core.service_calls import call_form_service, call_service
from omavalvonta.core.services import access_log_record
from omavalvonta.organisation.access import P_ACCESS_LOG_REVIEW, P_SUBJECT_REQUEST_MANAGE, requires
from omavalvonta.privacy import deadlines, selectors, services
from omavalvonta.privacy.forms import (
    WHAT_LABELS,
    CompilationReviewForm,
    ExtendForm,
    LogFilterForm,
    RequestForm,
    ReviewForm,
    StatusForm,
    SubjectItemForm,
)
from omavalvonta.privacy.models import SubjectRequest
from omavalvonta.privacy.rules import BURST_READS, BURST_WINDOW

PAGE_SIZE = 50


@logs_read("access_log.review")
@requires(P_ACCESS_LOG_REVIEW)
def log_review(request):
    """The access log for the data-protection officer: who read what, when and
    with which right, the unusual reads flagged, each flag reviewable."""
    form = LogFilterForm(request.GET or None)
    filters = form.filters()
    entries = selectors.access_log_review(actor=request.user, filters=filters)
    page = IdPaginator(
        entries, PAGE_SIZE, related=selectors.LOG_RELATED,
        count=lambda: entries.order_by()[:LIST_COUNT_LIMIT].count(), count_limit=LIST_COUNT_LIMIT,
    ).get_page(request.GET.get("page"))
    # The page's rows with their flags, in the page's order.
    ids = [e.pk for e in page.object_list]
    flagged = {e.pk: e for e in entries.filter(pk__in=ids).select_related(*selectors.LOG_RELATED)}
    rows = [flagged[pk] for pk in ids if pk in flagged]
    for row in rows:
        row.what_label = WHAT_LABELS.get(row.what, row.what)
    return render(request, "privacy/log_review.html", {
        "form": form,
        "page": page,
        "rows": rows,
        "filtered": bool(filters),
        "review_form": ReviewForm(),
        "burst_reads": BURST_READS,
        "burst_minutes": int(BURST_WINDOW.total_seconds() // 60),
    })


@requires(P_ACCESS_LOG_REVIEW)
@require_POST
def log_review_mark(request, pk):
    """Mark one read reviewed with a note, then back to the same filtered page."""
    entry = selectors.access_log_entry(actor=request.user, pk=pk)
    form = ReviewForm(request.POST)
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith("/"):
        back = ""
    if form.is_valid():
        call_service(
            request, lambda: services.log_review_record(actor=request.user, entry=entry, note=form.cleaned_data["note"]),
            success=_("Marked reviewed."),
        )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(back or "privacy:log")


# --- Data-subject requests ---------------------------------------------------------------


@logs_read("subject_request.list")
@requires(P_SUBJECT_REQUEST_MANAGE)
def requests(request):
    """The register of data-subject requests: the open ones by due date, or all."""
    show = "all" if request.GET.get("nayta") == "kaikki" else "open"
    rows = selectors.subject_requests(actor=request.user, show=show)
    page = IdPaginator(rows, PAGE_SIZE, related=("person", "compilation")).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(request, "privacy/requests.html", {"page": page, "rows": page.object_list, "show": show, "today": today})


@requires(P_SUBJECT_REQUEST_MANAGE)
def request_new(request):
    """Register a request received (by mail, e-mail, in person)."""
    selectors.require_subject_requests(request.user)
    form = RequestForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST":
        done, subject_request = form_step(form, lambda data: services.subject_request_register(
            actor=request.user, kind=data["kind"], received_on=data["received_on"], person=data["person"],
            outside_name=data["outside_name"], identity_method=data["identity_method"],
            identity_note=data["identity_note"], details=data["details"],
        ))
        if done:
            messages.success(request, _("The request was registered. Answer by %(date)s.") % {
                "date": fi_date(subject_request.due_on)})
            return redirect("privacy:request", pk=subject_request.pk)
    return render(request, "privacy/request_new.html", {"form": form}, status=400 if form.errors else 200)


def _request_page(request, subject_request, *, extend_form=None, status_form=None, status=200):
    compilation = selectors.subject_compilation(request=subject_request)
    return render(request, "privacy/request_detail.html", {
        "req": subject_request,
        "compilation": compilation,
        "extend_form": extend_form or ExtendForm(initial={"notice_on": timezone.localdate()}),
        "status_form": status_form or StatusForm(initial={"answered_on": timezone.localdate()}),
        "extension_last_day": deadlines.extension_notice_last_day(subject_request.received_on),
        "today": timezone.localdate(),
    }, status=status)


@logs_read("subject_request.detail", model=SubjectRequest)
@requires(P_SUBJECT_REQUEST_MANAGE)
def request_detail(request, pk):
    """One request: its deadline, the extension, the status, the compile."""
    return _request_page(request, selectors.subject_request_get(actor=request.user, pk=pk))


def _request_step(request, pk, form_class, form_key, service, fields, done_message):
    """One step posted from a request's page, `service` given the form's
    `fields`: on success back to the page with `done_message(subject_request)`;
    refused, the page again with the form as typed."""
    subject_request = selectors.subject_request_get(actor=request.user, pk=pk)
    form = form_class(request.POST)
    return posted_step(
        request, form, lambda data: service(actor=request.user, request=subject_request, **picked(data, *fields)),
        success=lambda _said: done_message(subject_request),
        back=reverse("privacy:request", args=[pk]), record=subject_request,
        again=lambda: _request_page(request, subject_request, status=400, **{form_key: form}),
    )


@requires(P_SUBJECT_REQUEST_MANAGE)
@require_POST
def request_extend(request, pk):
    return _request_step(
        request, pk, ExtendForm, "extend_form", services.subject_request_extend, ("months", "notice_on", "reasons"),
        lambda subject_request: _("The period was extended. Answer by %(date)s.") % {"date": fi_date(subject_request.due_on)},
    )


@requires(P_SUBJECT_REQUEST_MANAGE)
@require_POST
def request_status(request, pk):
    return _request_step(
        request, pk, StatusForm, "status_form", services.subject_request_status,
        ("status", "answered_on", "refusal_reason", "refusal_note"), lambda _subject_request: _("The status was saved."),
    )


@requires(P_SUBJECT_REQUEST_MANAGE)
@require_POST
def request_compile(request, pk):
    subject_request = selectors.subject_request_get(actor=request.user, pk=pk)
    if call_service(
        request, lambda: services.subject_request_compile(actor=request.user, request=subject_request),
        success=_("Compiled. Read it through and mark it reviewed before it is released."),
    ):
        return redirect("privacy:compilation", pk=pk)
    return redirect("privacy:request", pk=pk)


def _compilation_or_404(request, pk):
    subject_request = selectors.subject_request_get(actor=request.user, pk=pk)
    compilation = selectors.subject_compilation(request=subject_request)
    if compilation is None:
        raise Http404
    return subject_request, compilation


def _log_compilation_read(request, subject_request, what):
    """Each showing of the compile is a read of the person's data."""
    access_log_record(
        actor=request.user, target=subject_request.person, what=what, right=P_SUBJECT_REQUEST_MANAGE, request=request
    )


def _compilation_context(subject_request, compilation):
    seen = [{**row, "at": dt.datetime.fromisoformat(row["at"])} for row in compilation.seen]
    return {"req": subject_request, "compilation": compilation, "seen": seen, "person": subject_request.person}


@requires(P_SUBJECT_REQUEST_MANAGE)
def compilation(request, pk):
    """The compile as one printable page (the print stylesheet), with the
    redactions and their reasons, and the DPO's review."""
    subject_request, compiled = _compilation_or_404(request, pk)
    _log_compilation_read(request, subject_request, "subject_request.compilation")
    return render(request, "privacy/compilation.html", {
        **_compilation_context(subject_request, compiled), "review_form": CompilationReviewForm(),
    })


@requires(P_SUBJECT_REQUEST_MANAGE)
def compilation_download(request, pk, fmt):
    """The reviewed compile for release: JSON (machine-readable) or PDF."""
    if fmt not in ("json", "pdf"):
        raise Http404
    subject_request, compiled = _compilation_or_404(request, pk)
    if compiled.reviewed_at is None:
        messages.error(request, _("Mark the compile reviewed before it is released."))
        return redirect("privacy:compilation", pk=pk)
    name = f"tietopyynto-{subject_request.pk}"
    if fmt == "pdf":
        try:
            pdf = render_pdf("privacy/compilation_pdf.html", _compilation_context(subject_request, compiled), request=request)
        except PdfUnavailable:
            messages.error(request, _("The PDF cannot be made on this server. Print the page instead."))
            return redirect("privacy:compilation", pk=pk)
        _log_compilation_read(request, subject_request, "subject_request.compilation_pdf")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    payload = {
        "request": {"id": subject_request.pk, "type": subject_request.kind, "received_on": subject_request.received_on.isoformat()},
        "person": {"name": subject_request.person.full_name, "email": subject_request.person.email},
        "compiled_at": compiled.compiled_at.isoformat(),
        "reviewed_at": compiled.reviewed_at.isoformat(),
        "sections": compiled.sections,
        "seen_by": compiled.seen,
        "redactions": compiled.redactions,
    }
    _log_compilation_read(request, subject_request, "subject_request.compilation_json")
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(P_SUBJECT_REQUEST_MANAGE)
@require_POST
def compilation_review(request, pk):
    subject_request, compiled = _compilation_or_404(request, pk)
    form = CompilationReviewForm(request.POST)
    call_form_service(
        request, form,
        lambda data: services.subject_compilation_review(actor=request.user, compilation=compiled, note=data["review_note"]),
        success=_("Marked reviewed: the compile may be released."),
    )
    return redirect("privacy:compilation", pk=pk)


def _items_page(request, subject_request, *, failed=None, status=200):
    """The person's items per area with the decisions made; showing them is a
    read of the person's data. `failed`: (area, key, bound form) refused."""
    _log_compilation_read(request, subject_request, "subject_request.items")
    decided = {(a.area, a.key): a for a in subject_request.actions.select_related("decided_by")}
    parts = []
    for part in services.subject_items(subject_request):
        rows = []
        for item in part["items"]:
            auto_id = f"id_{len(parts)}_{len(rows)}_%s"
            form = None
            if (part["area"], item.key) not in decided:
                if failed and failed[:2] == (part["area"], item.key):
                    form = failed[2]
                    form.auto_id = auto_id
                else:
                    form = SubjectItemForm(initial={"area": part["area"], "key": item.key}, auto_id=auto_id)
                if not item.rectify:  # erasure stays offered: refused, it says which law keeps the item
                    form.fields["action"].choices = [c for c in form.fields["action"].choices if c[0] != "rectify"]
            rows.append({"item": item, "decision": decided.get((part["area"], item.key)), "form": form})
        parts.append({**part, "rows": rows})
    gone = [a for key, a in decided.items() if not any(
        p["area"] == key[0] and r["item"].key == key[1] for p in parts for r in p["rows"])]
    return render(request, "privacy/request_items.html", {
        "req": subject_request, "parts": parts, "gone": gone,
    }, status=status)


@requires(P_SUBJECT_REQUEST_MANAGE)
def request_items(request, pk):
    """A rectification or erasure request carried out item by item: erase,
    rectify or refuse with the legal reason."""
    subject_request = selectors.subject_request_get(actor=request.user, pk=pk)
    if subject_request.kind not in services.CHANGE_KINDS or subject_request.person_id is None:
        raise Http404
    if request.method != "POST":
        return _items_page(request, subject_request)
    form = SubjectItemForm(request.POST)
    done, _result = form_step(form, lambda data: services.subject_item_decide(
        actor=request.user, request=subject_request, area=data["area"], key=data["key"], action=data["action"],
        value=data["value"], refusal_reason=data["refusal_reason"], note=data["note"],
    ))
    if done:
        messages.success(request, _("The decision was carried out and recorded."))
        return redirect("privacy:request_items", pk=pk)
    subject_request.refresh_from_db()
    failed = (form.data.get("area", ""), form.data.get("key", ""), form)
    return _items_page(request, subject_request, failed=failed, status=400)
