"""Organisation administration in the product: the organisation's settings and
risk matrix, supervisory authorities, units, wellbeing services counties,
regions, people and their roles. Every view needs `organisation.admin`."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from omavalvonta.core.accesslog import logs_read
from omavalvonta.core.concurrency import EditConflict
from omavalvonta.core.forms import add_service_errors
from omavalvonta.organisation import access, selectors, services, sessions
from omavalvonta.organisation.forms import (
    AuthorityForm,
    CountyForm,
    MembershipForm,
    OrganisationSettingsForm,
    PasswordSetForm,
    PersonCreateForm,
    PersonEditForm,
    PersonFilterForm,
    RegionForm,
    RiskMatrixForm,
    UnitFilterForm,
    UnitForm,
)
from omavalvonta.organisation.models import Role, User, default_risk_matrix
from omavalvonta.organisation.sso import sso_enabled

PAGE_SIZE = 20
# A generated password waits here (server-side session) for the one page view
# that shows it; it never travels in a message cookie or a URL.
_PASSWORD_SESSION_KEY = "organisation:new-password"

admin_required = access.requires(access.P_ORG_ADMIN)


def _grants_sensitive_role(field_name: str):
    """For allauth's reauthentication_required: does this POST grant a role that
    reads protected or child data? Then the administrator types their password
    (or code) again first; allauth keeps the POST and carries it out after."""

    def enabled(request) -> bool:
        return access.role_reads_sensitive_data(request.POST.get(field_name, ""))

    return enabled

HISTORY_LABELS = {
    "person.created": gettext_lazy("Added to the system"),
    "person.updated": gettext_lazy("Details changed"),
    "person.deactivated": gettext_lazy("Deactivated"),
    "person.reactivated": gettext_lazy("Activated again"),
    "person.password_set": gettext_lazy("New password set"),
    "membership.added": gettext_lazy("Role added"),
    "membership.removed": gettext_lazy("Role removed"),
}
ROLE_LABELS = dict(Role.choices)


def _history_label(event):
    label = HISTORY_LABELS.get(event.verb, event.verb)
    if event.verb.startswith("membership."):
        role = ROLE_LABELS.get(event.data.get("role"), event.data.get("role", ""))
        return f"{label}: {role} – {event.data.get('scope', '')}"
    return label


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _bound(request, form_class, **kwargs):
    return form_class(request.POST if request.method == "POST" else None, **kwargs)


def _save(form, write, *, versioned: bool = False):
    """Run a service with the form's data; put its ValidationError on the form.
    Returns the service's result, or None when the form has errors. `versioned`
    (an edit form): the version the form was opened at goes to the service as
    `expected_version`, and a newer save is shown beside the typed values."""
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    expected = data.pop("edit_version", None)
    if versioned:
        data["expected_version"] = expected
    try:
        return write(data)
    except EditConflict as exc:
        add_service_errors(form, exc)
        return None
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


def _form_page(request, form_class, template, context, write, *, done, to, initial=None, versioned=False):
    """One create or edit page: the form bound on POST, the service run through
    `_save`, then a success message (`done(saved)`) and a redirect to `to`
    (a URL name, or `to(saved)` for one); else the page with the form again.
    `context` is what the template needs besides the form."""
    form = _bound(request, form_class, initial=initial)
    if request.method == "POST":
        saved = _save(form, write, versioned=versioned)
        if saved:
            messages.success(request, done(saved))
            return redirect(to(saved) if callable(to) else to)
    return render(request, template, {"form": form, **context})


def _filtered_page(request, filter_class, rows, template):
    """A paginated list of admin records behind its filter form: `rows(actor=, filters=)`
    filtered by what the form accepts, `filter_form` and `page` to `template`."""
    filter_form = filter_class(request.GET or None)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    page = _page(request, rows(actor=request.user, filters=filters))
    return render(request, template, {"filter_form": filter_form, "page": page})


def _record_pages(name, form_class, *, added, saved, filter_class=None):
    """The list, create and edit pages of one kind of administration record (`name`:
    "unit", "county", ...), by the kind's names: the list page organisation/<name>_list.html
    with `selectors.<name>_list` as its `rows` (behind `filter_class` and paginated, when
    given); the form page organisation/<name>_form.html with the form and the record
    (`selectors.<name>_get`; None when new), the form's data to `services.<name>_create` or
    `services.<name>_update`, then `added` or `saved` (a message naming the record; `added`
    may be a function of the record) and back to organisation:<name>_list."""
    rows, get = getattr(selectors, f"{name}_list"), getattr(selectors, f"{name}_get")
    create, update = getattr(services, f"{name}_create"), getattr(services, f"{name}_update")
    template, to = f"organisation/{name}_form.html", f"organisation:{name}_list"

    def done(text):
        return lambda record: (text(record) if callable(text) else text) % {"name": record.name}

    @admin_required
    def list_page(request):
        if filter_class:
            return _filtered_page(request, filter_class, rows, f"organisation/{name}_list.html")
        return render(request, f"organisation/{name}_list.html", {"rows": rows(actor=request.user)})

    @admin_required
    @require_http_methods(["GET", "POST"])
    def create_page(request):
        return _form_page(
            request, form_class, template, {name: None}, lambda data: create(actor=request.user, **data),
            done=done(added), to=to,
        )

    @admin_required
    @require_http_methods(["GET", "POST"])
    def edit_page(request, pk):
        record = get(actor=request.user, pk=pk)
        return _form_page(
            request, form_class, template, {name: record}, lambda data: update(actor=request.user, **{name: record}, **data),
            initial=form_class.initial_for(record), versioned=True, done=done(saved), to=to,
        )

    for page, suffix in ((list_page, "list"), (create_page, "create"), (edit_page, "edit")):
        page.__name__ = page.__qualname__ = f"{name}_{suffix}"
    return list_page, create_page, edit_page


# --- Home ---------------------------------------------------------------------------------


@admin_required
def admin_home(request):
    return render(
        request,
        "organisation/admin_home.html",
        {
            "counts": selectors.admin_counts(actor=request.user),
            "organisation": selectors.organisation_current(),
            "default_authority": selectors.authority_default(actor=request.user),
        },
    )


# --- The organisation: settings and risk matrix --------------------------------------------


@admin_required
@require_http_methods(["GET", "POST"])
def organisation_settings(request):
    organisation = selectors.organisation_for_settings(actor=request.user)
    initial = OrganisationSettingsForm.initial_for(organisation) if organisation else None
    return _form_page(
        request,
        OrganisationSettingsForm,
        "organisation/organisation_settings.html",
        {"organisation": organisation, "sso_enabled": sso_enabled()},
        lambda data: services.organisation_settings_update(actor=request.user, organisation=organisation, **data),
        initial=initial,
        versioned=True,
        done=lambda saved: _("The settings of “%(name)s” were saved.") % {"name": saved.name},
        to="organisation:admin_home",
    )


@admin_required
@require_http_methods(["GET", "POST"])
def risk_matrix(request):
    organisation = selectors.organisation_for_settings(actor=request.user)
    matrix = organisation.risk_matrix if organisation else None
    if request.method == "POST" and organisation is not None:
        if "restore" in request.POST:
            # The default is valid by definition: only the right to do it is checked.
            services.risk_matrix_update(actor=request.user, organisation=organisation, matrix=default_risk_matrix())
            messages.success(request, _("The default risk matrix was restored."))
            return redirect("organisation:risk_matrix")
        form = RiskMatrixForm(request.POST, matrix=matrix)
        saved = _save(
            form,
            lambda _data: services.risk_matrix_update(
                actor=request.user, organisation=organisation, matrix=form.matrix()
            ),
        )
        if saved:
            messages.success(request, _("The risk matrix was saved. It applies to classifications made from now on."))
            return redirect("organisation:risk_matrix")
    else:
        form = RiskMatrixForm(matrix=matrix)
    return render(request, "organisation/risk_matrix.html", {"form": form, "organisation": organisation})


# --- Supervisory authorities, units, wellbeing services counties and regions -------------------


def _authority_added(authority):
    if authority.is_default:
        return _("The authority “%(name)s” was added as the default recipient of escalations.")
    return _("The authority “%(name)s” was added.")


authority_list, authority_create, authority_edit = _record_pages(
    "authority", AuthorityForm, added=_authority_added, saved=gettext_lazy("The authority “%(name)s” was saved.")
)
unit_list, unit_create, unit_edit = _record_pages(
    "unit",
    UnitForm,
    filter_class=UnitFilterForm,
    added=gettext_lazy("The unit “%(name)s” was created."),
    saved=gettext_lazy("The unit “%(name)s” was saved."),
)
county_list, county_create, county_edit = _record_pages(
    "county",
    CountyForm,
    added=gettext_lazy("The county “%(name)s” was added."),
    saved=gettext_lazy("The county “%(name)s” was saved."),
)
region_list, region_create, region_edit = _record_pages(
    "region",
    RegionForm,
    added=gettext_lazy("The region “%(name)s” was added."),
    saved=gettext_lazy("The region “%(name)s” was saved."),
)


# --- People ---------------------------------------------------------------------------------------


@logs_read("person.list")
@admin_required
def person_list(request):
    return _filtered_page(request, PersonFilterForm, selectors.person_list, "organisation/person_list.html")


def _remember_password(request, person, password):
    if password:
        request.session[_PASSWORD_SESSION_KEY] = {"person": person.pk, "password": password}


@admin_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(enabled=_grants_sensitive_role("role"))
def person_create(request):
    form = _bound(request, PersonCreateForm)
    if request.method == "POST":
        result = _save(form, lambda _data: services.person_create(actor=request.user, **form.service_kwargs()))
        if result:
            person, generated = result
            _remember_password(request, person, generated)
            messages.success(request, _("%(name)s was added.") % {"name": person.full_name})
            return redirect("organisation:person_detail", pk=person.pk)
    return render(request, "organisation/person_create.html", {"form": form})


def _person_page(request, person, *, membership_form=None):
    new_password = None
    stored = request.session.get(_PASSWORD_SESSION_KEY)
    if stored and stored.get("person") == person.pk:
        new_password = request.session.pop(_PASSWORD_SESSION_KEY)["password"]
    return render(
        request,
        "organisation/person_detail.html",
        {
            "person": person,
            "memberships": person.memberships.all(),
            "membership_form": membership_form or MembershipForm(),
            "history": [(e, _history_label(e)) for e in selectors.person_history(actor=request.user, person=person)],
            "new_password": new_password,
            "is_self": person.pk == request.user.pk,
            "session_count": len(sessions.sessions_of(user=person)),
            "failed_sign_ins": sessions.failed_sign_ins(person=person),
        },
    )


@logs_read("person.detail", model=User)
@admin_required
def person_detail(request, pk):
    person = selectors.person_get(actor=request.user, pk=pk)
    return _person_page(request, person)


@logs_read("person.detail", model=User)
@admin_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = selectors.person_get(actor=request.user, pk=pk)
    return _form_page(
        request,
        PersonEditForm,
        "organisation/person_edit.html",
        {"person": person},
        lambda data: services.person_update(actor=request.user, person=person, **data),
        initial=PersonEditForm.initial_for(person),
        done=lambda saved: _("The details of %(name)s were saved.") % {"name": saved.full_name},
        to=lambda saved: reverse("organisation:person_detail", kwargs={"pk": saved.pk}),
    )


@admin_required
@require_http_methods(["GET", "POST"])
def person_password(request, pk):
    person = selectors.person_get(actor=request.user, pk=pk)
    form = _bound(request, PasswordSetForm)
    if request.method == "POST" and form.is_valid():
        try:
            generated = services.person_password_set(
                actor=request.user, person=person, password=form.cleaned_data["password"] or None
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            _remember_password(request, person, generated)
            messages.success(request, _("A new password was set for %(name)s.") % {"name": person.full_name})
            return redirect("organisation:person_detail", pk=person.pk)
    return render(request, "organisation/person_password.html", {"form": form, "person": person})


@admin_required
@require_POST
@reauthentication_required(enabled=_grants_sensitive_role("membership-role"))
def membership_add(request, pk):
    person = selectors.person_get(actor=request.user, pk=pk)
    form = MembershipForm(request.POST)
    membership = _save(
        form,
        lambda data: services.membership_add(
            actor=request.user, person=person, role=data["role"], unit=data.get("unit"), region=data.get("region")
        ),
    )
    if membership is None:
        return _person_page(request, person, membership_form=form)
    messages.success(
        request,
        _("Role added: %(role)s – %(scope)s.")
        % {"role": membership.get_role_display(), "scope": membership.scope_label},
    )
    return redirect("organisation:person_detail", pk=person.pk)


@admin_required
@require_http_methods(["GET", "POST"])
def membership_remove(request, pk, membership_pk):
    person = selectors.person_get(actor=request.user, pk=pk)
    membership = selectors.person_membership_get(actor=request.user, person=person, pk=membership_pk)
    error = None
    if request.method == "POST":
        try:
            services.membership_remove(actor=request.user, membership=membership)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("The role %(role)s (%(scope)s) was removed from %(name)s.")
                % {"role": membership.get_role_display(), "scope": membership.scope_label, "name": person.full_name},
            )
            return redirect("organisation:person_detail", pk=person.pk)
    return render(
        request,
        "organisation/membership_confirm_remove.html",
        {"person": person, "membership": membership, "error": error},
    )
