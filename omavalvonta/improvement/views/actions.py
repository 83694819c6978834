"""Action pages: mine, the units' list and export, one action and its steps."""

from __future__ import annotations

import csv
from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_POST

from omavalvonta.core.accesslog import logs_read
from omavalvonta.core.forms import form_step, picked, posted_step
from omavalvonta.improvement import selectors, services
from omavalvonta.improvement.forms import (
    ActionCompleteForm,
    ActionCreateForm,
    ActionEditForm,
    ActionFilterForm,
    CancelForm,
    EffectivenessForm,
)
from omavalvonta.improvement.models import Action, ActionKind, ActionState
from omavalvonta.improvement.views._common import PAGE_SIZE, _unit_from
from omavalvonta.organisation import access
from omavalvonta.organisation.access import (
    AUTHENTICATED,
    P_ACTION_MANAGE,
    P_ACTION_VIEW,
    P_DEVIATION_HANDLE,
    requires,
)

# --- Actions ------------------------------------------------------------------------------------------


@requires(AUTHENTICATED)
def my_actions(request):
    # AUTHENTICATED: an owner sees their own actions whatever their unit rights.
    actor = request.user
    actions = list(selectors.action_list_mine(actor=actor))
    return render(
        request,
        "improvement/my_actions.html",
        {
            "open_actions": [a for a in actions if a.state == ActionState.OPEN],
            "awaiting": [a for a in actions if a.state == ActionState.AWAITING_CHECK],
            "overdue_count": sum(1 for a in actions if a.is_overdue),
            "recent_done": selectors.action_list_mine_recent_done(actor=actor),
            "can_view_all": access.has_perm_anywhere(actor, P_ACTION_VIEW),
            "can_manage": access.has_perm_anywhere(actor, P_ACTION_MANAGE),
        },
    )


def _action_filter_form(request, actor):
    units = selectors.units_viewable(actor=actor)
    return ActionFilterForm(
        request.GET or None,
        units=units,
        regions=selectors.regions_of(units),
        owners=selectors.action_owners(actor=actor),
    )


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv."""

    def write(self, value):
        return value


@logs_read("action.export")
@requires(P_ACTION_VIEW)
def action_export(request):
    """The filtered actions as CSV: UTF-8 with a BOM and semicolons, as the
    deviations' export (Excel with Finnish settings)."""
    actor = request.user
    form = _action_filter_form(request, actor)
    rows = iter(selectors.action_export_rows(actor=actor, filters=form.filters()))
    header = next(rows, None)
    writer = csv.writer(_Echo(), delimiter=";")

    def stream():
        yield "\ufeff"
        if header is not None:
            yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="toimenpiteet-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


