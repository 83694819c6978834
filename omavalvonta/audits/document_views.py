"""The compliance register's pages: tracked documents with their versions, and
the purchased-service partners. Reading needs document.view (the unit's
leaders and the directors; organisation-level records organisation-wide),
keeping document.manage there. One record through the kernel: 404 outside the
actor's units, 403 inside without the right. Owner names are staff in their
work roles (like the continuity plan's owners): no access-log row."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.audits import document_selectors as selectors, document_services as services
from omavalvonta.audits.document_forms import (
    ORGANISATION,
    DocumentCreateForm,
    DocumentEditForm,
    DocumentFilterForm,
    EvidenceForm,
    PartnerForm,
    VersionForm,
)
from omavalvonta.audits.document_kinds import PARTNER_EVIDENCE_MONTHS, DateMeaning, rule_of
from omavalvonta.core.attachments import ATTACHMENT_EXTENSIONS, attachment_extension, attachment_response
from omavalvonta.core.forms import picked, posted_step
from omavalvonta.core.lib.dates import add_months
from omavalvonta.core.lib.edit_version import with_expected_version
from omavalvonta.organisation import access
from omavalvonta.organisation.access import P_DOCUMENT_MANAGE, P_DOCUMENT_VIEW, requires

LIST_LIMIT = 100


def _status(request, form) -> int:
    return 400 if request.method == "POST" and form is not None and form.errors else 200


def _page(request, form, template, context, perform, *, success, back):
    """`template` with `form` (bound when posted) and what `context()` adds:
    shown; posted, through `posted_step` (`perform` given the cleaned data), and
    shown again with the errors (400) when refused."""

    def page():
        return render(request, template, {"form": form, **context()}, status=_status(request, form))

    if request.method != "POST":
        return page()
    return posted_step(request, form, perform, success=success, back=back, again=page)


def _recording_page(request, *, can_manage, blank, bound, **page):
    """A tracked record's page with the form that records something new of it
    (a version, evidence received), for one who `can_manage`: `blank()` shown
    to them only; posted (403 for anyone else), `bound()` through `_page`."""
    if request.method != "POST":
        form = blank() if can_manage else None
    elif can_manage:
        form = bound()
    else:
        raise PermissionDenied(P_DOCUMENT_MANAGE)
    return _page(request, form, **page)


@requires(P_DOCUMENT_VIEW)
def register(request):
    """The organisation's compliance register: filters by kind, unit and date."""
    actor, today = request.user, timezone.localdate()
    units = list(selectors.units_for(actor=actor))
    organisation = access.has_perm_organisation_wide(actor, P_DOCUMENT_VIEW)
    form = DocumentFilterForm(request.GET or None, units=units, organisation=organisation)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    unit_value = filters.get("unit", "")
    docs = selectors.documents(
        actor=actor, today=today, kind=filters.get("kind", ""), state=filters.get("state", ""),
        organisation_only=unit_value == ORGANISATION,
        unit_id=int(unit_value) if unit_value and unit_value != ORGANISATION else None,
    )
    rows = selectors.annotate_rows(list(docs[: LIST_LIMIT + 1]), today=today)
    return render(request, "audits/documents/register.html", {
        "form": form, "rows": rows[:LIST_LIMIT], "more": len(rows) > LIST_LIMIT,
        "can_add": access.has_perm_anywhere(actor, P_DOCUMENT_MANAGE),
        "kinds": selectors.kind_rules(), "today": today,
    }, status=400 if form.is_bound and form.errors else 200)


@requires(P_DOCUMENT_VIEW)
def unit_documents(request, unit_id):
    actor, today = request.user, timezone.localdate()
    unit = access.access_unit(actor, unit_id, P_DOCUMENT_VIEW)
    rows = selectors.annotate_rows(list(selectors.documents(actor=actor, today=today, unit_id=unit.pk)), today=today)
    return render(request, "audits/documents/unit.html", {
        "unit": unit, "rows": rows, "can_add": access.can(actor, P_DOCUMENT_MANAGE, unit),
    })


def _scope(request, actor):
    """The unit (or the organisation: None) a new document is for, or False when still to choose."""
    units = list(selectors.manageable_units(actor=actor))
    organisation = selectors.may_manage_organisation(actor)
    value = request.POST.get("scope") or request.GET.get("scope") or ""
    if value == ORGANISATION and organisation:
        return None, units, organisation
    chosen = next((u for u in units if str(u.pk) == value), None)
    if chosen is None and len(units) == 1 and not organisation:
        chosen = units[0]
    return (chosen if chosen is not None else False), units, organisation


@requires(P_DOCUMENT_MANAGE)
def document_create(request):
    actor = request.user
    scope, units, organisation = _scope(request, actor)
    if scope is False:
        return render(request, "audits/documents/choose.html", {"units": units, "organisation": organisation})
    people = selectors.owner_choices(unit=scope)
    form = DocumentCreateForm(request.POST or None, people=people)
    fields = ("kind", "owner", "due_on", "title", "number")
    return _page(
        request, form, "audits/documents/form.html",
        lambda: {"scope": scope, "scope_value": ORGANISATION if scope is None else scope.pk, "kinds": selectors.kind_rules()},
        lambda data: services.document_create(actor=actor, unit=scope, **picked(data, *fields)),
        success=_("The document was added. Record its current version below."),
        back=lambda document: reverse("audits:document", args=[document.pk]),
    )


def _version_initial(document, today):
    return {"dated_on": today, "next_due": services.default_next_due(document.kind, today)}


