"""The retention pages of the data-protection officer (and the administrators):
the table of periods, legal holds, destruction runs with their preview and
approval, and the destruction records. Destruction itself is the worker's
(privacy.retention); the only step a page takes is the decision on a run."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from omavalvonta.core.forms import form_step
from omavalvonta.core.pagination import IdPaginator
from omavalvonta.core.service_calls import call_form_service, call_service
from omavalvonta.organisation.access import P_RETENTION_MANAGE, requires
from omavalvonta.privacy import retention, selectors, services
from omavalvonta.privacy.forms import LegalHoldForm, LegalHoldLiftForm, RetentionRuleForm
from omavalvonta.privacy.models import ItemState, RunState

PAGE_SIZE = 50


def _type_choices():
    return [(entry.name, entry.label) for entry in retention.record_types()]


def _table_page(request, *, form=None, form_type="", status=200):
    rows = retention.table()
    for row in rows:
        row["form"] = form if row["record_type"] == form_type else RetentionRuleForm(
            initial={"months": row["months"]}, auto_id=f"id_{row['record_type']}_%s"
        )
    runs = selectors.destruction_runs(actor=request.user).filter(state=RunState.PROPOSED)[:3]
    return render(request, "privacy/retention.html", {"rows": rows, "proposed": list(runs)}, status=status)


@requires(P_RETENTION_MANAGE)
def retention_table(request):
    """The retention period of each record type: the default with its source,
    the DPO's change with its basis, and a form to change it."""
    selectors.require_retention(request.user)
    return _table_page(request)


@requires(P_RETENTION_MANAGE)
@require_POST
def retention_rule(request, record_type):
    selectors.require_retention(request.user)
    if record_type not in dict(_type_choices()):
        raise Http404
    form = RetentionRuleForm(request.POST, auto_id=f"id_{record_type}_%s")
    done, _rule = form_step(form, lambda data: services.retention_rule_set(
        actor=request.user, record_type=record_type, months=data["months"], basis=data["basis"]))
    if done:
        messages.success(request, _("The retention period was saved."))
        return redirect("privacy:retention")
    return _table_page(request, form=form, form_type=record_type, status=400)


def _holds_page(request, *, form=None, status=200):
    show = "all" if request.GET.get("nayta") == "kaikki" else "active"
    holds = selectors.legal_holds(actor=request.user, show=show)
    page = IdPaginator(holds, PAGE_SIZE, related=selectors.HOLD_RELATED).get_page(request.GET.get("page"))
    labels = dict(_type_choices())
    rows = list(page.object_list)
    for hold in rows:
        hold.type_label = labels.get(hold.record_type, hold.record_type)
    return render(request, "privacy/holds.html", {
        "page": page, "rows": rows, "show": show,
        "form": form or LegalHoldForm(record_types=_type_choices()), "lift_form": LegalHoldLiftForm(),
    }, status=status)


@requires(P_RETENTION_MANAGE)
def holds(request):
    """Legal holds: set one (a record or a whole case), lift one with the reason."""
    selectors.require_retention(request.user)
    if request.method == "POST":
        form = LegalHoldForm(request.POST, record_types=_type_choices())
        done, _hold = form_step(form, lambda data: services.legal_hold_set(
            actor=request.user, record_type=data["record_type"], record_id=data["record_id"], reason=data["reason"]))
        if done:
            messages.success(request, _("The legal hold was set: the record is not destroyed while it lasts."))
            return redirect("privacy:holds")
        return _holds_page(request, form=form, status=400)
    return _holds_page(request)


@requires(P_RETENTION_MANAGE)
@require_POST
def hold_lift(request, pk):
    hold = selectors.legal_hold_get(actor=request.user, pk=pk)
    form = LegalHoldLiftForm(request.POST)
    call_form_service(
        request, form, lambda data: services.legal_hold_lift(actor=request.user, hold=hold, reason=data["lift_reason"]),
        success=_("The legal hold was lifted."),
    )
    return redirect("privacy:holds")


@requires(P_RETENTION_MANAGE)
def runs(request):
    """The monthly destruction runs, newest first."""
    rows = selectors.destruction_runs(actor=request.user)
    page = IdPaginator(rows, PAGE_SIZE, related=("decided_by",)).get_page(request.GET.get("page"))
    runs = list(page.object_list)
    counts = selectors.destruction_run_counts([run.pk for run in runs])
    for run in runs:
        run.item_count = counts.get(run.pk, 0)
    return render(request, "privacy/runs.html", {"page": page, "rows": runs})


@requires(P_RETENTION_MANAGE)
def run_detail(request, pk):
    """A run's preview: what it destroys, by record type, and each record's
    type, identifier and dates (never the content); approve or cancel it."""
    run = selectors.destruction_run_get(actor=request.user, pk=pk)
    items = run.items.all().order_by("record_type", "dated", "record_id")
    page = IdPaginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(_type_choices())
    summary = selectors.destruction_run_summary(run)
    states = dict(ItemState.choices)
    for row in summary:
        row["label"] = labels.get(row["record_type"], row["record_type"])
        row["state_label"] = states.get(row["state"], row["state"])
    rows = list(page.object_list)
    for item in rows:
        item.type_label = labels.get(item.record_type, item.record_type)
    return render(request, "privacy/run_detail.html", {
        "run": run, "page": page, "rows": rows, "summary": summary, "RunState": RunState,
    })


def _decide(request, pk, perform, done_message):
    run = selectors.destruction_run_get(actor=request.user, pk=pk)
    call_service(request, lambda: perform(actor=request.user, run=run), success=done_message)
    return redirect("privacy:run", pk=pk)


@requires(P_RETENTION_MANAGE)
@require_POST
def run_approve(request, pk):
    return _decide(request, pk, services.destruction_run_approve, _(
        "Approved. The worker destroys the records on its next round and writes a destruction record for each."))


@requires(P_RETENTION_MANAGE)
@require_POST
def run_cancel(request, pk):
    return _decide(request, pk, services.destruction_run_cancel, _("The run was cancelled: nothing is destroyed."))


@requires(P_RETENTION_MANAGE)
def records(request):
    """What has been destroyed: type, identifier, dates, approver, run."""
    choices = _type_choices()
    record_type = request.GET.get("tyyppi", "")
    if record_type not in dict(choices):
        record_type = ""
    rows = selectors.destruction_records(actor=request.user, record_type=record_type)
    page = IdPaginator(rows, PAGE_SIZE, related=("approved_by", "run")).get_page(request.GET.get("page"))
    labels = dict(choices)
    items = list(page.object_list)
    for record in items:
        record.type_label = labels.get(record.record_type, record.record_type)
    return render(request, "privacy/destruction_records.html", {
        "page": page, "rows": items, "choices": choices, "record_type": record_type,
    })
