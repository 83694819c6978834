"""Pages of the register of restrictive measures: the units' overview, a unit's
register (paged), a measure's page, the phone-first record form (reached from
the child's page) and the debrief form.

Pages declare restriction.view or restriction.record; a unit, a child or a
measure is fetched through the kernel (404 outside the actor's units, 403 inside
them without the right). Every page that shows a child's measures writes an
access-log row."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from omavalvonta.core.accesslog import logs_read
from omavalvonta.core.forms import form_step
from omavalvonta.core.lib import bounds
from omavalvonta.core.pagination import IdPaginator
from omavalvonta.organisation import access
from omavalvonta.organisation.access import P_CLIENT_COUNT, P_RESTRICTION_RECORD, P_RESTRICTION_VIEW, requires
from omavalvonta.restrictions import law, selectors, services
from omavalvonta.restrictions.forms import DebriefForm, RestrictionForm

PAGE_SIZE = 20


@requires(P_CLIENT_COUNT)
def overview(request):
    """The units the actor may count, with their measures of the last year (no
    names); one unit whose register the actor reads: straight to it."""
    rows = selectors.unit_counts(actor=request.user)
    if len(rows) == 1 and rows[0]["can_view"]:
        return redirect("restrictions:unit", unit_id=rows[0]["unit"].pk)
    return render(request, "restrictions/overview.html", {"rows": rows, "small": selectors.SMALL_GROUP})


@logs_read("restriction.list")
@requires(P_RESTRICTION_VIEW)
def unit_register(request, unit_id):
    actor = request.user
    unit = access.access_unit(actor, unit_id, P_RESTRICTION_VIEW)
    rows = selectors.unit_restrictions(actor=actor, unit=unit)
    page = IdPaginator(rows, PAGE_SIZE, related=selectors.LIST_RELATED).get_page(request.GET.get("page"))
    return render(
        request,
        "restrictions/unit.html",
        {"unit": unit, "page": page, "many_units": access.units_for(actor, P_RESTRICTION_VIEW)[:2].count() > 1},
    )


@requires(P_RESTRICTION_VIEW)
def restriction_detail(request, pk):
    actor = request.user
    restriction = selectors.restriction_get(actor=actor, pk=pk, request=request)
    return render(
        request,
        "restrictions/detail.html",
        {
            "restriction": restriction,
            "rule": restriction.rule,
            "can_debrief": access.can(actor, P_RESTRICTION_RECORD, restriction.unit) and restriction.debrief_pending,
        },
    )


@requires(P_RESTRICTION_RECORD)
def restriction_new(request, placement_id):
    actor = request.user
    placement = selectors.placement_for_record(actor=actor, pk=placement_id, request=request)
    if request.method == "POST":
        form = RestrictionForm(request.POST)
        done, restriction = form_step(
            form, lambda _data: services.restriction_record(actor=actor, placement=placement, **form.service_kwargs())
        )
        if done:
            messages.success(request, _("The measure was recorded."))
            return redirect("restrictions:detail", pk=restriction.pk)
    else:
        # From a deviation report that says a restraint was used: the report's number filled in.
        linked = bounds.parse_int(request.GET.get("deviation", ""), minimum=1)
        initial = {"deviation_id": linked, "measure": "restraint"} if linked is not None else {}
        form = RestrictionForm(initial=initial)
    return render(
        request,
        "restrictions/form.html",
        {
            "form": form,
            "placement": placement,
            "measures": law.measures(),
            "none_allowed": not law.allowed_for(placement.placement_type),
        },
    )


@requires(P_RESTRICTION_RECORD)
def restriction_debrief(request, pk):
    actor = request.user
    restriction = selectors.restriction_get(actor=actor, pk=pk, perm=P_RESTRICTION_RECORD, request=request)
    if not restriction.debrief_pending:
        messages.info(request, _("The debrief has already been recorded."))
        return redirect("restrictions:detail", pk=restriction.pk)
    if request.method == "POST":
        form = DebriefForm(request.POST)
        done, _saved = form_step(
            form,
            lambda data: services.restriction_debrief(
                actor=actor, restriction=restriction, held_at=data["debrief_at"], notes=data.get("debrief_notes")
            ),
        )
        if done:
            messages.success(request, _("The debrief was recorded."))
            return redirect("restrictions:detail", pk=restriction.pk)
    else:
        form = DebriefForm()
    return render(request, "restrictions/debrief.html", {"form": form, "restriction": restriction})
