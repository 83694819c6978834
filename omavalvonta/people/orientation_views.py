"""Pages of orientation (perehdytys) under /osaaminen/: the cards (anyone
signed in reads them; the quality director drafts and publishes versions), a
unit's orientations with progress and the start form (the unit's leaders), one
orientation's checklist (its newcomer, its mentor, the unit's leaders; 404 for
anyone else; phone-first), its evaluation and a finding's action."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from omavalvonta.core.accesslog import logs_read
from omavalvonta.core.forms import add_service_errors, form_page, form_step
from omavalvonta.core.lib import bounds
from omavalvonta.core.offline import queue_answer, submit_refusal, wants_json
from omavalvonta.organisation import access
from omavalvonta.organisation.access import (
    AUTHENTICATED,
    P_ACTION_MANAGE,
    P_COMPETENCE_RECORD,
    P_COMPETENCE_VIEW,
    P_ORIENTATION_CARDS,
    requires,
)
from omavalvonta.people import orientation_selectors as oselectors, selectors, services
from omavalvonta.people.forms import (
    CardItemForm,
    EvaluationActionForm,
    EvaluationForm,
    OrientationStartForm,
    OrientationStepForm,
)
from omavalvonta.people.models import EvaluatorRole


def _service_message(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Cards -------------------------------------------------------------------------------------------


@requires(AUTHENTICATED)
def cards(request):
    """The orientation cards per role; the quality director makes a new draft."""
    actor = request.user
    can_edit = access.has_perm_organisation_wide(actor, P_ORIENTATION_CARDS)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(P_ORIENTATION_CARDS)
        try:
            draft = services.card_draft(actor=actor, role=request.POST.get("role", ""))
        except ValidationError as error:
            _service_message(request, error)
            return redirect("people:cards")
        return redirect("people:card", pk=draft.pk)
    return render(request, "people/cards.html", {"rows": oselectors.cards_overview(), "can_edit": can_edit})


@requires(AUTHENTICATED)
def card(request, pk):
    """One version of a card by theme; a draft is edited here and published."""
    actor = request.user
    the_card = oselectors.card_get(pk)
    can_edit = the_card.is_draft and access.has_perm_organisation_wide(actor, P_ORIENTATION_CARDS)
    if the_card.is_draft and not can_edit:
        raise Http404  # a draft is the quality director's until published
    form = CardItemForm()
    # ?muokkaa=<item>: the item's own form in place of the add form (a draft only).
    editing = _editing_item(the_card, request.POST.get("item") if request.method == "POST" else request.GET.get("muokkaa"))
    if editing is not None and request.method == "GET" and can_edit:
        form = CardItemForm(initial={
            "theme": editing.theme, "text": editing.text, "text_sv": editing.text_sv, "text_en": editing.text_en,
            "target_day": editing.target_day, "needs_ack": editing.needs_ack,
        })
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(P_ORIENTATION_CARDS)
        step = request.POST.get("step")
        if step not in ("add", "edit"):
            _card_step(request, the_card, step)
            return redirect("people:card", pk=the_card.pk)
        if step == "add":
            editing = None
        form = CardItemForm(request.POST)
        if _card_item_save(request, the_card, form, editing, adding=step == "add"):
            return redirect("people:card", pk=the_card.pk)
    return render(
        request, "people/card.html",
        {
            "card": the_card, "groups": oselectors.card_items_by_theme(the_card), "can_edit": can_edit, "form": form,
            "editing": editing if can_edit else None,
        },
    )


def _card_item_save(request, the_card, form, editing, *, adding: bool) -> bool:
    """Add an item to the draft or change one; False (the form keeps its errors) when refused."""
    actor = request.user
    if adding:
        save = lambda data: services.card_item_add(actor=actor, card=the_card, **data)  # noqa: E731
    else:
        item_id = editing.pk if editing else 0
        save = lambda data: services.card_item_edit(actor=actor, card=the_card, item_id=item_id, **data)  # noqa: E731
    done, _item = form_step(form, save)
    if done:
        messages.success(request, _("The item was added to the draft.") if adding else _("The item was changed."))
    return done


def _card_step(request, the_card, step) -> None:
    """Remove or move an item, or publish the draft; a refusal becomes a message."""
    actor = request.user
    try:
        item_id = bounds.parse_int(request.POST.get("item") or "", minimum=1) or 0
        if step == "remove":
            services.card_item_remove(actor=actor, card=the_card, item_id=item_id)
            messages.success(request, _("The item was removed from the draft."))
        elif step in ("up", "down"):
            services.card_item_move(actor=actor, card=the_card, item_id=item_id, up=step == "up")
        elif step == "publish":
            services.card_publish(actor=actor, card=the_card)
            messages.success(request, _("The card was published: new orientations take this version."))
    except ValidationError as error:
        _service_message(request, error)


def _editing_item(card, raw):
    item_id = bounds.parse_int(raw or "", minimum=1)
    if item_id is None or not card.is_draft:
        return None
    return card.items.filter(pk=item_id).first()


# --- A unit's orientations -----------------------------------------------------------------------------


@logs_read("competence.orientations")
@requires(P_COMPETENCE_VIEW)
def orientations(request, unit_id):
    actor = request.user
    unit = access.access_unit(actor, unit_id, P_COMPETENCE_VIEW)
    return render(
        request, "people/orientations.html",
        {
            "unit": unit,
            "rows": oselectors.unit_orientations(actor=actor, unit=unit),
            "can_start": access.can(actor, P_COMPETENCE_RECORD, unit),
        },
    )


@requires(P_COMPETENCE_RECORD)
def orientation_new(request, unit_id):
    actor = request.user
    unit = access.access_unit(actor, unit_id, P_COMPETENCE_RECORD)
    return form_page(
        request, OrientationStartForm,
        lambda form: services.orientation_start(actor=actor, unit=unit, **form.cleaned_data),
        template="people/orientation_new.html", context={"unit": unit},
        form_kwargs={"staff": selectors.unit_staff(unit=unit)},
        initial={"started_on": timezone.localdate(), "role": "hourly"},
        success=lambda started: _("The orientation of %(name)s was started.") % {"name": started.newcomer.full_name},
        back=lambda started: reverse("people:orientation", args=[started.pk]),
    )


# --- One orientation -----------------------------------------------------------------------------------


@requires(AUTHENTICATED)
def orientation(request, pk):
    """The checklist: the mentor ticks, the newcomer acknowledges (a POST per item)."""
    actor = request.user
    if request.method == "POST":
        return _orientation_step(request, oselectors.orientation_get(actor=actor, pk=pk))
    the = oselectors.orientation_get(actor=actor, pk=pk, request=request)
    role = services.evaluator_role(actor, the)
    page = oselectors.orientation_page(actor=actor, orientation=the)
    written = {e.by_role for e in page["evaluations"]}
    return render(
        request, "people/orientation.html",
        {
            "o": the, "p": page,
            "is_newcomer": actor.pk == the.newcomer_id,
            "can_tick": actor.pk == the.mentor_id or access.can(actor, P_COMPETENCE_RECORD, the.unit),
            "can_evaluate": the.is_open and page["all_done"] and role is not None and role not in written,
            "can_act": access.can(actor, P_ACTION_MANAGE, the.unit),
            "evaluation_form": EvaluationForm(),
        },
    )


def _orientation_step(request, the):
    """One tick, take-back or acknowledgement, posted from the page or sent from
    the browser's offline queue (JSON): each is idempotent, so a step the queue
    sends twice is recorded once."""
    actor = request.user
    form = OrientationStepForm(request.POST)
    item = oselectors.orientation_item_get(the, request.POST.get("item")) if form.is_valid() else None
    if item is None:
        form.add_error(None, _("The item was not found on this orientation. Reload the page."))
        if wants_json(request):
            return submit_refusal(form)
        messages.error(request, form.non_field_errors()[0])
        return redirect("people:orientation", pk=the.pk)
    step = form.cleaned_data["step"]
    already = {"tick": item.ticked_at is not None, "untick": item.ticked_at is None, "ack": item.acknowledged_at is not None}[step]
    try:
        if step == "ack":
            services.item_acknowledge(actor=actor, item=item)
            message = _("Acknowledged: %(item)s") % {"item": item.card_item.label}
        else:
            services.item_tick(actor=actor, item=item, done=step == "tick")
            message = _("Ticked: %(item)s") % {"item": item.card_item.label} if step == "tick" else ""
    except ValidationError as error:
        if wants_json(request):
            add_service_errors(form, error)
            return submit_refusal(form)
        _service_message(request, error)
        return redirect(request.path + f"#item-{item.pk}")
    if wants_json(request):
        return queue_answer(created=not already, message=message or _("The tick was taken back."))
    if message:
        messages.success(request, message)
    return redirect(request.path + f"#item-{item.pk}")


@require_POST
@requires(AUTHENTICATED)
def orientation_evaluate(request, pk):
    actor = request.user
    the = oselectors.orientation_get(actor=actor, pk=pk)
    form = EvaluationForm(request.POST)
    done, _evaluation = form_step(
        form, lambda data: services.evaluation_save(actor=actor, orientation=the, score=data["score"], text=data["text"])
    )
    if done:
        messages.success(request, _("Your evaluation was saved."))
        return redirect("people:orientation", pk=the.pk)
    page = oselectors.orientation_page(actor=actor, orientation=the)
    return render(
        request, "people/orientation.html",
        {"o": the, "p": page, "is_newcomer": actor.pk == the.newcomer_id, "can_tick": False,
         "can_evaluate": True, "can_act": False, "evaluation_form": form},
    )


@requires(P_ACTION_MANAGE)
def evaluation_action(request, pk, evaluation_id):
    """A finding of the evaluation becomes an improvement action of the unit."""
    actor = request.user
    the = oselectors.orientation_get(actor=actor, pk=pk)
    access.require(actor, P_ACTION_MANAGE, the.unit)
    evaluation = the.evaluations.filter(pk=evaluation_id).first()
    if evaluation is None:
        raise Http404
    staff = selectors.unit_staff(unit=the.unit)
    if request.method == "POST":
        form = EvaluationActionForm(request.POST, staff=staff)
        done, _action = form_step(
            form, lambda data: services.evaluation_action(actor=actor, evaluation=evaluation, **data)
        )
        if done:
            messages.success(request, _("The finding became an improvement action."))
            return redirect("people:orientation", pk=the.pk)
    else:
        form = EvaluationActionForm(staff=staff, initial={"title": evaluation.text[:300], "owner": actor.pk})
    return render(
        request, "people/evaluation_action.html",
        {"o": the, "evaluation": evaluation, "form": form, "roles": dict(EvaluatorRole.choices)},
    )
