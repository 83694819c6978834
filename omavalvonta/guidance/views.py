"""Guidance pages: the register (list), registering an item, the item page with
its response editor, review, actions and instructions, attachments, and the
staff-readable instructions page.

Pages about one item declare guidance.view (or AUTHENTICATED for the
instructions page staff open from their acknowledgement request); the selector
then answers 404 when the item concerns none of the actor's units and 403 inside
them without the right the step needs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_POST

from omavalvonta.core.accesslog import logs_read
from omavalvonta.core.attachments import attachment_response
from omavalvonta.core.forms import picked, posted_step
from omavalvonta.core.lists import filtered_list
from omavalvonta.core.service_calls import posted_button
from omavalvonta.guidance import selectors, services
from omavalvonta.guidance.forms import (
    ActionForm,
    AssignForm,
    FilterForm,
    InstructionsForm,
    RegisterForm,
    ResponseForm,
    ReviewForm,
)
from omavalvonta.guidance.models import Guidance, State
from omavalvonta.improvement.selectors import acknowledgement_progress, actions_for_source
from omavalvonta.organisation import access
from omavalvonta.organisation.access import (
    AUTHENTICATED,
    P_GUIDANCE_MANAGE,
    P_GUIDANCE_REVIEW,
    P_GUIDANCE_VIEW,
    requires,
)

PAGE_SIZE = 20


@logs_read("guidance.list")
@requires(P_GUIDANCE_VIEW)
def guidance_list(request):
    actor = request.user
    return filtered_list(
        request,
        "guidance/list.html",
        FilterForm(request.GET or None, units=access.units_for(actor, P_GUIDANCE_VIEW).order_by("name")),
        lambda filters: selectors.guidance_list(actor=actor, filters=filters),
        per_page=PAGE_SIZE,
        can_register=access.has_perm_anywhere(actor, P_GUIDANCE_MANAGE),
    )


@requires(P_GUIDANCE_MANAGE)
def guidance_create(request):
    actor = request.user
    units = access.units_for(actor, P_GUIDANCE_MANAGE).order_by("name")
    people = selectors.assignee_candidates(units=list(units), all_units=False)

    def page(form):
        return render(
            request,
            "guidance/form.html",
            {"form": form, "files_lost": bool(request.method == "POST" and request.FILES and form.errors)},
        )

    if request.method != "POST":
        return page(RegisterForm(units=units, people=people))
    form = RegisterForm(request.POST, request.FILES, units=units, people=people)
    return posted_step(
        request, form, lambda _data: services.guidance_register(actor=actor, **form.service_kwargs()),
        success=_("The item was registered."), back=lambda guidance: reverse("guidance:detail", args=[guidance.pk]),
        again=lambda: page(form),
    )


# --- The item page ------------------------------------------------------------------------


def _action_units(actor, guidance):
    if guidance.applies_to_all_units:
        return access.units_for(actor, P_GUIDANCE_MANAGE).order_by("name")
    ids = [u.pk for u in selectors.guidance_units(guidance=guidance)]
    return access.units_for(actor, P_GUIDANCE_MANAGE).filter(pk__in=ids).order_by("name")


def _forms(actor, guidance, *, bound: str | None = None, data=None) -> dict:
    def args(name):
        return (data,) if name == bound else ()

    forms = {}
    if selectors.can_prepare(actor, guidance):
        forms["response"] = ResponseForm(
            *args("response"), prefix="response",
            initial={"response": guidance.response, "edit_version": guidance.edit_version},
        )
    if selectors.can_on_item(actor, guidance, P_GUIDANCE_REVIEW):
        forms["review"] = ReviewForm(*args("review"), prefix="review")
    if selectors.can_on_item(actor, guidance, P_GUIDANCE_MANAGE):
        forms["assign"] = AssignForm(
            *args("assign"),
            prefix="assign",
            people=selectors.assignee_candidates(guidance=guidance),
            current=guidance.assignee,
        )
        forms["instructions"] = InstructionsForm(
            *args("instructions"), prefix="instructions", initial={"instructions": guidance.instructions}
        )
    action_units = _action_units(actor, guidance)
    if action_units.exists():
        forms["action"] = ActionForm(
            *args("action"),
            prefix="action",
            units=action_units,
            people=selectors.action_owner_candidates(guidance=guidance),
        )
    return forms


def _render_detail(request, guidance, *, forms=None, failed=False):
    actor = request.user
    if forms is None:
        forms = _forms(actor, guidance)
    done, asked = acknowledgement_progress(target=guidance)
    context = {
        "g": guidance,
        "units": selectors.guidance_units(guidance=guidance),
        "attachments": list(selectors.guidance_attachments(guidance=guidance)),
        "timeline": selectors.guidance_timeline(guidance=guidance),
        "actions": list(actions_for_source(source=guidance)),
        "days_left": (guidance.deadline - timezone.localdate()).days if guidance.deadline else None,
        "ack_done": done,
        "ack_asked": asked,
        "forms": forms,
        "failed": failed,
        "can_manage": selectors.can_on_item(actor, guidance, P_GUIDANCE_MANAGE),
        "can_prepare": "response" in forms,
        "can_review": "review" in forms,
        "editable_response": guidance.requires_response
        and guidance.state in (State.REGISTERED, State.RESPONSE_IN_PREPARATION),
        "in_review": guidance.state == State.RESPONSE_IN_REVIEW,
        "closable": guidance.state != State.CLOSED
        and (guidance.state == State.RESPONDED or not guidance.requires_response),
    }
    return render(request, "guidance/detail.html", context, status=400 if failed else 200)


@logs_read("guidance.letter", model=Guidance)
@requires(P_GUIDANCE_VIEW)
def guidance_detail(request, pk):
    guidance = selectors.guidance_get(actor=request.user, pk=pk)
    return _render_detail(request, guidance)


@requires(P_GUIDANCE_VIEW)
def attachment_download(request, pk, attachment_id):
    guidance = selectors.guidance_get(actor=request.user, pk=pk)
    attachment = selectors.guidance_attachment(
        actor=request.user, guidance=guidance, attachment_id=attachment_id, request=request
    )
    return attachment_response(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)


@requires(AUTHENTICATED)
def instructions(request, pk):
    """The instructions staff are asked to acknowledge: readable by everyone
    working in a unit the item concerns (not only those with guidance.view)."""
    guidance = selectors.guidance_instructions_get(actor=request.user, pk=pk)
    return render(request, "guidance/instructions.html", {"g": guidance})


# --- Steps: one POST each ---------------------------------------------------------------


def _step(request, pk, name, perm, perform, success_message):
    """Validate form `name`, run `perform(guidance, cleaned_data)`, redirect back
    with a message; on an error show the page again with the errors."""
    actor = request.user
    guidance = selectors.guidance_get(actor=actor, pk=pk, perm=perm)
    forms = _forms(actor, guidance, bound=name, data=request.POST)
    form = forms.get(name)
    if form is None:
        # The actor sees the item, but this step is not theirs: 403, not 404.
        raise PermissionDenied(perm)
    return posted_step(
        request, form, lambda data: perform(guidance, data), success=lambda said: said or success_message,
        back=reverse("guidance:detail", args=[guidance.pk]), record=guidance,
        again=lambda: _render_detail(request, guidance, forms=forms, failed=True),
    )


def _step_view(name, perm, perform, success_message=""):
    """The view posting step `name` (guidance.view declared, `perm` on the item
    checked): `perform(request, guidance, cleaned_data)` calls the service and
    may return its own message, else `success_message` is said."""

    @requires(P_GUIDANCE_VIEW)
    @require_POST
    def view(request, pk):
        return _step(request, pk, name, perm, lambda guidance, data: perform(request, guidance, data), success_message)

    return view


def _response(request, guidance, data):
    submit = request.POST.get("submit") == "review"
    service = services.guidance_response_submit if submit else services.guidance_response_save
    service(actor=request.user, guidance=guidance, response=data["response"], expected_version=data["edit_version"])
    return _("The response was submitted for review.") if submit else None


def _review(request, guidance, data):
    approve = data["decision"] == "approve"
    services.guidance_review(
        actor=request.user,
        guidance=guidance,
        approve=approve,
        comment=data["comment"],
        response_date=data["response_date"],
    )
    return _("The response was approved.") if approve else _("The response was returned for changes.")


def _assign(request, guidance, data):
    services.guidance_assign(actor=request.user, guidance=guidance, assignee=data["assignee"])


def _add_action(request, guidance, data):
    services.guidance_action_add(actor=request.user, guidance=guidance, **picked(data, "unit", "title", "owner", "due_date"))


def _issue_instructions(request, guidance, data):
    asked = services.guidance_instructions_issue(actor=request.user, guidance=guidance, instructions=data["instructions"])
    return _("The instructions were issued; %(count)s people were asked to acknowledge them.") % {"count": asked}


response = _step_view("response", P_GUIDANCE_MANAGE, _response, gettext_lazy("The draft was saved."))
review = _step_view("review", P_GUIDANCE_REVIEW, _review)
assign = _step_view("assign", P_GUIDANCE_MANAGE, _assign, gettext_lazy("The responsible person was changed."))
add_action = _step_view("action", P_GUIDANCE_VIEW, _add_action, gettext_lazy("The action was added."))
issue_instructions = _step_view("instructions", P_GUIDANCE_MANAGE, _issue_instructions)


@requires(P_GUIDANCE_VIEW)
@require_POST
def close(request, pk):
    guidance = selectors.guidance_get(actor=request.user, pk=pk, perm=P_GUIDANCE_MANAGE)
    return posted_button(
        request, lambda: services.guidance_close(actor=request.user, guidance=guidance),
        success=_("The item was closed."), back=reverse("guidance:detail", args=[guidance.pk]),
    )
