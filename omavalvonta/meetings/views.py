"""Meeting pages: the list, planning a meeting, the meeting page with its agenda
and minutes editor (read-only once closed), and the staff's page of minutes to
acknowledge.

Pages about one meeting declare meeting.view (every member of staff has it);
the selector then answers 404 outside the actor's units and 403 inside them
without meeting.manage, so a refusal never confirms that another unit's meeting
exists. Every write goes through `services`."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _, gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from omavalvonta.core.accesslog import logs_read
from omavalvonta.core.forms import add_service_errors, form_step, picked
from omavalvonta.core.lists import filtered_list
from omavalvonta.core.offline import queue_answer, wants_json
from omavalvonta.meetings import selectors, services
from omavalvonta.meetings.detail_page import render_detail
from omavalvonta.meetings.forms import (
    ActionForm,
    AttendanceForm,
    CloseForm,
    DecisionForm,
    FilterForm,
    ItemForm,
    LogEntryForm,
    MeetingForm,
)
from omavalvonta.meetings.models import GROUP_KINDS, Meeting, MeetingKind
from omavalvonta.organisation import access
from omavalvonta.organisation.access import (
    AUTHENTICATED,
    P_ACTION_MANAGE,
    P_LOG_WRITE,
    P_MEETING_MANAGE,
    P_MEETING_VIEW,
    P_SAFETY_COMMITTEE_VIEW,
    requires,
)
from omavalvonta.organisation.unit_choice import region_choice_initial

PAGE_SIZE = 20


# --- The list and planning --------------------------------------------------------------------


@requires(P_MEETING_VIEW, P_SAFETY_COMMITTEE_VIEW)
def meeting_list(request):
    actor = request.user
    return filtered_list(
        request,
        "meetings/list.html",
        FilterForm(request.GET or None, units=selectors.units_for_meetings(actor=actor)),
        lambda filters: selectors.meeting_list(actor=actor, filters=filters),
        per_page=PAGE_SIZE,
        can_create=access.has_perm_anywhere(actor, P_MEETING_MANAGE),
        childrens_units=selectors.own_units_with_childrens_meetings(actor=actor),
        now=timezone.now(),
    )


@requires(P_MEETING_MANAGE)
def meeting_create(request):
    actor = request.user
    units = selectors.units_for_meetings(actor=actor, perm=P_MEETING_MANAGE)
    group_kinds = selectors.group_kinds_creatable(actor)
    own_unit_ids = access.own_unit_ids(actor, P_MEETING_MANAGE)
    initial_unit = units.filter(pk__in=own_unit_ids).first() if own_unit_ids else None
    if initial_unit is None and units.count() == 1:
        initial_unit = units.first()
    if request.method == "POST":
        form = MeetingForm(request.POST, units=units, group_kinds=group_kinds)
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.meeting_create(
                    actor=actor,
                    kind=data["kind"],
                    unit=data.get("unit") if data["kind"] not in GROUP_KINDS else None,
                    title=data.get("title", ""),
                    starts_at=data["starts_at"],
                    location=data.get("location", ""),
                    is_online=data.get("is_online", False),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                count = meeting.items.count()
                messages.success(
                    request,
                    ngettext(
                        "The meeting was planned. %(count)d item waiting in the unit is on the agenda.",
                        "The meeting was planned. %(count)d items waiting in the unit are on the agenda.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("meetings:detail", pk=meeting.pk)
    else:
        defaults = {
            "kind": MeetingKind.TEAM,
            "unit": initial_unit,
            "starts_at": timezone.localtime().replace(minute=0, second=0, microsecond=0),
        }
        initial, region_id = region_choice_initial(request.GET, defaults)
        if region_id is None and initial_unit is not None:
            region_id = initial_unit.region_id
        form = MeetingForm(units=units, group_kinds=group_kinds, region_id=region_id, initial=initial)
    return render(request, "meetings/form.html", {"form": form})


# --- The meeting page -------------------------------------------------------------------------


@logs_read("meeting.minutes", model=Meeting)
@requires(P_MEETING_VIEW, P_SAFETY_COMMITTEE_VIEW)
def meeting_detail(request, pk):
    meeting = selectors.meeting_get(actor=request.user, pk=pk, perm=P_MEETING_VIEW)
    return render_detail(request, meeting)


def _item(meeting, item_id):
    try:
        return meeting.items.get(pk=item_id)
    except (ValueError, TypeError, meeting.items.model.DoesNotExist):
        raise Http404 from None


def _step(request, pk, item_id, *, name, form, perform, success):
    """One write on the meeting page: parse the form (if any), call the service,
    redirect back to the item; on an error show the page with the errors."""
    meeting = selectors.meeting_get(actor=request.user, pk=pk, perm=P_MEETING_MANAGE)
    item = _item(meeting, item_id) if item_id is not None else None
    bound = form(request, meeting, item) if form else None
    if bound is None:
        # A step without a form (refresh, remove): a refusal is told on the page.
        try:
            done, result = True, perform(request, meeting, item, {})
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(reverse("meetings:detail", args=[meeting.pk]))
    else:
        done, result = form_step(bound, lambda data: perform(request, meeting, item, data))
    if done:
        text = success(result) if callable(success) else success
        if text:
            messages.success(request, text)
        anchor = f"#item-{item.pk}" if item is not None and name != "remove" else ""
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + anchor)
    meeting.refresh_from_db()
    return render_detail(request, meeting, bound=(name, item_id, bound))


def meeting_step(name, *, form=None, success):
    """Declare one write on the meeting page, posted (meeting.view declared; the
    selector asks for meeting.manage): the decorated function is given the
    request, the meeting, the agenda item (None for a step on the whole meeting)
    and the form's cleaned data ({} without a form), calls the service and
    returns what it returned. `form(request, meeting, item)` builds the step's
    bound form; `success` is the message, or a callable given the result."""

    def decorate(perform):
        @requires(P_MEETING_VIEW)
        @require_POST
        @wraps(perform)
        def view(request, pk, item_id=None):
            return _step(request, pk, item_id, name=name, form=form, perform=perform, success=success)

        return view

    return decorate


# What a step that counts says when it went through.


def _refreshed(count):
    if not count:
        return _("Nothing new is waiting.")
    return ngettext("%(count)d waiting item was added.", "%(count)d waiting items were added.", count) % {"count": count}


def _closed(asked):
    if not asked:
        return _("The minutes were closed.")
    return ngettext(
        "The minutes were closed. %(count)d person was asked to acknowledge them.",
        "The minutes were closed. %(count)d people were asked to acknowledge them.",
        asked,
    ) % {"count": asked}


def _reminded(count):
    if not count:
        return _("Everyone has acknowledged the minutes.")
    return ngettext("%(count)d person was reminded.", "%(count)d people were reminded.", count) % {"count": count}


@meeting_step(
    "item",
    form=lambda request, meeting, item: ItemForm(request.POST, prefix="item"),
    success=gettext_lazy("The item was added to the agenda."),
)
def item_add(request, meeting, item, data):
    return services.agenda_item_add(actor=request.user, meeting=meeting, title=data["title"])


@meeting_step("refresh", success=_refreshed)
def agenda_refresh(request, meeting, item, data):
    return services.agenda_refresh(actor=request.user, meeting=meeting)


@meeting_step("move", success="")
def item_move(request, meeting, item, data):
    return services.agenda_item_move(actor=request.user, item=item, direction=request.POST.get("direction", ""))


@meeting_step("remove", success=gettext_lazy("The item was removed from the agenda."))
def item_remove(request, meeting, item, data):
    return services.agenda_item_remove(actor=request.user, item=item)


@meeting_step(
    "decision",
    form=lambda request, meeting, item: DecisionForm(request.POST, prefix=f"d{item.pk}"),
    success=gettext_lazy("The decision was saved."),
)
def item_decide(request, meeting, item, data):
    return services.agenda_item_decide(actor=request.user, item=item, decision=data["decision"], expected_version=data["edit_version"])


def _action_form(request, meeting, item):
    units = selectors.decision_units(actor=request.user, meeting=meeting, perm=P_ACTION_MANAGE)
    people = selectors.meeting_people(meeting=meeting) if units is None else selectors.decision_owner_candidates(units=units)
    return ActionForm(request.POST, prefix=f"a{item.pk}", people=people, units=units)


@meeting_step("action", form=_action_form, success=gettext_lazy("The action was created and its owner notified."))
def item_action(request, meeting, item, data):
    fields = picked(data, "title", "owner", "due_date", "kind")
    return services.agenda_item_action_create(actor=request.user, item=item, **fields, unit=data.get("unit"))


def _log_form(request, meeting, item):
    units = selectors.decision_units(actor=request.user, meeting=meeting, perm=P_LOG_WRITE)
    return LogEntryForm(request.POST, prefix=f"l{item.pk}", units=units)


@meeting_step("log", form=_log_form, success=gettext_lazy("The entry was written to the self-supervision log."))
def item_log(request, meeting, item, data):
    return services.agenda_item_log_entry_create(actor=request.user, item=item, **data)


def _attendance_form(request, meeting, item):
    return AttendanceForm(request.POST, prefix="attendance", people=selectors.meeting_people(meeting=meeting))


@meeting_step("attendance", form=_attendance_form, success=gettext_lazy("The attendance was saved."))
def attendance(request, meeting, item, data):
    people = picked(data, "participants", "absentees", "guests")
    return services.meeting_attendance_set(actor=request.user, meeting=meeting, **people)


@meeting_step("close", form=lambda request, meeting, item: CloseForm(request.POST, prefix="close"), success=_closed)
def meeting_close(request, meeting, item, data):
    return services.meeting_close(actor=request.user, meeting=meeting, contains_new_instructions=data["contains_new_instructions"])


@meeting_step("remind", success=_reminded)
def remind(request, meeting, item, data):
    return services.meeting_acknowledgements_remind(actor=request.user, meeting=meeting)


# --- Acknowledging --------------------------------------------------------------------------


@requires(AUTHENTICATED)
def acknowledge(request):
    pending = selectors.acknowledgements_to_confirm(actor=request.user)
    return render(request, "meetings/acknowledge.html", {"pending": pending})


@requires(AUTHENTICATED)
@require_POST
def acknowledge_confirm(request, ack_id):
    # Only the person's own row (404 for anyone else's): the object rule is the user.
    acknowledgement = selectors.own_pending_acknowledgement(actor=request.user, pk=ack_id)
    # Confirming twice changes nothing: the offline queue may send it again.
    already = acknowledgement.acknowledged_at is not None
    services.acknowledgement_confirm(actor=request.user, acknowledgement=acknowledgement)
    if wants_json(request):
        return queue_answer(created=not already, message=_("Thank you. Your acknowledgement was recorded."))
    messages.success(request, _("Thank you. Your acknowledgement was recorded."))
    next_url = request.POST.get("next", "")
    # A path of this site only ("/..."): redirect() would take any other word
    # for the name of a view.
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("meetings:acknowledge")
