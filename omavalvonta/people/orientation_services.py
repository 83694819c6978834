"""Writes of orientation (perehdytys): the cards' versions (the quality
director), starting a newcomer's orientation (the unit's leaders), ticking and
acknowledging items, the closing evaluation and a finding's improvement action,
and what happens when a person leaves a unit (core.registry MEMBERSHIP_ENDED).
Keyword-only, `actor` first, atomic, audited. Reached through people.services."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.lib import bounds
from omavalvonta.core.services import audit_event_record
from omavalvonta.improvement.models import ActionKind
from omavalvonta.improvement.services.actions import action_create
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access, access_people
from omavalvonta.organisation.models import Role
from omavalvonta.people import orientation_selectors as oselectors, selectors
from omavalvonta.people.models import (
    CardItem,
    EvaluatorRole,
    Orientation,
    OrientationCard,
    OrientationEvaluation,
    OrientationItem,
    OrientationRole,
    OrientationState,
    OrientationTheme,
)

# A start date: at most a year back (recording an orientation already under way)
# and three months ahead.
START_DAYS_BACK = 365
START_DAYS_AHEAD = 90
TARGET_DAY_MAX = 365
ITEM_TEXT_MAX = 300
EVALUATION_TEXT_MAX = 1000


def _refuse(field: str, message: str):
    raise ValidationError({field: message})


def _notify(person, *, kind: str, subject: str, body: str, link: str) -> None:
    if person is not None and person.is_active:
        notification_enqueue(recipient=person, kind=kind, subject=subject, body=body, link=link, digestible=True)


# --- Cards ----------------------------------------------------------------------------------------


@transaction.atomic
def card_draft(*, actor, role: str) -> OrientationCard:
    """A new draft version of `role`'s card, a copy of its newest version (the
    existing draft when there is one)."""
    _require_card_editor(actor)
    if role not in OrientationRole.values:
        _refuse("role", _("Choose the role."))
    draft = OrientationCard.objects.filter(for_role=role, published_at__isnull=True).first()
    if draft is not None:
        return draft
    newest = OrientationCard.objects.filter(for_role=role).order_by("-version").first()
    version = (OrientationCard.objects.filter(for_role=role).aggregate(v=Max("version"))["v"] or 0) + 1
    draft = OrientationCard.objects.create(for_role=role, version=version, created_by=actor)
    if newest is not None:
        CardItem.objects.bulk_create(
            [
                CardItem(card=draft, theme=i.theme, text=i.text, text_sv=i.text_sv, text_en=i.text_en,
                         target_day=i.target_day, needs_ack=i.needs_ack, order=i.order)
                for i in newest.items.all()
            ]
        )
    audit_event_record(actor=actor, verb="orientation.card_drafted", target=draft, role=role, version=version)
    return draft


def _require_card_editor(actor) -> None:
    if not access.has_perm_organisation_wide(actor, access.P_ORIENTATION_CARDS):
        raise PermissionDenied(access.P_ORIENTATION_CARDS)


def _require_draft(actor, card: OrientationCard) -> None:
    _require_card_editor(actor)
    if not card.is_draft:
        raise ValidationError({"__all__": _("A published card is not changed: make a new draft of it.")})


def _clean_item(*, theme: str, text: str, target_day, text_sv: str, text_en: str) -> dict:
    errors = {}
    texts = {"text": (text or "").strip(), "text_sv": (text_sv or "").strip(), "text_en": (text_en or "").strip()}
    if not texts["text"]:
        errors["text"] = _("Write the item in Finnish.")
    for name, value in texts.items():
        if len(value) > ITEM_TEXT_MAX:
            errors[name] = _("Use at most %(limit)s characters.") % {"limit": ITEM_TEXT_MAX}
    if theme not in OrientationTheme.values:
        errors["theme"] = _("Choose the theme.")
    if not isinstance(target_day, int) or not 0 <= target_day <= TARGET_DAY_MAX:
        errors["target_day"] = _("Give the target day as days from the start, 0 to %(max)s.") % {"max": TARGET_DAY_MAX}
    if errors:
        raise ValidationError(errors)
    return texts


@transaction.atomic
def card_item_add(*, actor, card: OrientationCard, theme: str, text: str, target_day, needs_ack: bool = False,
                  text_sv: str = "", text_en: str = "") -> CardItem:
    _require_draft(actor, card)
    texts = _clean_item(theme=theme, text=text, target_day=target_day, text_sv=text_sv, text_en=text_en)
    order = (card.items.aggregate(o=Max("order"))["o"] or 0) + 1
    item = CardItem.objects.create(card=card, theme=theme, target_day=target_day, needs_ack=bool(needs_ack),
                                   order=order, **texts)
    audit_event_record(actor=actor, verb="orientation.card_item_added", target=card, item=item.pk)
    return item


def _draft_item(card: OrientationCard, item_id) -> CardItem:
    item = card.items.select_for_update().filter(pk=item_id).first()
    if item is None:
        raise ValidationError({"__all__": _("The item is no longer on the card.")})
    return item


@transaction.atomic
def card_item_edit(*, actor, card: OrientationCard, item_id, theme: str, text: str, target_day,
                   needs_ack: bool = False, text_sv: str = "", text_en: str = "") -> CardItem:
    """Change an item of a draft card in place (a published card never changes)."""
    _require_draft(actor, card)
    item = _draft_item(card, item_id)
    texts = _clean_item(theme=theme, text=text, target_day=target_day, text_sv=text_sv, text_en=text_en)
    for name, value in {**texts, "theme": theme, "target_day": target_day, "needs_ack": bool(needs_ack)}.items():
        setattr(item, name, value)
    item.save()
    audit_event_record(actor=actor, verb="orientation.card_item_edited", target=card, item=item.pk)
    return item


@transaction.atomic
def card_item_move(*, actor, card: OrientationCard, item_id, up: bool) -> CardItem:
    """Move an item of a draft card one place up or down among its theme's
    items. At either end nothing moves."""
    _require_draft(actor, card)
    item = _draft_item(card, item_id)
    siblings = list(card.items.select_for_update().filter(theme=item.theme).order_by("order", "id"))
    # Renumber the theme's items first: items added by hand may share an order.
    for n, sibling in enumerate(siblings, start=1):
        sibling.order = n
    at = next(n for n, s in enumerate(siblings) if s.pk == item.pk)
    other = at - 1 if up else at + 1
    if 0 <= other < len(siblings):
        siblings[at].order, siblings[other].order = siblings[other].order, siblings[at].order
    CardItem.objects.bulk_update(siblings, ["order"])
    audit_event_record(actor=actor, verb="orientation.card_item_moved", target=card, item=item.pk, up=bool(up))
    return next(s for s in siblings if s.pk == item.pk)


@transaction.atomic
def card_item_remove(*, actor, card: OrientationCard, item_id) -> None:
    _require_draft(actor, card)
    deleted, _rows = card.items.filter(pk=item_id).delete()
    if not deleted:
        raise ValidationError({"__all__": _("The item is no longer on the card.")})
    audit_event_record(actor=actor, verb="orientation.card_item_removed", target=card, item=item_id)


@transaction.atomic
def card_publish(*, actor, card: OrientationCard) -> OrientationCard:
    """The draft becomes the role's card for new orientations; those already
    started keep the version they were started with."""
    _require_draft(actor, card)
    if not card.items.exists():
        raise ValidationError({"__all__": _("Add at least one item before publishing.")})
    card.published_at, card.published_by = timezone.now(), actor
    card.save(update_fields=["published_at", "published_by"])
    audit_event_record(actor=actor, verb="orientation.card_published", target=card, role=card.for_role, version=card.version)
    return card


# --- Starting and following an orientation --------------------------------------------------------


def _orientation_link(orientation) -> str:
    return reverse("people:orientation", args=[orientation.pk])


def _check_people(errors: dict, *, unit, newcomer, mentor) -> None:
    """The newcomer and the mentor: two different members of the unit's staff."""
    if newcomer is None or not selectors.is_staff_member(unit=unit, person=newcomer):
        errors["newcomer"] = _("Choose a member of the unit's staff as the newcomer.")
    if mentor is None or not selectors.is_staff_member(unit=unit, person=mentor):
        errors["mentor"] = _("The mentor must be a member of the unit's staff.")
    elif newcomer is not None and mentor.pk == newcomer.pk:
        errors["mentor"] = _("The newcomer cannot be their own mentor.")


