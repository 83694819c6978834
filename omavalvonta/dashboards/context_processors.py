"""Navigation entries for the signed-in user, computed from the access kernel so
that a menu never offers a page the user cannot open."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from omavalvonta.core.lib.counts import count_all
from omavalvonta.improvement.selectors import acknowledgements_pending
from omavalvonta.notifications.selectors import notification_inbox
from omavalvonta.organisation import access, access_county

# (permission, url name, label): in menu order. AUTHENTICATED: everyone signed in;
# a tuple of permissions: any of them.
NAV = [
    (access.AUTHENTICATED, "home", _("Home")),
    (access.P_DEVIATION_REPORT, "deviations:new", pgettext_lazy("navigation: make a report", "Report")),
    (access.P_DEVIATION_REPORT, "deviations:mine", _("My reports")),
    (access.P_DEVIATION_VIEW, "deviations:list", _("Deviations")),
    # Search across the units in one's scope; the themes across units are reached from it.
    (access.P_SEARCH_USE, "search:search", pgettext_lazy("navigation: search across units", "Search")),
    (access.P_CLIENT_COUNT, "clients:overview", _("Children in care")),
    (access.P_OUTCOME_INSTRUMENT_MANAGE, "outcomes:instruments", _("Functional-capacity instruments")),
    (access.P_CLIENT_COUNT, "outcomes:effectiveness", _("Effectiveness")),
    (access.P_CLIENT_COUNT, "restrictions:overview", _("Restrictive measures")),
    (access.AUTHENTICATED, "people:index", _("Competence")),
    (access.P_ACTION_VIEW, "improvement:my_actions", pgettext_lazy("navigation: corrective and development actions", "Actions")),
    ((access.P_MEETING_VIEW, access.P_SAFETY_COMMITTEE_VIEW), "meetings:list", _("Meetings")),
    (access.P_LOG_VIEW, "improvement:log", _("Self-supervision log")),
    (access.P_GUIDANCE_VIEW, "guidance:list", _("Guidance from authorities")),
    (access.P_COMPLAINT_VIEW, "complaints:list", _("Complaints")),
    (access.P_FEEDBACK_VIEW, "feedback:home", _("Client feedback")),
    # The group's programme and its follow-up reports are reached from the plans.
    (access.P_PLAN_VIEW, "plans:list", _("Self-supervision plans")),
    (access.P_OBLIGATION_VIEW, "yearclock:wheel", _("Quality calendar")),
    # Risk assessments, audits and continuity are reached from the risks' own menu.
    (access.P_RISK_VIEW, "risks:list", _("Risks and audits")),
    # Plans that expire, registrations, insurance, licences and the purchased services' partners.
    (access.P_DOCUMENT_VIEW, "audits:documents", _("Compliance register")),
    (access.P_ACCESS_LOG_REVIEW, "privacy:log", _("Access log")),
    (access.P_SUBJECT_REQUEST_MANAGE, "privacy:requests", _("Data-subject requests")),
    (access.P_RETENTION_MANAGE, "privacy:retention", _("Retention and destruction")),
    (access.P_PRIVACY_NOTICE_MANAGE, "privacy:notices", _("Privacy notices")),
    (access.P_SECURITY_PLAN, "audits:security_plan", _("Information-security plan")),
    # Everyone reaches the readiness group from the continuity pages; its keepers from here too.
    (access.P_READINESS_MANAGE, "audits:readiness", _("Readiness group")),
    (access.P_ORG_ADMIN, "organisation:admin_home", _("Administration")),
]


def badge_querysets(user) -> dict:
    """The menu's badges: unread notifications, acknowledgements asked for."""
    return {
        "unread": notification_inbox(actor=user).filter(read_at__isnull=True),
        "acknowledgements": acknowledgements_pending(actor=user),
    }


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = getattr(getattr(request, "resolver_match", None), "view_name", "")
    if access_county.is_county_person(user):
        # A purchasing county's person: their county's view only.
        return {
            "nav_items": [
                {"url": reverse(name), "label": label, "active": current == name}
                for name, label in (("county:home", _("The county's view")), ("county:notifications", _("Statutory notifications")))
            ],
        }
    # Both badges' counts in one round trip; none where the page counted them in
    # its own statement for this request (the home page: dashboards.selectors.home_summary).
    counts = getattr(request, "badge_counts", None) or count_all(badge_querysets(user))
    return {
        "nav_items": [
            {"url": reverse(name), "label": label, "active": current == name}
            for perm, name, label in NAV
            if any(access.has_perm_anywhere(user, one) for one in (perm if isinstance(perm, tuple) else (perm,)))
        ],
        "unread_notifications": counts["unread"],
        "pending_acknowledgements": counts["acknowledgements"],
    }
