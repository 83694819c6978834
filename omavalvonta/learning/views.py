"""Learning review pages: the list (the actor's scope, open or completed), a new
review (from scratch, or from another area's record: `?alkupera=name:id`), one
review with its answers and actions, completing it with the summary, sharing
the summary (the quality director) and acknowledging it (the units' staff).

The list and the new-review form declare only a signed-in person: employees
read the reviews they take part in, and a deviation's handler opens one from
the report without learning.open; the selectors and services apply the kernel."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_POST

from omavalvonta.core.accesslog import logs_read
from omavalvonta.core.forms import form_step, posted_step
from omavalvonta.deviations import selectors as deviation_selectors
from omavalvonta.learning import selectors, services
from omavalvonta.learning.forms import ActionForm, AnswersForm, CompleteForm, ReviewForm, ShareForm
from omavalvonta.learning.models import QUESTIONS, State
from omavalvonta.organisation.access import AUTHENTICATED, P_LEARNING_SHARE, requires

PAGE_SIZE = 20
ORGANISATION_WIDE = "0"  # the unit choice of a review without a unit


@logs_read("learning.list")
@requires(AUTHENTICATED)
def review_list(request):
    actor = request.user
    state = request.GET.get("tila", "")
    if state not in State.values:
        state = ""
    page = Paginator(selectors.review_list(actor=actor, state=state or None), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/list.html",
        {
            "page": page,
            "state": state,
            "states": State.choices,
            "can_open": selectors.may_open(actor),
            "today": timezone.localdate(),
            "summaries": selectors.shared_summaries(actor=actor, limit=5),
        },
    )


def _refused_origin(request, origin):
    return render(request, "learning/origin_refused.html", {"origin": origin}, status=400)


def _origin_asked(request) -> str:
    """The origin record of a new review: the posted `origin`, else `?alkupera=name:id`."""
    posted = request.POST.get("origin") if request.method == "POST" else None
    return posted or request.GET.get("alkupera", "")


def _units_to_open(actor, suggested) -> list:
    """The units a new review may be opened in: the active units of the origin
    record's suggestion, or (from scratch) the actor's own, with learning.open."""
    if suggested is not None:
        return [u for u in suggested["units"] if u.is_active]
    if not selectors.may_open(actor):
        raise PermissionDenied("learning.open")
    return list(selectors.units_to_open_in(actor=actor))


def _chosen_unit(units, unit_id, *, org_wide: bool, origin: str):
    """(unit, wide): the unit asked for, or the only one there is when nothing
    else may be chosen (no organisation-wide choice, or a review from a record);
    wide when an organisation-wide review was asked for and may be opened.
    (None, False): the actor still has to choose."""
    unit = next((u for u in units if str(u.pk) == str(unit_id)), None)
    wide = org_wide and unit_id == ORGANISATION_WIDE
    if unit is None and not wide and len(units) == 1 and (not org_wide or origin):
        unit = units[0]
    return unit, wide


def _suggested_deviations(actor, suggested) -> list:
    """The origin record's deviations the actor may read, in order."""
    if not suggested or not suggested["deviation_ids"]:
        return []
    return list(
        deviation_selectors.deviation_list(actor=actor).filter(pk__in=suggested["deviation_ids"]).order_by("pk")
    )


def _new_review_initial(actor, people, suggested, deviations) -> dict:
    initial = {
        "due_date": timezone.localdate() + dt.timedelta(days=services.DEFAULT_DUE_DAYS),
        "facilitator": str(actor.pk) if any(p.pk == actor.pk for p in people) else "",
    }
    if suggested:
        initial["title"] = suggested["title"]
        initial["deviations"] = [str(d.pk) for d in deviations]
    return initial


def _opened_review(form, *, actor, unit, origin):
    """The review opened from the posted form; None when the form or the
    service refused it (the service's errors are then on the form)."""
    done, review = form_step(
        form,
        lambda data: services.review_open(
            actor=actor, unit=unit, title=data["title"], facilitator=data["facilitator"],
            participants=data["participants"], due_date=data["due_date"],
            deviation_ids=data.get("deviations") or [], origin=origin,
        ),
    )
    return review if done else None


