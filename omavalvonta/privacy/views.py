from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from omavalvonta.core.accesslog import logs_read
from omavalvonta.core.pagination import IdPaginator
from omavalvonta.organisation.access import P_ACCESS_LOG_REVIEW, requires
from omavalvonta.privacy import selectors, services
from omavalvonta.privacy.forms import WHAT_LABELS, LogFilterForm, ReviewForm
from omavalvonta.privacy.rules import BURST_READS, BURST_WINDOW

PAGE_SIZE = 50
# Counting the whole log stops here ("more than"); the filters narrow it.
COUNT_LIMIT = 10_000


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
        count=lambda: entries.order_by()[:COUNT_LIMIT].count(), count_limit=COUNT_LIMIT,
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
        try:
            services.log_review_record(actor=request.user, entry=entry, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Marked reviewed."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(back or "privacy:log")
