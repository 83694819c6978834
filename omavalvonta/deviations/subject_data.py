"""What the deviations hold about a person, for an access request's compile
(core.registry SUBJECT_DATA): the reports they made and the reports that name
them (as the handler, or by name in the report's text). Another person's
identity as a reporter is never given: a protected (§ 29) or anonymous
reporter, or any other reporter, is a redaction with its reason; the DPO
decides on the rest before release."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _, gettext_lazy

from omavalvonta.core import registry
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.deviations.models import Deviation

REDACTED = "[…]"


def _fields(deviation: Deviation) -> list:
    return [
        [_("Number"), deviation.number],
        [_("Type"), str(deviation.get_kind_display())],
        [_("Unit"), deviation.unit.name],
        [_("Submitted"), fi_date(deviation.submitted_at)],
        [_("State"), str(deviation.get_state_display())],
        [_("What happened"), deviation.description],
    ]


def _reporter(deviation: Deviation, person, redactions: list) -> str:
    """The reporter as the person may be told: themselves, or a redaction."""
    if deviation.reporter_id == person.pk:
        return _("You")
    if deviation.is_anonymous or deviation.reporter_id is None:
        return _("Anonymous")
    if deviation.identity_protected:
        reason = _("A protected reporter's identity (Sote-valvontalaki 741/2023 § 29): never disclosed.")
    else:
        reason = _("Another person's identity (GDPR art. 15(4)): disclosed only if the DPO so decides.")
    redactions.append({"item": deviation.number, "what": _("Reporter"), "reason": reason})
    return REDACTED


def subject_data(*, person) -> dict:
    name = (person.full_name or "").strip()
    mentions = Q(handler=person)
    if len(name) >= 3:
        mentions |= Q(description__icontains=name) | Q(analysis__icontains=name) | Q(answer__icontains=name)
    reported = list(Deviation.objects.filter(reporter=person).select_related("unit").order_by("submitted_at", "pk"))
    named = list(
        Deviation.objects.filter(mentions).exclude(reporter=person).select_related("unit").order_by("submitted_at", "pk")
    )
    redactions: list = []
    items = [
        {"title": _("Reported by you: %(number)s") % {"number": d.number}, "fields": _fields(d)} for d in reported
    ]
    for d in named:
        how = _("the handler") if d.handler_id == person.pk else _("named in the report's text")
        items.append({
            "title": _("Names you: %(number)s") % {"number": d.number},
            "fields": [*_fields(d), [_("How it names you"), how], [_("Reporter"), _reporter(d, person, redactions)]],
        })
    return {
        "title": _("Deviation reports"),
        "items": items,
        "redactions": redactions,
        "targets": [["deviations", "deviation", [d.pk for d in reported + named]]],
    }


# --- Erasure (core.registry SUBJECT_ACTIONS): the reporter's identity --------------------

def reporter_items(*, person) -> list:
    """The reports `person` made: may their identity as the reporter go
    (deviations.services.protection: the rule written down)."""
    from omavalvonta.deviations.services.protection import reporter_removal_refusal

    reports = Deviation.objects.filter(reporter=person).select_related("unit").order_by("submitted_at", "pk")
    items = []
    for d in reports:
        keep = str(reporter_removal_refusal(d))
        items.append(registry.SubjectItem(
            key=str(d.pk), title=_("Reporter of %(number)s") % {"number": d.number},
            value=_("%(type)s, %(unit)s, %(date)s") % {
                "type": d.get_kind_display(), "unit": d.unit.name, "date": fi_date(d.submitted_at)},
            erase=not keep, keep=keep,
        ))
    return items


def reporter_apply(*, actor, person, key, action, value) -> None:
    from django.core.exceptions import ValidationError

    from omavalvonta.deviations.services.protection import deviation_reporter_remove

    deviation = Deviation.objects.filter(pk=int(key), reporter=person).first() if key.isdigit() else None
    if deviation is None or action != "erase":
        raise ValidationError(_("Only the reporter's identity of a report they made can be removed."))
    deviation_reporter_remove(actor=actor, deviation=deviation, person=person)


def register() -> None:
    registry.register(registry.SUBJECT_DATA, "deviations.reports", subject_data, order=20)
    registry.register(
        registry.SUBJECT_ACTIONS, "deviations.reporter", reporter_items, order=20,
        title=gettext_lazy("Deviation reports"), apply=reporter_apply,
    )
