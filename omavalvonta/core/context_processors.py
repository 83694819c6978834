"""Navigation entries for the signed-in user, computed from the access kernel so
that a menu never offers a page the user cannot open."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from omavalvonta.organisation import access


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(reverse("home"), _("Home"), "home")]
    if access.has_perm_anywhere(user, access.P_DEVIATION_REPORT):
        items.append((reverse("deviations:new"), pgettext_lazy("navigation: make a report", "Report"), "deviations:new"))
        items.append((reverse("deviations:mine"), _("My reports"), "deviations:mine"))
    if access.has_perm_anywhere(user, access.P_DEVIATION_VIEW):
        items.append((reverse("deviations:list"), _("Deviations"), "deviations:list"))
    if access.has_perm_anywhere(user, access.P_ORG_ADMIN):
        items.append((reverse("organisation:admin_home"), _("Administration"), "organisation:admin_home"))
    current = getattr(getattr(request, "resolver_match", None), "view_name", "")
    return {
        "nav_items": [
            {"url": url, "label": label, "active": current == name}
            for url, label, name in items
        ],
        "unread_notifications": user.notifications.filter(in_app=True, read_at__isnull=True).count(),
    }
