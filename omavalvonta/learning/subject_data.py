"""What the learning reviews hold about a person, for an access request's
compile (core.registry SUBJECT_DATA): the reviews they facilitated, opened or
took part in. The reviews' texts are written anonymised; the facilitator's and
the participants' names are staff data given as they are. A person's part in a
review may be erased (core.registry SUBJECT_ACTIONS), the facilitator's kept:
the review is the provider's self-supervision record."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _, gettext_lazy

from omavalvonta.core import registry
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.learning.models import LearningReview


def _reviews(person):
    involved = Q(facilitator=person) | Q(opened_by=person) | Q(participants=person)
    return (
        LearningReview.objects.filter(involved).distinct().select_related("unit", "facilitator")
        .order_by("opened_at", "pk")
    )


def subject_data(*, person) -> dict:
    reviews = list(_reviews(person))
    participant_of = set(
        LearningReview.participants.through.objects.filter(user=person, learningreview__in=[r.pk for r in reviews])
        .values_list("learningreview_id", flat=True)
    )
    items = []
    for r in reviews:
        roles = []
        if r.facilitator_id == person.pk:
            roles.append(_("the facilitator"))
        if r.opened_by_id == person.pk:
            roles.append(_("the one who opened it"))
        if r.pk in participant_of:
            roles.append(_("a participant"))
        items.append({
            "title": r.title,
            "fields": [
                [_("Unit"), r.unit.name if r.unit_id else _("Organisation-wide")],
                [_("Opened"), fi_date(r.opened_at)],
                [_("State"), str(r.get_state_display())],
                [_("Your part"), ", ".join(str(x) for x in roles)],
                [_("Facilitator"), r.facilitator.full_name],
            ],
        })
    if not items:
        return None
    return {
        "title": _("Learning reviews"),
        "items": items,
        "redactions": [],
        "targets": [["learning", "learningreview", [r.pk for r in reviews]]],
    }


def participation_items(*, person) -> list:
    """The reviews `person` takes part in: their part may be erased."""
    reviews = LearningReview.objects.filter(participants=person).select_related("unit").order_by("opened_at", "pk")
    return [
        registry.SubjectItem(
            key=str(r.pk), title=_("Participant of a learning review"),
            value=_("%(title)s, %(date)s") % {"title": r.title, "date": fi_date(r.opened_at)}, erase=True,
        )
        for r in reviews
    ]


def participation_apply(*, actor, person, key, action, value) -> None:
    from omavalvonta.core.services import audit_event_record

    review = LearningReview.objects.filter(pk=int(key), participants=person).first() if key.isdigit() else None
    if review is None or action != "erase":
        raise ValidationError(_("Only a person's part in a review they take part in can be removed."))
    review.participants.remove(person)
    audit_event_record(
        actor=actor, verb="learning.participant_erased", target=review, unit=review.unit, person_id=person.pk
    )


def register() -> None:
    registry.register(registry.SUBJECT_DATA, "learning.reviews", subject_data, order=42)
    registry.register(
        registry.SUBJECT_ACTIONS, "learning.participation", participation_items, order=42,
        title=gettext_lazy("Learning reviews"), apply=participation_apply,
    )
