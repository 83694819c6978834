"""The three handling questions (a step on the report page) and the proposals to
change an instruction: their list and the decision page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from omavalvonta.core.forms import picked, posted_step
from omavalvonta.deviations import proposals, services
from omavalvonta.deviations.handling_forms import ProposalDecisionForm
from omavalvonta.deviations.views.detail import _handle
from omavalvonta.organisation.access import AUTHENTICATED, P_INSTRUCTION_DECIDE, requires

_DECISION_FIELDS = (
    "instruction_followed", "must_change", "outside_needed", "outside_party", "instruction", "proposal", "responsible"
)


@requires(AUTHENTICATED)
@require_POST
def deviation_decide(request, pk):
    return _handle(
        request, pk, "decisions",
        lambda deviation, data: services.deviation_decide_handling(
            actor=request.user, deviation=deviation, **picked(data, *_DECISION_FIELDS), expected_version=data["edit_version"]
        ),
        _("The answers were saved."), anchor="decisions-title", failed_status=400,
    )


@requires(P_INSTRUCTION_DECIDE)
def proposal_list(request):
    show = proposals.DECIDED if request.GET.get("nayta") == proposals.DECIDED else proposals.OPEN
    rows, total = proposals.proposal_list(actor=request.user, show=show)
    return render(
        request,
        "deviations/proposals.html",
        {"rows": rows, "total": total, "show": show, "OPEN": proposals.OPEN, "DECIDED": proposals.DECIDED},
    )


@requires(AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def proposal_detail(request, pk):
    proposal = proposals.proposal_get(actor=request.user, pk=pk)
    form = ProposalDecisionForm(request.POST or None) if proposal.is_open else None

    def page(status=200):
        return render(
            request,
            "deviations/proposal.html",
            {"proposal": proposal, "form": form, "due_on": proposals.due_on(proposal)},
            status=status,
        )

    if request.method != "POST":
        return page()
    if form is None:
        messages.error(request, _("This proposal has already been decided."))
        return redirect("deviations:proposal", pk=proposal.pk)
    return posted_step(
        request,
        form,
        lambda data: services.instruction_proposal_decide(
            actor=request.user, proposal=proposal, **picked(data, "accepted", "note", "decided_on")
        ),
        success=_("The decision was saved and the proposer told."),
        back=reverse("deviations:proposal", args=[proposal.pk]),
        record=proposal,
        again=lambda: page(status=400),
    )
