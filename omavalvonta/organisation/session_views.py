"""Pages of signed-in sessions: a person's own (see and end the others) and the
administrator's "end all of this person's sessions"."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_POST

from omavalvonta.organisation import access, selectors, sessions


@access.requires(access.AUTHENTICATED)
def my_sessions(request):
    current = request.session.session_key
    rows = [
        {"pk": s.pk, "signed_in_at": s.signed_in_at, "ip_address": s.ip_address,
         "device": sessions.device_label(s.user_agent), "current": s.session_key == current}
        for s in sessions.sessions_of(user=request.user)
    ]
    return render(request, "organisation/my_sessions.html", {"rows": rows, "others": sum(not r["current"] for r in rows)})


@access.requires(access.AUTHENTICATED)
@require_POST
def my_session_end(request, pk):
    """End one of one's other sessions (by the record's number: a session key is
    a secret and never appears in a page or an address)."""
    if sessions.session_end(actor=request.user, pk=pk, current_key=request.session.session_key):
        messages.success(request, _("The session was ended: that device is signed out."))
    else:
        messages.error(request, _("That session has already ended, or it is the one you are using now."))
    return redirect("my_sessions")


@access.requires(access.AUTHENTICATED)
@require_POST
def my_sessions_end_others(request):
    ended = sessions.sessions_end_others(actor=request.user, current_key=request.session.session_key)
    messages.success(request, ngettext(
        "%(count)s other session was ended.", "%(count)s other sessions were ended.", ended) % {"count": ended})
    return redirect("my_sessions")


@access.requires(access.P_ORG_ADMIN)
@require_POST
def person_sessions_end(request, pk):
    """An administrator signs a person out everywhere (e.g. when they leave)."""
    person = selectors.person_get(actor=request.user, pk=pk)
    if person.pk == request.user.pk:
        messages.error(request, _("End your own sessions from your account's session page."))
        return redirect("organisation:person_detail", pk=person.pk)
    ended = sessions.sessions_end_all(actor=request.user, person=person)
    messages.success(request, ngettext(
        "%(count)s session of %(name)s was ended.", "%(count)s sessions of %(name)s were ended.", ended)
        % {"count": ended, "name": person.full_name or person.email})
    return redirect("organisation:person_detail", pk=person.pk)