def _start_date_error(started_on) -> str | None:
    """Why `started_on` cannot start an orientation: no date, or further back
    than START_DAYS_BACK or ahead than START_DAYS_AHEAD (None: it can)."""
    today = timezone.localdate()
    if not isinstance(started_on, dt.date) or not bounds.in_range(started_on):
        return _("Give the start date.")
    if started_on < today - dt.timedelta(days=START_DAYS_BACK):
        return _("The start date can be at most a year ago.")
    if started_on > today + dt.timedelta(days=START_DAYS_AHEAD):
        return _("The start date can be at most three months ahead.")
    return None


def _notify_started(orientation: Orientation) -> None:
    """Tell the main mentor and the newcomer that the orientation has started."""
    link = _orientation_link(orientation)
    newcomer, mentor, unit = orientation.newcomer, orientation.mentor, orientation.unit
    values = {"newcomer": newcomer.full_name, "unit": unit.name}
    _notify(mentor, kind="orientation.mentor", link=link,
            subject=_("You are the main mentor of %(newcomer)s") % values,
            body=_("You are the main mentor in the orientation of %(newcomer)s in %(unit)s. Tick the items as they are done.") % values)
    _notify(newcomer, kind="orientation.started", link=link,
            subject=_("Your orientation in %(unit)s") % values,
            body=_("Your orientation checklist in %(unit)s is ready. Acknowledge the plans and instructions you have read.") % values)


