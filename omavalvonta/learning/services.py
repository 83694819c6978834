"""Writes of learning reviews. Each service: keyword-only arguments with `actor`
first, @transaction.atomic, the kernel checked again, an AuditEvent in the same
transaction. Acknowledgements and actions go through improvement's services
(one mechanism for the whole product). Rule failures raise ValidationError
with a translated message, keyed by the form field to blame."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.lib.typed import typed_text
from omavalvonta.core.services import audit_event_record
from omavalvonta.deviations import selectors as deviation_selectors
from omavalvonta.improvement import services as improvement_services
from omavalvonta.learning import selectors
from omavalvonta.learning.models import QUESTIONS, LearningReview, LearningSummary, State
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access, access_people
from omavalvonta.organisation.models import Role, ServiceType

TITLE_MAX = 250
ANSWER_MAX = 5000
SUMMARY_MAX = 2000
DEFAULT_DUE_DAYS = 30


def _clean(value) -> str:
    return (value or "").strip()


def _audit(actor, verb, review, **data):
    audit_event_record(actor=actor, verb=verb, target=review, unit=review.unit, **data)


def _check_people(errors: dict, *, facilitator, participants, units) -> None:
    allowed = {p.pk for p in selectors.people_for(units=units)}
    if facilitator is None or not facilitator.is_active or facilitator.pk not in allowed:
        errors["facilitator"] = _("Choose a facilitator who works in or over the unit.")
    if any(p.pk not in allowed or not p.is_active for p in participants):
        errors["participants"] = _("Choose participants who work in or over the unit.")


def _check_right_to_open(actor, unit, origin: str, errors: dict) -> None:
    """From scratch: learning.open in the unit (organisation-wide for a review
    without one). From an origin: its provider's consent, in one of its units."""
    if origin:
        data = selectors.origin_resolve(origin, actor=actor)
        if data is None:
            raise ValidationError(
                {"origin": _("A learning review cannot be opened from this record: it does not exist, or it is not yours to review.")}
            )
        if unit is not None and unit.pk not in {u.pk for u in data["units"]}:
            errors["unit"] = _("Choose one of the units the record concerns.")
        if unit is None and not selectors.may_open_organisation_wide(actor):
            errors["unit"] = _("Choose the unit the review is about.")
    elif unit is None:
        if not selectors.may_open_organisation_wide(actor):
            raise PermissionDenied(access.P_LEARNING_OPEN)
    else:
        access.require(actor, access.P_LEARNING_OPEN, unit)


def _check_due(errors: dict, due_date):
    today = timezone.localdate()
    if due_date is None:
        return today + dt.timedelta(days=DEFAULT_DUE_DAYS)
    if not isinstance(due_date, dt.date):
        errors["due_date"] = _("Give a date by which the review is completed.")
    elif due_date < today:
        errors["due_date"] = _("The date cannot be in the past.")
    return due_date


@transaction.atomic
def review_open(
    *,
    actor,
    unit,
    title: str,
    facilitator,
    participants=(),
    due_date: dt.date | None = None,
    deviation_ids=(),
    origin: str = "",
) -> LearningReview:
    """Open a learning review in `unit` (None: organisation-wide).

    From scratch the actor needs learning.open in the unit (organisation-wide
    for a review without a unit). From an origin ("name:id", core.registry
    LEARNING_ORIGINS) the origin's provider decides: the actor may open a
    review from that record (a deviation's handler) in one of the units it
    names. Linked deviations must be ones the actor may see."""
    origin = _clean(origin)
    errors: dict = {}
    _check_right_to_open(actor, unit, origin, errors)
    title = typed_text(errors, "title", title, TITLE_MAX, required=_("Give the review a title."))
    participants = list(participants or [])
    ids = sorted({int(i) for i in deviation_ids or []})
    visible = set(deviation_selectors.deviation_list(actor=actor).filter(pk__in=ids).values_list("pk", flat=True))
    if len(visible) != len(ids):
        errors["deviations"] = _("Link only deviations you may see.")
    units = [unit] if unit is not None else []
    _check_people(errors, facilitator=facilitator, participants=participants, units=units)
    due_date = _check_due(errors, due_date)
    if errors:
        raise ValidationError(errors)
    review = LearningReview.objects.create(
        unit=unit, title=title, facilitator=facilitator, origin=origin, due_date=due_date, opened_by=actor
    )
    if participants:
        review.participants.set(participants)
    if ids:
        review.deviations.set(ids)
    _audit(actor, "learning.opened", review, origin=origin, deviations=len(ids), participants=len(participants))
    link = review.get_absolute_url()
    for person in {p.pk: p for p in [facilitator, *participants]}.values():
        if person.pk == actor.pk:
            continue
        notification_enqueue(
            recipient=person,
            kind="learning.invited",
            subject=_("A learning review: %(title)s") % {"title": title[:150]},
            body=_("%(actor)s opened a learning review and asks you to take part. Open it in the system.")
            % {"actor": actor},
            link=link,
        )
    return review


def _require_facilitator(actor, review: LearningReview) -> None:
    if actor.pk != review.facilitator_id:
        raise PermissionDenied("learning.facilitate")


