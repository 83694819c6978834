"""The self-supervision log: the list, a new entry, one entry and its follow-up."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from omavalvonta.core.accesslog import logs_read
from omavalvonta.core.forms import posted_step
from omavalvonta.improvement import selectors, services
from omavalvonta.improvement.forms import (
    FollowUpTextForm,
    LogEntryForm,
    LogFilterForm,
)
from omavalvonta.improvement.models import LogEntry
from omavalvonta.improvement.views._common import PAGE_SIZE, start_page
from omavalvonta.organisation import access
from omavalvonta.organisation.access import (
    AUTHENTICATED,
    P_LOG_VIEW,
    P_LOG_WRITE,
    requires,
)

# --- The self-supervision log ----------------------------------------------------------------------------


@logs_read("log.list")
@requires(P_LOG_VIEW)
def log_list(request):
    actor = request.user
    units = selectors.units_viewable(actor=actor, perm=P_LOG_VIEW)
    regions = selectors.regions_of(units)
    form = LogFilterForm(request.GET or None, units=units, regions=regions)
    filters = form.filters()
    page = Paginator(selectors.log_list(actor=actor, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "improvement/log_list.html",
        {
            "form": form,
            "page": page,
            "filtered": form.is_bound,
            "filters": filters,
            "can_write": access.has_perm_anywhere(actor, P_LOG_WRITE),
            "printed_at": timezone.localtime(),
        },
    )


@requires(P_LOG_WRITE)
def log_create(request):
    actor = request.user
    return start_page(
        request,
        LogEntryForm,
        lambda form: services.log_entry_create(actor=actor, **form.cleaned_data),
        success=_("The log entry was saved."),
        back=lambda entry: reverse("improvement:log_detail", args=[entry.pk]),
        form_kwargs={"units": selectors.units_viewable(actor=actor, perm=P_LOG_WRITE)},
        initial=lambda: {"observed_on": timezone.localdate()},
        heading=_("New log entry"),
        intro=_(
            "Record an observed deviation or shortcoming, how it was reacted to and what correction is planned. "
            "The follow-up is added later."
        ),
        names="unit observed_on observation reaction planned_correction",
        button=_("Save the entry"),
        cancel=reverse("improvement:log"),
    )


def _render_log_entry(request, entry, *, form=None, status=200):
    can_write = access.can(request.user, P_LOG_WRITE, entry.unit)
    if form is None and can_write:
        form = FollowUpTextForm(initial={"follow_up": entry.follow_up})
    return render(
        request,
        "improvement/log_detail.html",
        {"entry": entry, "form": form if can_write else None, "can_write": can_write},
        status=status,
    )


@logs_read("log.detail", model=LogEntry)
@requires(AUTHENTICATED)
def log_detail(request, pk):
    entry = selectors.log_entry_get(actor=request.user, pk=pk)
    return _render_log_entry(request, entry)


@requires(AUTHENTICATED)
@require_POST
def log_follow_up(request, pk):
    actor = request.user
    entry = selectors.log_entry_get(actor=actor, pk=pk, perm=P_LOG_WRITE)
    form = FollowUpTextForm(request.POST)
    return posted_step(
        request,
        form,
        lambda data: services.log_entry_follow_up(actor=actor, entry=entry, follow_up=data["follow_up"]),
        success=_("The follow-up was saved."),
        back=reverse("improvement:log_detail", args=[entry.pk]),
        record=entry,
        again=lambda: _render_log_entry(request, entry, form=form, status=400),
    )
