"""`{% offline_queue %}` in base.html: the offline queue's indicator (its count,
"send now", what was refused and why) and everything its script needs: the
person's queue owner, the URLs, and the texts in the page's language. Shown to
signed-in people and on the offline pages (which are rendered for nobody: there
the script takes the owner of the key kept on the device)."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _, ngettext

from omavalvonta.core import offline

register = template.Library()


def _counted(message) -> tuple[str, str]:
    """The one and the many form of message(n), with {n} for the script to fill in."""
    return message(1) % {"count": "{n}"}, message(2) % {"count": "{n}"}


@register.inclusion_tag("core/_offline_queue.html", takes_context=True)
def offline_queue(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    offline_page = bool(getattr(request, "offline_page", False))
    if not (signed_in or offline_page):
        return {"show": False}
    count_one, count_many = _counted(
        lambda n: ngettext("%(count)s item waits to be sent.", "%(count)s items wait to be sent.", n)
    )
    confirm_one, confirm_many = _counted(
        lambda n: ngettext(
            "%(count)s item has not been sent yet. Signing out deletes it from this device. Sign out anyway?",
            "%(count)s items have not been sent yet. Signing out deletes them from this device. Sign out anyway?",
            n,
        )
    )
    return {
        "show": True,
        "owner": offline.owner_tag(user) if signed_in else "",
        "key_url": reverse("offline_queue_key"),
        "sw_url": reverse("service_worker"),
        "options_urls": " ".join(offline.options_urls()),
        "max_bytes": settings.ATTACHMENT_MAX_BYTES,
        "texts": {
            "count-one": count_one,
            "count-many": count_many,
            "confirm-one": confirm_one,
            "confirm-many": confirm_many,
            "offline": _(
                "No network connection. Reports are kept on this device, encrypted, and sent when the connection "
                "returns."
            ),
            "queued": _("Saved on this device, encrypted. It will be sent when the connection returns."),
            "sending": _("Sending…"),
            "network": _("Could not reach the server. It waits and is sent when the connection returns."),
            "session": _("Your session has ended. Sign in again: it waits and is then sent."),
            "refused": _("The server did not accept it:"),
            "code": _("Follow-up code: {code}. Write it down: it is shown only now."),
            "no-key": _("It could not be saved on this device: sign in once while connected to a network."),
            "too-large": _("The attachment {name} is too large to be kept (at most {max} MB)."),
            "item": _("saved {time}"),
            "fix": _("Correct it"),
            "remove": _("Remove"),
            "remove-confirm": _("Remove it from the queue? It has not been sent."),
            "fixing": _("You are correcting a report from the queue. Sending it replaces the queued one."),
            "kept-files": _("Attachments kept from the queued report: {n}. Choose new files to replace them."),
            "dismiss": _("Close"),
        },
    }
