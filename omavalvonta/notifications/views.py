"""The in-app inbox: a person's own notifications. Reads through selectors,
writes through services; every view declares its access."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from omavalvonta.core.accesslog import logs_read
from omavalvonta.notifications import selectors, services
from omavalvonta.notifications.links import is_safe_link
from omavalvonta.organisation.access import AUTHENTICATED, requires

PAGE_SIZE = 20


@logs_read("notification.inbox")
@requires(AUTHENTICATED)
@require_http_methods(["GET", "HEAD", "POST"])
def inbox(request):
    """GET: the list, newest first, 20 a page. POST: mark all read."""
    if request.method == "POST":
        count = services.notification_mark_all_read(actor=request.user)
        if count:
            messages.success(request, _("All notifications marked read."))
        return redirect("notifications:inbox")
    page = Paginator(selectors.notification_inbox(actor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page_obj": page, "unread_count": selectors.notification_unread_count(actor=request.user)},
    )


@requires(AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def open_notification(request, pk):
    """Mark the notification read and go where it points (a path inside the
    product only: anything else would be an open redirect), else to the inbox."""
    notification = selectors.notification_for_actor(actor=request.user, pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    if notification.link and is_safe_link(notification.link):
        return redirect(notification.link)
    return redirect("notifications:inbox")
