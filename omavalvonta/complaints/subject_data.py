"""What the complaints hold about a person, for an access request's compile
(core.registry SUBJECT_DATA): the complaints they handled, answered or
recorded, and the complaints whose complainant is named as they are. Another
person's identity (the complainant of a complaint the person only handled) is a
redaction with its reason; the DPO decides on the rest before release."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from omavalvonta.complaints.models import Complaint
from omavalvonta.core.lib.dates import fi_date

REDACTED = "[…]"


def subject_data(*, person) -> dict:
    name = (person.full_name or "").strip()
    involved = Q(handler=person) | Q(answered_by=person) | Q(created_by=person)
    if len(name) >= 3:
        involved |= Q(complainant_name__iexact=name)
    complaints = list(Complaint.objects.filter(involved).select_related("unit").order_by("received_on", "pk"))
    items, redactions = [], []
    for c in complaints:
        own = len(name) >= 3 and c.complainant_name.strip().casefold() == name.casefold()
        roles = []
        if own:
            roles.append(_("the complainant"))
        if c.handler_id == person.pk:
            roles.append(_("the handler"))
        if c.answered_by_id == person.pk:
            roles.append(_("the one who answered"))
        if c.created_by_id == person.pk:
            roles.append(_("the one who recorded it"))
        if own:
            complainant = c.complainant_name
        else:
            complainant = REDACTED
            redactions.append({
                "item": str(c), "what": _("Complainant"),
                "reason": _("Another person's identity (GDPR art. 15(4)): disclosed only if the DPO so decides."),
            })
        items.append({
            "title": _("Complaint %(number)s") % {"number": c},
            "fields": [
                [_("Unit"), c.unit.name],
                [_("Received"), fi_date(c.received_on)],
                [_("State"), str(c.get_state_display())],
                [_("How it names you"), ", ".join(str(r) for r in roles)],
                [_("Complainant"), complainant],
                [_("What the complaint is about"), c.subject],
                [_("Answered"), fi_date(c.answered_on) if c.answered_on else ""],
                [_("The gist of the written answer"), c.answer_summary],
            ],
        })
    if not items:
        return None
    return {
        "title": _("Complaints"),
        "items": items,
        "redactions": redactions,
        "targets": [["complaints", "complaint", [c.pk for c in complaints]]],
    }


def register() -> None:
    from omavalvonta.core import registry

    registry.register(registry.SUBJECT_DATA, "complaints.complaints", subject_data, order=35)