@logs_read("action.list")
@requires(P_ACTION_VIEW)
def action_list(request):
    actor = request.user
    form = _action_filter_form(request, actor)
    filters = form.filters()
    page = Paginator(selectors.action_list(actor=actor, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "improvement/action_list.html",
        {
            "form": form,
            "page": page,
            "filtered": form.is_bound,
            "can_manage": access.has_perm_anywhere(actor, P_ACTION_MANAGE),
        },
    )


@requires(P_ACTION_MANAGE)
def action_create(request):
    actor = request.user
    units = list(selectors.units_managed(actor=actor))
    unit = _unit_from(request, units)
    if unit is None:
        raise Http404
    people = list(selectors.people_of_unit(unit=unit))
    if request.method == "POST":
        form = ActionCreateForm(request.POST, people=people)
        fields = ("title", "description", "owner", "due_date", "kind", "source_kind", "needs_effectiveness_check")
        done, action = form_step(form, lambda data: services.action_create(actor=actor, unit=unit, **picked(data, *fields)))
        if done:
            messages.success(request, _("The action was saved and its owner notified."))
            return redirect("improvement:action_detail", pk=action.pk)
    else:
        form = ActionCreateForm(people=people, initial={"kind": request.GET.get("kind") or ActionKind.DEVELOPMENT})
    return render(request, "improvement/action_form.html", {"form": form, "unit": unit, "units": units})


def _action_forms(action, actor, *, bound: str | None = None, data=None) -> dict:
    """The forms the actor may use on this action; the one named `bound` bound to `data`."""

    def args(name):
        return (data,) if name == bound else ()

    is_owner = action.owner_id == actor.pk
    can_manage = access.can(actor, P_ACTION_MANAGE, action.unit)
    forms = {}
    if action.state == ActionState.OPEN and (
        is_owner or can_manage or access.can(actor, P_DEVIATION_HANDLE, action.unit)
    ):
        forms["complete"] = ActionCompleteForm(*args("complete"), prefix="complete")
    if can_manage and action.state == ActionState.AWAITING_CHECK:
        forms["effectiveness"] = EffectivenessForm(*args("effectiveness"), prefix="effectiveness")
    if can_manage and action.state == ActionState.OPEN:
        forms["edit"] = ActionEditForm(
            *args("edit"),
            prefix="edit",
            people=selectors.people_of_unit(unit=action.unit),
            current_owner=action.owner,
            initial={
                "title": action.title,
                "description": action.description,
                "owner": str(action.owner_id),
                "due_date": action.due_date,
                "edit_version": action.edit_version,
            },
        )
    if can_manage and action.state in (ActionState.OPEN, ActionState.AWAITING_CHECK):
        forms["cancel"] = CancelForm(*args("cancel"), prefix="cancel")
    return forms


def _render_action(request, action, *, forms=None, status=200):
    actor = request.user
    failed = bool(forms and any(f.errors for f in forms.values()))
    if forms is None:
        forms = _action_forms(action, actor)
    return render(
        request,
        "improvement/action_detail.html",
        {
            "action": action,
            "forms": forms,
            "failed": failed,
            "is_owner": action.owner_id == actor.pk,
            "can_manage": access.can(actor, P_ACTION_MANAGE, action.unit),
            "sees_unit_actions": access.can(actor, P_ACTION_VIEW, action.unit),
            "source_link": selectors.action_source_link(actor=actor, action=action),
            "timeline": selectors.action_timeline(action=action),
            "today": timezone.localdate(),
        },
        status=status,
    )


@logs_read("action.detail", model=Action)
@requires(AUTHENTICATED)
def action_detail(request, pk):
    action = selectors.action_get(actor=request.user, pk=pk)
    return _render_action(request, action)


def _action_step(request, pk, name, perm, perform, success_message):
    """Run one step posted from the action page: validate form `name`, call the
    service, redirect back with a message; on an error show the page again."""
    actor = request.user
    action = selectors.action_get(actor=actor, pk=pk, perm=perm)
    forms = _action_forms(action, actor, bound=name, data=request.POST)
    form = forms.get(name)
    if form is None:
        # The step is not open to this actor in this state (a stale page).
        messages.error(request, _("That step is not available for this action any more."))
        return redirect("improvement:action_detail", pk=action.pk)
    return posted_step(
        request, form, lambda data: perform(action, data), success=success_message,
        back=reverse("improvement:action_detail", args=[action.pk]), record=action,
        again=lambda: _render_action(request, action, forms=forms, status=400),
    )


def action_step(name, perm, *, success):
    """Declare one step posted from the action page (its form `name`, the action
    read with `perm`): the decorated function is given the request, the action
    and the form's cleaned data, and calls the service; `success` is the message."""

    def decorate(perform):
        @requires(AUTHENTICATED)
        @require_POST
        @wraps(perform)
        def view(request, pk):
            return _action_step(request, pk, name, perm, lambda action, data: perform(request, action, data), success)

        return view

    return decorate


# The owner completes their own action: read with the owner rule (view).
@action_step("complete", P_ACTION_VIEW, success=gettext_lazy("The action was marked done."))
def action_complete(request, action, data):
    services.action_complete(actor=request.user, action=action, note=data["note"])


@action_step("effectiveness", P_ACTION_MANAGE, success=gettext_lazy("The effectiveness check was recorded."))
def action_record_effectiveness(request, action, data):
    services.action_record_effectiveness(
        actor=request.user, action=action, **picked(data, "result", "evidence"), new_due_date=data.get("new_due_date")
    )


@action_step("edit", P_ACTION_MANAGE, success=gettext_lazy("The action was saved."))
def action_edit(request, action, data):
    services.action_update(
        actor=request.user,
        action=action,
        **picked(data, "title", "description", "owner", "due_date"),
        expected_version=data["edit_version"],
    )


@action_step("cancel", P_ACTION_MANAGE, success=gettext_lazy("The action was cancelled."))
def action_cancel(request, action, data):
    services.action_cancel(actor=request.user, action=action, reason=data["reason"])
