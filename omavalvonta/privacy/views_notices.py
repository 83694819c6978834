"""The privacy notices' pages of the data-protection officer (and the
administrators): each register's notice in force, its draft in Finnish and
Swedish, and publishing it to the public site."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from omavalvonta.core.forms import add_service_errors
from omavalvonta.organisation.access import P_PRIVACY_NOTICE_MANAGE, requires
from omavalvonta.privacy import notices
from omavalvonta.privacy.forms import PrivacyNoticeForm


@requires(P_PRIVACY_NOTICE_MANAGE)
def notice_list(request):
    """Every register the product keeps with its notice in force."""
    return render(request, "privacy/notices.html", {"rows": notices.notice_overview(actor=request.user)})


@requires(P_PRIVACY_NOTICE_MANAGE)
def notice_edit(request, key):
    """The register's draft: save it, or save and publish it."""
    notices.require_notices(request.user)
    register = notices.register_get(key)
    if register is None:
        raise Http404
    current, draft = notices.notice_published(key), notices.notice_draft(key)
    base = draft or current
    form = PrivacyNoticeForm(request.POST or None, initial={
        "text_fi": base.text_fi if base else "", "text_sv": base.text_sv if base else "",
        "change_summary": draft.change_summary if draft else "",
        "edit_version": draft.edit_version if draft else 0,
    })
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                data = dict(form.cleaned_data)
                expected = data.pop("edit_version")
                notices.notice_draft_save(actor=request.user, key=key, expected_version=expected, **data)
                if request.POST.get("action") == "publish":
                    notices.notice_publish(actor=request.user, key=key)
                    messages.success(request, _("The privacy notice was published."))
                    return redirect("privacy:notices")
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The draft was saved."))
                return redirect("privacy:notice", key=key)
        status = 400
    return render(request, "privacy/notice_edit.html",
                  {"register": register, "current": current, "draft": draft, "form": form}, status=status)