@requires(AUTHENTICATED)
def review_new(request):
    """A new review. `?alkupera=name:id` (or the posted `origin`) starts it from
    a record of another area (core.registry LEARNING_ORIGINS): its provider
    suggests the title, the deviations and the units."""
    actor = request.user
    origin = _origin_asked(request)
    suggested = None
    if origin:
        suggested = selectors.origin_resolve(origin, actor=actor)
        if suggested is None:
            return _refused_origin(request, origin)
    units = _units_to_open(actor, suggested)
    org_wide = selectors.may_open_organisation_wide(actor)
    unit_id = request.POST.get("unit") if request.method == "POST" else request.GET.get("unit")
    unit, wide = _chosen_unit(units, unit_id, org_wide=org_wide, origin=origin)
    if unit is None and not wide:
        return render(
            request, "learning/choose_unit.html",
            {"units": units, "org_wide": org_wide, "origin": origin, "chosen": unit_id},
            status=400 if unit_id not in (None, "") else 200,
        )
    people = selectors.people_for(units=[unit] if unit else [])
    deviations = _suggested_deviations(actor, suggested)
    if request.method == "POST":
        form = ReviewForm(request.POST, people=people, deviations=deviations)
        review = _opened_review(form, actor=actor, unit=unit, origin=origin)
        if review is not None:
            messages.success(request, _("The learning review was opened."))
            return redirect("learning:detail", pk=review.pk)
        status = 400
    else:
        initial = _new_review_initial(actor, people, suggested, deviations)
        form = ReviewForm(initial=initial, people=people, deviations=deviations)
        status = 200
    return render(
        request, "learning/new.html",
        {"form": form, "unit": unit, "wide": wide, "origin": origin, "unit_value": unit.pk if unit else ORGANISATION_WIDE},
        status=status,
    )


def _completed_summary(review):
    """The summary of a completed review (None before completion)."""
    return getattr(review, "summary", None) if review.state == State.COMPLETED else None


def _form_for(step_open: bool, posted, make):
    """A step's form on the review page: the posted one when it was refused,
    else a new one (`make()`); None when the step is not open to the actor."""
    if not step_open:
        return None
    return posted if posted is not None else make()


def _summary_progress(summary):
    """The acknowledgement progress of a shared summary (None before sharing)."""
    if summary is None or not summary.is_shared:
        return None
    return selectors.acknowledgement_progress(summary=summary)


def _detail_context(request, review, *, answers_form=None, action_form=None, share_form=None):
    actor = request.user
    units = selectors.review_units(review=review)
    is_facilitator = actor.pk == review.facilitator_id
    summary = _completed_summary(review)
    may_act = review.is_open and any(selectors.may_add_action(actor, review, u) for u in units)
    may_share = summary is not None and selectors.may_share(actor)
    return {
        "review": review,
        "answers": [(label, getattr(review, field)) for field, label in QUESTIONS],
        # The answers are the facilitator's, while the review is open.
        "answers_form": _form_for(
            is_facilitator and review.is_open,
            answers_form,
            lambda: AnswersForm(
                initial={"edit_version": review.edit_version, **{f: getattr(review, f) for f, _l in QUESTIONS}}
            ),
        ),
        "action_form": _form_for(
            may_act, action_form, lambda: ActionForm(units=units, people=selectors.people_for(units=units))
        ),
        "share_form": _form_for(may_share, share_form, lambda: ShareForm(initial={"service_type": summary.service_type})),
        "is_facilitator": is_facilitator,
        "participants": selectors.review_participants(review=review),
        "deviations": selectors.review_deviations(actor=actor, review=review),
        "actions": selectors.review_actions(actor=actor, review=review),
        "summary": summary,
        "progress": _summary_progress(summary),
        "today": timezone.localdate(),
    }


@requires(AUTHENTICATED)
def review_detail(request, pk):
    # AUTHENTICATED: a participant without learning.view reads the review they
    # take part in; review_get applies the kernel (and logs the read).
    review = selectors.review_get(actor=request.user, pk=pk, request=request)
    return render(request, "learning/detail.html", _detail_context(request, review))


def _step_failed(request, review, **forms):
    return render(request, "learning/detail.html", _detail_context(request, review, **forms), status=400)


