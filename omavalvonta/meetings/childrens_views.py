"""The children's meetings pages of a unit (meetings.childrens): the list, recording
one and correcting one (EditVersioned: a stale form never overwrites unseen).
Reads and writes through `childrens`, which asks the access kernel."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.forms import add_service_errors
from omavalvonta.meetings import childrens
from omavalvonta.meetings.forms import ChildrensMeetingForm
from omavalvonta.organisation import access
from omavalvonta.organisation.access import P_CHILDRENS_MEETING_RECORD, P_MEETING_VIEW, requires

PAGE_SIZE = 20


@requires(P_MEETING_VIEW)
def childrens_list(request, unit_id):
    """The unit's children's meetings, newest first, and the way to record one."""
    actor = request.user
    unit = access.access_unit(actor, unit_id, P_MEETING_VIEW)
    page = Paginator(childrens.childrens_meeting_list(actor=actor, unit=unit), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "meetings/childrens_list.html",
        {"unit": unit, "page": page, "can_record": access.can(actor, P_CHILDRENS_MEETING_RECORD, unit)},
    )


def _childrens_form_page(request, *, unit, form, record=None, status=200):
    return render(
        request, "meetings/childrens_form.html", {"unit": unit, "form": form, "record": record}, status=status
    )


@requires(P_CHILDRENS_MEETING_RECORD)
def childrens_add(request, unit_id):
    actor = request.user
    unit = access.access_unit(actor, unit_id, P_CHILDRENS_MEETING_RECORD)
    if request.method != "POST":
        form = ChildrensMeetingForm(initial={"held_on": timezone.localdate(), "kind": "weekly", "edit_version": 0})
        return _childrens_form_page(request, unit=unit, form=form)
    form = ChildrensMeetingForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("edit_version", None)
        try:
            childrens.childrens_meeting_create(actor=actor, unit=unit, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The children's meeting was recorded."))
            return redirect("meetings:childrens", unit_id=unit.pk)
    return _childrens_form_page(request, unit=unit, form=form, status=400)


@requires(P_CHILDRENS_MEETING_RECORD)
def childrens_edit(request, pk):
    actor = request.user
    record = childrens.childrens_meeting_get(actor=actor, pk=pk, perm=P_CHILDRENS_MEETING_RECORD)
    if request.method != "POST":
        form = ChildrensMeetingForm(
            initial={
                "held_on": record.held_on, "kind": record.kind, "topics": record.topics,
                "children_raised": record.children_raised, "decisions": record.decisions,
                "edit_version": record.edit_version,
            }
        )
        return _childrens_form_page(request, unit=record.unit, form=form, record=record)
    form = ChildrensMeetingForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("edit_version", None)
        try:
            childrens.childrens_meeting_update(actor=actor, record=record, expected_version=expected, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The children's meeting was saved."))
            return redirect("meetings:childrens", unit_id=record.unit_id)
    return _childrens_form_page(request, unit=record.unit, form=form, record=record, status=400)