@transaction.atomic
def orientation_start(*, actor, unit, newcomer, role: str, mentor, started_on) -> Orientation:
    """Start `newcomer`'s orientation in `unit` on the newest published card of
    `role`, with `mentor` as the main mentor: the checklist's items fall due on
    the start date plus each item's target day."""
    access.require(actor, access.P_COMPETENCE_RECORD, unit)
    errors = {}
    _check_people(errors, unit=unit, newcomer=newcomer, mentor=mentor)
    card = oselectors.card_current(role) if role in OrientationRole.values else None
    if card is None:
        errors["role"] = _("Choose a role whose orientation card is published.")
    date_error = _start_date_error(started_on)
    if date_error:
        errors["started_on"] = date_error
    if "newcomer" not in errors and Orientation.objects.filter(
        unit=unit, newcomer=newcomer, state__in=oselectors.OPEN_STATES
    ).exists():
        errors["newcomer"] = _("%(name)s already has an orientation in progress in this unit.") % {
            "name": newcomer.full_name
        }
    if errors:
        raise ValidationError(errors)
    orientation = Orientation.objects.create(
        unit=unit, newcomer=newcomer, card=card, mentor=mentor, started_on=started_on, started_by=actor
    )
    OrientationItem.objects.bulk_create(
        [
            OrientationItem(orientation=orientation, card_item=i, due_on=started_on + dt.timedelta(days=i.target_day))
            for i in card.items.all()
        ]
    )
    audit_event_record(
        actor=actor, verb="orientation.started", target=orientation, unit=unit,
        newcomer=newcomer.pk, mentor=mentor.pk, card=card.pk, version=card.version,
    )
    _notify_started(orientation)
    return orientation


def _require_open(orientation: Orientation) -> None:
    if not orientation.is_open:
        raise ValidationError({"__all__": _("The orientation has ended: its items are no longer changed.")})


def _may_tick(actor, orientation) -> bool:
    return actor.pk == orientation.mentor_id or access.can(actor, access.P_COMPETENCE_RECORD, orientation.unit)


@transaction.atomic
def item_tick(*, actor, item: OrientationItem, done: bool = True) -> OrientationItem:
    """The mentor (or the unit's leaders) ticks an item as gone through (or takes
    the tick back)."""
    orientation = item.orientation
    if actor.pk == orientation.newcomer_id and actor.pk != orientation.mentor_id:
        raise ValidationError({"__all__": _("Your mentor ticks the items; you acknowledge the plans you have read.")})
    if not _may_tick(actor, orientation):
        raise ValidationError({"__all__": _("Only the mentor or the unit's supervisor ticks the items of this orientation.")})
    _require_open(orientation)
    if (item.ticked_at is not None) == done:
        return item  # already so (a step sent twice from the offline queue): the first tick's time stays
    item.ticked_at, item.ticked_by = (timezone.now(), actor) if done else (None, None)
    item.save(update_fields=["ticked_at", "ticked_by"])
    audit_event_record(actor=actor, verb="orientation.item_ticked" if done else "orientation.item_unticked",
                       target=orientation, unit=orientation.unit, item=item.pk)
    return item


@transaction.atomic
def item_acknowledge(*, actor, item: OrientationItem) -> OrientationItem:
    """The newcomer acknowledges having read the plan or instruction the item names."""
    orientation = item.orientation
    if actor.pk != orientation.newcomer_id:
        raise ValidationError({"__all__": _("Only the newcomer acknowledges reading their own items.")})
    if not item.card_item.needs_ack:
        raise ValidationError({"__all__": _("This item needs no acknowledgement.")})
    _require_open(orientation)
    if item.acknowledged_at is None:
        item.acknowledged_at = timezone.now()
        item.save(update_fields=["acknowledged_at"])
        audit_event_record(actor=actor, verb="orientation.item_acknowledged", target=orientation,
                           unit=orientation.unit, item=item.pk)
    return item


# --- The closing evaluation ---------------------------------------------------------------------------


def evaluator_role(actor, orientation) -> str | None:
    """Which evaluation `actor` writes: the newcomer's, the mentor's or the supervisor's."""
    if actor.pk == orientation.newcomer_id:
        return EvaluatorRole.NEWCOMER
    if actor.pk == orientation.mentor_id:
        return EvaluatorRole.MENTOR
    if access.can(actor, access.P_COMPETENCE_RECORD, orientation.unit):
        return EvaluatorRole.SUPERVISOR
    return None