def _require_open(review: LearningReview) -> None:
    if review.state != State.OPEN:
        raise ValidationError(_("This review has been completed."))


@transaction.atomic
def review_answers_save(*, actor, review: LearningReview, answers: dict, expected_version: int | None = None):
    """The facilitator writes the five answers (any may stay empty until completion)."""
    _require_facilitator(actor, review)
    _require_open(review)
    errors: dict = {}
    cleaned = {}
    for field, _label in QUESTIONS:
        cleaned[field] = typed_text(errors, field, answers.get(field), ANSWER_MAX)
    if errors:
        raise ValidationError(errors)
    edit_version_claim(review, expected=expected_version)
    for field, value in cleaned.items():
        setattr(review, field, value)
    review.save(update_fields=[*cleaned])
    _audit(actor, "learning.answers_saved", review)
    return review


@transaction.atomic
def review_participants_set(*, actor, review: LearningReview, participants) -> None:
    """The facilitator changes who takes part."""
    _require_facilitator(actor, review)
    _require_open(review)
    participants = list(participants or [])
    errors: dict = {}
    _check_people(errors, facilitator=review.facilitator, participants=participants,
                  units=selectors.review_units(review=review))
    errors.pop("facilitator", None)
    if errors:
        raise ValidationError(errors)
    review.participants.set(participants)
    _audit(actor, "learning.participants_set", review, participants=len(participants))


