"""Pages of the register of restrictive measures: the units' overview, a unit's
register (paged), a measure's page, the phone-first record form (reached from
the child's page) and the debrief form.

Pages declare restriction.view or restriction.record; a unit, a child or a
measure is fetched through the kernel (404 outside the actor's units, 403 inside
them without the right). Every page that shows a child's measures writes an
access-log row."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from omavalvonta.core.accesslog import logs_read
from omavalvonta.core.forms import form_step
from omavalvonta.core.lib import bounds
from omavalvonta.core.pagination import IdPaginator
from omavalvonta.core.pdf import PdfUnavailable
from omavalvonta.organisation import access
from omavalvonta.organisation.access import (
    P_CLIENT_COUNT,
    P_RESTRICTION_DECIDE,
    P_RESTRICTION_RECORD,
    P_RESTRICTION_VIEW,
    requires,
)
from omavalvonta.organisation.overview import pick_region
from omavalvonta.restrictions import documents, law, monthly, overview_rows, register_rows, rules, selectors, services
from omavalvonta.restrictions.forms import (
    DebriefForm,
    DocumentForm,
    FlagForm,
    GoalForm,
    HandoverForm,
    RestrictionForm,
)

PAGE_SIZE = 20


@requires(P_CLIENT_COUNT)
def overview(request):
    """The units the actor may count, with their measures of the last year (no
    names): over many units the regions first, with their months; one unit
    whose register the actor reads: straight to it."""
    actor = request.user
    regions = monthly.regions(actor=actor)
    region, regions_first = pick_region(regions, request.GET.get("alue"))
    context = {"small": selectors.SMALL_GROUP, "region": region}
    if regions_first:
        figures = monthly.region_figures(actor=actor, regions=regions)
        cards = overview_rows.region_cards(regions, url=reverse("restrictions:overview"), small=selectors.SMALL_GROUP)
        return render(
            request,
            "restrictions/overview.html",
            {
                **context,
                "regions": regions,
                "region_cards": cards,
                "figures": figures["rows"],
                "month_rows": overview_rows.month_rows(figures["rows"]),
                "months": figures["months"],
            },
        )
    rows = selectors.unit_counts(actor=actor, region_id=region["region"].pk if region else None)
    if region is None and len(rows) == 1 and rows[0]["can_view"]:
        return redirect("restrictions:unit", unit_id=rows[0]["unit"].pk)
    cards = overview_rows.unit_cards(rows, small=selectors.SMALL_GROUP)
    return render(request, "restrictions/overview.html", {**context, "rows": rows, "unit_cards": cards})


@logs_read("restriction.list")
@requires(P_RESTRICTION_VIEW)
def unit_register(request, unit_id):
    actor = request.user
    unit = access.access_unit(actor, unit_id, P_RESTRICTION_VIEW)
    rows = selectors.unit_restrictions(actor=actor, unit=unit)
    page = IdPaginator(rows, PAGE_SIZE, related=register_rows.PAGE_RELATED, only=register_rows.PAGE_FIELDS).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "restrictions/unit.html",
        {
            "unit": unit,
            "page": page,
            "cards": register_rows.cards_html(page.object_list, signed=selectors.signed_ids(page.object_list)),
            "many_units": access.units_for(actor, P_RESTRICTION_VIEW)[:2].count() > 1,
        },
    )


@requires(P_RESTRICTION_VIEW)
def restriction_detail(request, pk):
    actor = request.user
    restriction = selectors.restriction_get(actor=actor, pk=pk, request=request)
    rule = restriction.rule
    kind = law.document_kind(rule, restriction.record_kind) if rule else None
    sign_perm = P_RESTRICTION_DECIDE if kind == law.DECISION else P_RESTRICTION_RECORD
    return render(
        request,
        "restrictions/detail.html",
        {
            "restriction": restriction,
            "rule": rule,
            "can_debrief": access.can(actor, P_RESTRICTION_RECORD, restriction.unit) and restriction.debrief_pending,
            "document_kind": kind,
            "documents": selectors.documents_of(restriction=restriction),
            "can_sign": kind is not None and access.can(actor, sign_perm, restriction.unit),
            "can_hand_over": access.can(actor, P_RESTRICTION_RECORD, restriction.unit),
            "deliveries": selectors.deliveries_of(restriction=restriction),
            "serve_to": law.serve_to(restriction.placement.birth_year),
            "can_report": restriction.deviation_id is None and access.can(actor, access.P_DEVIATION_REPORT, restriction.unit),
        },
    )


@requires(P_RESTRICTION_RECORD)
def document_sign(request, pk):
    """Sign the decision or the account; signing again is a correction with its reason."""
    actor = request.user
    restriction = selectors.restriction_get(actor=actor, pk=pk, perm=P_RESTRICTION_RECORD, request=request)
    rule = restriction.rule
    kind = law.document_kind(rule, restriction.record_kind) if rule else None
    if kind is None:
        messages.info(request, _("This measure was decided outside the unit: its decision is not written here."))
        return redirect("restrictions:detail", pk=restriction.pk)
    latest = restriction.documents.order_by("-version").first()
    if request.method == "POST":
        form = DocumentForm(request.POST)
        done, document = form_step(
            form,
            lambda data: services.document_sign(
                actor=actor, restriction=restriction, reasoning=data.get("reasoning"),
                correction_reason=data.get("correction_reason"),
            ),
        )
        if done:
            messages.success(request, _("The document was signed."))
            return redirect("restrictions:detail", pk=restriction.pk)
    else:
        form = DocumentForm(initial={"reasoning": latest.reasoning} if latest else {})
    return render(
        request,
        "restrictions/document_form.html",
        {"form": form, "restriction": restriction, "decision": kind == law.DECISION, "latest": latest},
    )


@requires(P_RESTRICTION_VIEW)
def document_pdf(request, pk, version, language):
    if language not in documents.LANGUAGES:
        raise Http404
    document = selectors.document_get(actor=request.user, restriction_pk=pk, version=version, request=request)
    try:
        pdf = documents.document_pdf(document, language)
    except PdfUnavailable:
        messages.error(request, _("The PDF cannot be made on this server right now."))
        return redirect("restrictions:detail", pk=pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rajoitus-{pk}-v{version}-{language}.pdf"'
    return response


@requires(P_RESTRICTION_RECORD)
def document_handover(request, pk, version):
    actor = request.user
    document = selectors.document_get(actor=actor, restriction_pk=pk, version=version, request=request)
    if request.method == "POST":
        form = HandoverForm(request.POST)
        done, _saved = form_step(
            form,
            lambda data: services.handover_record(
                actor=actor, document=document, to=data["to"], given_on=data["given_on"], how=data.get("how")
            ),
        )
        if done:
            messages.success(request, _("The handover was recorded."))
            return redirect("restrictions:detail", pk=pk)
    else:
        form = HandoverForm()
    return render(request, "restrictions/handover.html", {"form": form, "document": document})


@requires(P_RESTRICTION_DECIDE)
def flag_handle(request, pk):
    actor = request.user
    flag = selectors.flag_get(actor=actor, pk=pk)
    if flag.handled_at is not None:
        messages.info(request, _("This flag has already been handled."))
        return redirect("clients:detail", pk=flag.placement_id)
    if request.method == "POST":
        form = FlagForm(request.POST)
        done, _saved = form_step(
            form, lambda data: services.flag_handle(actor=actor, flag=flag, handling=data.get("handling"))
        )
        if done:
            messages.success(request, _("The handling was recorded."))
            return redirect("clients:detail", pk=flag.placement_id)
    else:
        form = FlagForm()
    met = rules.rule(flag.rule)
    return render(request, "restrictions/flag.html", {"form": form, "flag": flag, "rule": met.explain() if met else ""})


@logs_read("restriction.figures")
@requires(P_RESTRICTION_VIEW)
def unit_figures(request, unit_id):
    actor = request.user
    unit = access.access_unit(actor, unit_id, P_RESTRICTION_VIEW)
    can_goal = access.can(actor, P_RESTRICTION_DECIDE, unit)
    form = GoalForm(request.POST or None) if can_goal else None
    if request.method == "POST" and form is not None:
        done, _saved = form_step(
            form,
            lambda data: services.goal_set(
                actor=actor, unit=unit, per_month=data["per_month"], starts_on=data["starts_on"], note=data.get("note")
            ),
        )
        if done:
            messages.success(request, _("The goal was saved."))
            return redirect("restrictions:figures", unit_id=unit.pk)
    figures = selectors.unit_figures(actor=actor, unit=unit)
    return render(request, "restrictions/figures.html", {"figures": figures, "unit": unit, "form": form})


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