@transaction.atomic
def evaluation_save(*, actor, orientation: Orientation, score, text: str) -> OrientationEvaluation:
    """The actor's evaluation of the orientation (once every item is done). The
    third evaluation completes the orientation."""
    by_role = evaluator_role(actor, orientation)
    if by_role is None:
        raise ValidationError({"__all__": _("Only the newcomer, the mentor and the supervisor evaluate the orientation.")})
    _require_open(orientation)
    errors = {}
    if orientation.items.filter(oselectors.undone_q()).exists():
        errors["__all__"] = _("The orientation is evaluated once every item is done.")
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Write a few words of how the orientation went.")
    elif len(text) > EVALUATION_TEXT_MAX:
        errors["text"] = _("Use at most %(limit)s characters.") % {"limit": EVALUATION_TEXT_MAX}
    if not isinstance(score, int) or not 1 <= score <= 5:
        errors["score"] = _("Give a score from 1 to 5.")
    if OrientationEvaluation.objects.filter(orientation=orientation, by_role=by_role).exists():
        errors["__all__"] = _("Your evaluation is already recorded.")
    if errors:
        raise ValidationError(errors)
    evaluation = OrientationEvaluation.objects.create(
        orientation=orientation, by_role=by_role, author=actor, score=score, text=text
    )
    written = set(orientation.evaluations.values_list("by_role", flat=True))
    orientation.state = OrientationState.DONE if written >= set(EvaluatorRole.values) else OrientationState.EVALUATION
    if orientation.state == OrientationState.DONE:
        orientation.ended_on = timezone.localdate()
    orientation.save(update_fields=["state", "ended_on"])
    audit_event_record(actor=actor, verb="orientation.evaluated", target=orientation, unit=orientation.unit,
                       by_role=by_role, score=score)
    return evaluation


@transaction.atomic
def evaluation_action(*, actor, evaluation: OrientationEvaluation, title: str, owner, due_date):
    """A finding of an evaluation becomes an improvement action of the unit (for
    the card or the unit's orientation practice), through improvement's service."""
    orientation = evaluation.orientation
    if evaluation.action_id:
        raise ValidationError({"__all__": _("An action has already been made of this evaluation.")})
    action = action_create(
        actor=actor, unit=orientation.unit, title=title, owner=owner, due_date=due_date, source=evaluation,
        kind=ActionKind.DEVELOPMENT,
        description=_("From the evaluation of an orientation (card %(card)s).") % {"card": str(orientation.card)},
    )
    evaluation.action_id = action.pk
    evaluation.save(update_fields=["action_id"])
    audit_event_record(actor=actor, verb="orientation.action_made", target=orientation, unit=orientation.unit,
                       action=action.pk)
    return action


# --- People leave ------------------------------------------------------------------------------------


def person_left(*, actor, person, unit) -> None:
    """core.registry MEMBERSHIP_ENDED: `person` left `unit` (None: deactivated).
    In the units where they are no longer on the staff, their own open
    orientation ends (kept, marked ended) and the orientations they mentor pass
    to the unit's supervisor (else its responsible person). Nothing is deleted."""
    still = set(access_people.memberships_of(selectors.STAFF_ROLES, user=person).values_list("unit_id", flat=True))
    open_ones = Orientation.objects.filter(state__in=oselectors.OPEN_STATES).exclude(unit_id__in=still)
    if unit is not None:
        open_ones = open_ones.filter(unit=unit)
    today = timezone.localdate()
    for orientation in open_ones.filter(newcomer=person).select_related("unit"):
        orientation.state, orientation.ended_on = OrientationState.ENDED, today
        orientation.save(update_fields=["state", "ended_on"])
        audit_event_record(actor=actor, verb="orientation.ended", target=orientation, unit=orientation.unit,
                           reason="left")
    for orientation in open_ones.filter(mentor=person).exclude(newcomer=person).select_related("unit", "newcomer"):
        successor = _unit_leader(orientation.unit, exclude=person)
        if successor is None:
            continue
        orientation.mentor = successor
        orientation.save(update_fields=["mentor"])
        audit_event_record(actor=actor, verb="orientation.mentor_passed", target=orientation, unit=orientation.unit,
                           former=person.pk, mentor=successor.pk)
        values = {"newcomer": orientation.newcomer.full_name, "unit": orientation.unit.name}
        _notify(successor, kind="orientation.mentor", link=_orientation_link(orientation),
                subject=_("You are now the main mentor of %(newcomer)s") % values,
                body=_("The former mentor left %(unit)s: the orientation of %(newcomer)s passed to you.") % values)


def _unit_leader(unit, *, exclude):
    for role in (Role.SUPERVISOR, Role.RESPONSIBLE_PERSON):
        membership = (
            access_people.memberships_of([role], unit=unit).exclude(user=exclude).select_related("user")
            .order_by("user__full_name", "user_id").first()
        )
        if membership is not None:
            return membership.user
    return None