@transaction.atomic
def review_action_add(*, actor, review: LearningReview, unit, title: str, owner, due_date):
    """An action the review decided, in one of its units, through improvement's
    action service with the review as its source. The facilitator, or someone
    who manages actions in that unit."""
    _require_open(review)
    units = selectors.review_units(review=review)
    if unit is None or unit.pk not in {u.pk for u in units}:
        raise ValidationError({"unit": _("Choose one of the units the review concerns.")})
    if not selectors.may_add_action(actor, review, unit):
        raise PermissionDenied(access.P_ACTION_MANAGE)
    errors: dict = {}
    if owner is None or not owner.is_active or not access.sees_unit(owner, unit):
        errors["owner"] = _("Choose an owner who works in this unit.")
    if isinstance(due_date, dt.date) and due_date < timezone.localdate():
        errors["due_date"] = _("The due date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    # Our own checks (the facilitator, the owner in the unit) stand in for the
    # action service's default one (action.manage).
    action = improvement_services.action_create(
        actor=actor, unit=unit, title=title, owner=owner, due_date=due_date, source=review, check_access=False,
        source_kind="other",
    )
    _audit(actor, "learning.action_added", review, action_id=action.pk)
    return action


@transaction.atomic
def review_complete(*, actor, review: LearningReview, summary: str) -> LearningSummary:
    """The facilitator completes the review with its learning summary: a short,
    anonymised text (no names) for other units. "What we learn" must be answered."""
    _require_facilitator(actor, review)
    review = LearningReview.objects.select_for_update().get(pk=review.pk)
    _require_open(review)
    errors: dict = {}
    summary = typed_text(
        errors, "summary", summary, SUMMARY_MAX,
        required=_("Write the learning summary: what other units should know, without names."),
    )
    if not review.learned.strip():
        errors["__all__"] = _("Answer “What do we learn” before completing the review.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    edit_version_claim(review)
    review.state = State.COMPLETED
    review.completed_at = now
    review.save(update_fields=["state", "completed_at"])
    result = LearningSummary.objects.create(
        review=review, unit=review.unit, title=review.title, text=summary, written_by=actor, written_at=now
    )
    _audit(actor, "learning.completed", review)
    return result


@transaction.atomic
def summary_share(*, actor, summary: LearningSummary, service_type: str = "") -> int:
    """The quality director shares a completed review's summary with every
    active unit or with the units of one service type. Returns at once with
    the number of units reached: the acknowledgement requests to everyone
    working in them (tens of thousands at 2,000 units) are made by the worker's
    job `learning.share_requests` (summary_requests_make), which asks nobody
    twice, so sharing more widely reaches only the newcomers."""
    if not selectors.may_share(actor):
        raise PermissionDenied(access.P_LEARNING_SHARE)
    if service_type and service_type not in ServiceType.values:
        raise ValidationError({"service_type": _("Choose a service type, or every unit.")})
    summary = LearningSummary.objects.select_for_update().get(pk=summary.pk)
    if summary.shared_at is not None and summary.service_type and service_type != summary.service_type:
        service_type = ""  # shared more widely: every unit
    elif summary.shared_at is not None and not summary.service_type:
        service_type = ""
    units = selectors.share_units(service_type=service_type).count()
    if not units:
        raise ValidationError({"service_type": _("There are no active units of this service type.")})
    now = timezone.now()
    summary.shared_at = summary.shared_at or now
    summary.shared_by = summary.shared_by or actor
    summary.service_type = service_type
    summary.requests_pending_since = now
    summary.requests_by = actor
    summary.save(update_fields=["shared_at", "shared_by", "service_type", "requests_pending_since", "requests_by"])
    audit_event_record(
        actor=actor, verb="learning.summary_shared", target=summary, unit=summary.unit,
        service_type=service_type, units=units,
    )
    return units


REQUESTS_BATCH = 20  # summaries a job run takes on


def summary_requests_make(*, limit: int = REQUESTS_BATCH) -> int:
    """The worker's job (core.jobs "learning.share_requests"): for each shared
    summary whose requests are pending, everyone working in the units it was
    shared with is asked to acknowledge it (improvement's acknowledgements).
    Each summary is claimed with a conditional UPDATE in its own transaction:
    two workers never make its requests twice, and a run that fails half-way
    leaves the claim undone for the next one (people already asked are skipped
    anyway). Returns how many people were asked."""
    pending = list(
        LearningSummary.objects.filter(requests_pending_since__isnull=False)
        .order_by("requests_pending_since", "pk")
        .values_list("pk", "requests_pending_since")[:limit]
    )
    asked = 0
    for pk, since in pending:
        with transaction.atomic():
            if not _claim(pk, since):
                continue  # another worker took it
            summary = LearningSummary.objects.select_related("requests_by", "shared_by").get(pk=pk)
            asked += _requests_make(summary)
    return asked


def _claim(pk: int, since) -> bool:
    """The conditional UPDATE: True for the one worker that turns the pending mark off."""
    return bool(LearningSummary.objects.filter(pk=pk, requests_pending_since=since).update(requests_pending_since=None))


def _requests_make(summary: LearningSummary) -> int:
    with translation.override(settings.LANGUAGE_CODE):  # stored texts in the site's language, whoever runs the job
        return _requests_make_now(summary)


def _requests_make_now(summary: LearningSummary) -> int:
    actor = summary.requests_by or summary.shared_by
    units = list(selectors.share_units(service_type=summary.service_type))
    staff = selectors.unit_staff(units=units)
    reason = (_("Learning summary: %(title)s") % {"title": summary.title})[:200]
    link = summary.get_absolute_url()
    asked = 0
    for unit in units:
        people = staff.get(unit.pk) or []
        if people:
            asked += improvement_services.acknowledgements_request(
                actor=actor, unit=unit, target=summary, users=people, reason=reason, link=link
            )
    audit_event_record(
        actor=actor, verb="learning.acknowledgements_requested", target=summary, unit=summary.unit,
        service_type=summary.service_type, units=len(units), asked=asked,
    )
    return asked


@transaction.atomic
def summary_acknowledge(*, actor, summary: LearningSummary) -> bool:
    """The person confirms they have read the summary (their own request only;
    improvement's service writes it). False when nothing was waiting."""
    acknowledgement = selectors.own_pending_acknowledgement(actor=actor, summary=summary)
    if acknowledgement is None:
        return False
    improvement_services.acknowledgement_confirm(actor=actor, acknowledgement=acknowledgement)
    return True


# --- People leave (core.registry MEMBERSHIP_ENDED) -------------------------------------------------


def reviews_hand_over(*, actor, person, unit) -> None:
    """core.registry MEMBERSHIP_ENDED: `person` left `unit` (None: deactivated,
    every unit). The open reviews they facilitate in a unit they no longer
    work in or over pass to the unit's supervisor, else to the person who
    opened the review; organisation-wide ones pass to their opener when the
    person has no role left (or was deactivated). An audit event records each
    handover and the new facilitator is told. A review nobody can take stays
    as it is (the quality calendar keeps reminding of it when late)."""
    reviews = LearningReview.objects.filter(state=State.OPEN, facilitator=person).select_related("unit", "opened_by")
    if unit is not None:
        passing = Q(pk__in=[])
        if not access_people.memberships_of(covering=unit, user=person).exists():
            passing |= Q(unit=unit)
        if not access_people.memberships_of(user=person).exists():
            passing |= Q(unit__isnull=True)  # no role left anywhere
        reviews = reviews.filter(passing)
    for review in reviews.order_by("pk"):
        successor = _successor(review, leaver=person)
        if successor is None:
            continue
        review.facilitator = successor
        review.save(update_fields=["facilitator"])
        _audit(actor, "learning.facilitator_passed", review, former=person.pk, facilitator=successor.pk,
               reason="left" if unit is not None else "deactivated")
        notification_enqueue(
            recipient=successor,
            kind="learning.facilitator_passed",
            subject=_("You now facilitate the learning review: %(title)s") % {"title": review.title[:150]},
            body=_("The former facilitator no longer works in the unit: the review passed to you. "
                   "Open it in the system."),
            link=review.get_absolute_url(),
        )


def _successor(review: LearningReview, *, leaver):
    """The unit's supervisor (not the leaver), else the review's opener if they
    are still active and not the leaver."""
    if review.unit_id is not None:
        membership = (
            access_people.memberships_of([Role.SUPERVISOR], unit=review.unit).exclude(user=leaver)
            .select_related("user").order_by("user__full_name", "user_id").first()
        )
        if membership is not None:
            return membership.user
    opener = review.opened_by
    if opener.pk != leaver.pk and opener.is_active:
        return opener
    return None