@requires(AUTHENTICATED)
@require_POST
def review_answers(request, pk):
    actor = request.user
    review = selectors.review_get(actor=actor, pk=pk, log=False)
    if actor.pk != review.facilitator_id:
        raise PermissionDenied("learning.facilitate")
    form = AnswersForm(request.POST)
    return posted_step(
        request, form,
        lambda data: services.review_answers_save(
            actor=actor, review=review, answers=data, expected_version=data.get("edit_version")
        ),
        success=_("The answers were saved."), back=reverse("learning:detail", args=[review.pk]), record=review,
        again=lambda: _step_failed(request, review, answers_form=form),
    )


@requires(AUTHENTICATED)
@require_POST
def review_action(request, pk):
    actor = request.user
    review = selectors.review_get(actor=actor, pk=pk, log=False)
    units = selectors.review_units(review=review)
    if not review.is_open or not any(selectors.may_add_action(actor, review, u) for u in units):
        raise PermissionDenied("action.manage")
    form = ActionForm(request.POST, units=units, people=selectors.people_for(units=units))
    return posted_step(
        request, form,
        lambda data: services.review_action_add(
            actor=actor, review=review, unit=data["unit"], title=data["title"], owner=data["owner"],
            due_date=data["due_date"],
        ),
        success=_("The action was added."), back=reverse("learning:detail", args=[review.pk]),
        again=lambda: _step_failed(request, review, action_form=form),
    )


@requires(AUTHENTICATED)
def review_complete(request, pk):
    actor = request.user
    review = selectors.review_get(actor=actor, pk=pk, log=False)
    if actor.pk != review.facilitator_id:
        raise PermissionDenied("learning.facilitate")
    if not review.is_open:
        messages.info(request, _("This review has been completed."))
        return redirect("learning:detail", pk=review.pk)
    status = 200
    if request.method == "POST":
        form = CompleteForm(request.POST)
        done, _result = form_step(form, lambda data: services.review_complete(actor=actor, review=review, summary=data["summary"]))
        if done:
            messages.success(request, _("The review was completed. The quality director can now share its summary."))
            return redirect("learning:detail", pk=review.pk)
        status = 400
    else:
        form = CompleteForm()
    answers = [(label, getattr(review, field)) for field, label in QUESTIONS]
    return render(request, "learning/complete.html", {"review": review, "form": form, "answers": answers}, status=status)


@requires(P_LEARNING_SHARE)
@require_POST
def summary_share(request, pk):
    actor = request.user
    review = selectors.review_get(actor=actor, pk=pk, log=False)
    summary = _completed_summary(review)
    if summary is None:
        messages.error(request, _("Complete the review before sharing its summary."))
        return redirect("learning:detail", pk=review.pk)
    if not selectors.may_share(actor):
        raise PermissionDenied(P_LEARNING_SHARE)
    form = ShareForm(request.POST)
    done, units = form_step(
        form, lambda data: services.summary_share(actor=actor, summary=summary, service_type=data["service_type"])
    )
    if not done:
        return _step_failed(request, review, share_form=form)
    messages.success(
        request,
        ngettext(
            "The summary was shared with %(count)s unit; the requests to acknowledge it are on their way "
            "to its staff.",
            "The summary was shared with %(count)s units; the requests to acknowledge it are on their way "
            "to their staff.",
            units,
        ) % {"count": units},
    )
    return redirect("learning:detail", pk=review.pk)


@requires(AUTHENTICATED)
def summary_detail(request, pk):
    actor = request.user
    summary = selectors.summary_get(actor=actor, pk=pk)
    return render(
        request,
        "learning/summary.html",
        {
            "summary": summary,
            "pending": selectors.own_pending_acknowledgement(actor=actor, summary=summary),
            "review_visible": selectors.reviews_visible(actor=actor).filter(pk=summary.review_id).exists(),
        },
    )


@requires(AUTHENTICATED)
@require_POST
def summary_acknowledge(request, pk):
    actor = request.user
    summary = selectors.summary_get(actor=actor, pk=pk)
    if services.summary_acknowledge(actor=actor, summary=summary):
        messages.success(request, _("Thank you. Your acknowledgement was recorded."))
    else:
        messages.info(request, _("You have nothing to acknowledge in this summary."))
    return redirect("learning:summary", pk=summary.pk)