@requires(P_DOCUMENT_VIEW)
def document_detail(request, pk):
    actor, today = request.user, timezone.localdate()
    document = selectors.document_get(actor=actor, pk=pk)
    can_manage = selectors.may_manage(actor, document)
    rule = rule_of(document.kind)
    return _recording_page(
        request, can_manage=can_manage,
        blank=lambda: VersionForm(initial=_version_initial(document, today), needs_approval=rule.needs_approval),
        bound=lambda: VersionForm(request.POST, request.FILES, needs_approval=rule.needs_approval),
        template="audits/documents/detail.html",
        context=lambda: {
            "doc": document, "rule": rule, "versions": selectors.document_versions(document=document),
            "state": selectors.state_of(kind=document.kind, due_on=document.due_on, today=today),
            "date_label": DateMeaning(rule.date_meaning).label, "can_manage": can_manage,
        },
        perform=lambda data: services.version_record(actor=actor, document=document, **data),
        success=_("The new version was recorded and the next date moved."),
        back=reverse("audits:document", args=[document.pk]),
    )


@requires(P_DOCUMENT_MANAGE)
def document_edit(request, pk):
    actor = request.user
    document = selectors.document_get(actor=actor, pk=pk, perm=P_DOCUMENT_MANAGE)
    people = selectors.owner_choices(unit=document.unit)
    if request.method == "POST":
        form = DocumentEditForm(request.POST, people=people)
    else:
        form = DocumentEditForm(people=people, initial={
            "title": document.title, "number": document.number, "owner": document.owner_id,
            "due_on": document.due_on, "is_active": document.is_active, "edit_version": document.edit_version,
        })
    form.fields["owner"].add_person(document.owner)
    return _page(
        request, form, "audits/documents/edit.html", lambda: {"doc": document},
        lambda data: services.document_update(actor=actor, document=document, **with_expected_version(data)),
        success=_("The document was saved."), back=reverse("audits:document", args=[document.pk]),
    )


def _file_response(record):
    """The file kept with a version or with evidence (404 without one), under the name it came with."""
    if not record.file:
        raise Http404
    name = record.file_name or record.file.name
    content_type = ATTACHMENT_EXTENSIONS.get(attachment_extension(name), "application/octet-stream")
    return attachment_response(record.file, filename=name, content_type=content_type)


@requires(P_DOCUMENT_VIEW)
def version_file(request, pk):
    return _file_response(selectors.version_get(actor=request.user, pk=pk))


# --- Purchased-service partners ------------------------------------------------------------------


@requires(P_DOCUMENT_VIEW)
def partner_list(request):
    actor, today = request.user, timezone.localdate()
    partners = list(selectors.partners(actor=actor)[: LIST_LIMIT + 1])
    rows = [{"partner": p, "state": selectors.partner_state(p, today=today)} for p in partners[:LIST_LIMIT]]
    return render(request, "audits/partners/list.html", {
        "rows": rows, "more": len(partners) > LIST_LIMIT, "can_manage": selectors.may_manage_organisation(actor),
    })


def _partner_form(request, *, partner=None):
    units = access.units_for(request.user, P_DOCUMENT_VIEW).order_by("name")
    people = selectors.owner_choices(unit=None)
    if request.method == "POST":
        form = PartnerForm(request.POST, people=people, units=units)
    elif partner is not None:
        form = PartnerForm(people=people, units=units, initial={
            "name": partner.name, "business_id": partner.business_id, "service": partner.service,
            "units": [u.pk for u in partner.units.all()], "owner": partner.owner_id, "next_due": partner.next_due,
            "is_active": partner.is_active, "edit_version": partner.edit_version,
        })
    else:
        form = PartnerForm(people=people, units=units, initial={"is_active": True, "edit_version": 0})
    if partner is not None:
        form.fields["owner"].add_person(partner.owner)
    return form


@requires(P_DOCUMENT_MANAGE)
def partner_edit(request, pk=None):
    actor = request.user
    if not selectors.may_manage_organisation(actor):
        raise PermissionDenied(P_DOCUMENT_MANAGE)
    partner = selectors.partner_get(actor=actor, pk=pk) if pk is not None else None
    return _page(
        request, _partner_form(request, partner=partner), "audits/partners/form.html", lambda: {"partner": partner},
        lambda data: services.partner_save(actor=actor, partner=partner, **with_expected_version(data)),
        success=_("The partner was saved."), back=lambda saved: reverse("audits:partner", args=[saved.pk]),
    )


@requires(P_DOCUMENT_VIEW)
def partner_detail(request, pk):
    actor, today = request.user, timezone.localdate()
    partner = selectors.partner_get(actor=actor, pk=pk)
    can_manage = selectors.may_manage_organisation(actor)
    return _recording_page(
        request, can_manage=can_manage,
        blank=lambda: EvidenceForm(initial={"received_on": today, "next_due": add_months(today, PARTNER_EVIDENCE_MONTHS)}),
        bound=lambda: EvidenceForm(request.POST, request.FILES),
        template="audits/partners/detail.html",
        context=lambda: {
            "partner": partner, "evidence": selectors.partner_evidence(partner=partner),
            "state": selectors.partner_state(partner, today=today), "can_manage": can_manage,
        },
        perform=lambda data: services.partner_evidence_record(actor=actor, partner=partner, **data),
        success=_("The evidence was recorded and the next due date moved."),
        back=reverse("audits:partner", args=[partner.pk]),
    )


@requires(P_DOCUMENT_VIEW)
def evidence_file(request, pk):
    return _file_response(selectors.evidence_get(actor=request.user, pk=pk))
