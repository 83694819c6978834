"""Writes of the feedback area: question sets, rounds, links and kiosks, and
answers (the public channel's writes are in channel.py, the team goals' in
goals.py). Answers are anonymous: no service here stores who answered (see
models.py)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.services import audit_event_record, retention_due
from omavalvonta.feedback import tallies
from omavalvonta.feedback.models import (
    LANGUAGES,
    ON_BEHALF_CHANNELS,
    Answer,
    Channel,
    Group,
    Kiosk,
    Question,
    QuestionKind,
    Response,
    ResponseLink,
    Round,
    Survey,
    SurveyState,
)
from omavalvonta.feedback.tokens import token_digest, token_generate, token_is_well_formed
from omavalvonta.organisation import access

MAX_LINKS_PER_BATCH = 200
MAX_TEXT_ANSWER = 2000


# --- Question sets ------------------------------------------------------------------


def _require_survey_edit(actor) -> None:
    if not access.has_perm_anywhere(actor, access.P_SURVEY_EDIT):
        raise PermissionDenied(access.P_SURVEY_EDIT)


def _clean_texts(value: dict | None) -> dict:
    return {lang: " ".join(str((value or {}).get(lang, "")).split()) for lang in LANGUAGES}


@transaction.atomic
def survey_draft_for(*, actor, group: str) -> Survey:
    """The group's draft, created as a copy of its published version when there is
    none (requires feedback.survey_edit). Published versions are never edited."""
    _require_survey_edit(actor)
    if group not in Group.values:
        raise ValidationError({"group": _("Choose the respondent group.")})
    draft = Survey.objects.filter(group=group, state=SurveyState.DRAFT).first()
    if draft is not None:
        return draft
    latest = Survey.objects.filter(group=group).order_by("-version").first()
    draft = Survey.objects.create(
        group=group,
        version=(latest.version + 1) if latest else 1,
        title=latest.title if latest else {},
        intro=latest.intro if latest else {},
    )
    if latest is not None:
        Question.objects.bulk_create(
            Question(survey=draft, position=q.position, key=q.key, kind=q.kind, text=q.text, required=q.required)
            for q in latest.questions.all()
        )
    audit_event_record(actor=actor, verb="feedback.survey_draft_created", target=draft, group=group, version=draft.version)
    return draft


@transaction.atomic
def survey_draft_discard(*, actor, survey: Survey) -> None:
    """Throw a draft away (requires feedback.survey_edit); the published versions
    and their answers are untouched. A published version is never deleted."""
    _require_survey_edit(actor)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.state != SurveyState.DRAFT:
        raise ValidationError(_("Only a draft can be discarded."))
    audit_event_record(
        actor=actor, verb="feedback.survey_draft_discarded", target=survey, group=survey.group, version=survey.version
    )
    survey.questions.all().delete()
    survey.delete()


@transaction.atomic
def survey_draft_save(
    *, actor, survey: Survey, title: dict, intro: dict, questions: list[dict], expected_version: int | None = None
) -> Survey:
    """Replace a draft's texts and questions. `questions`: dicts with key, kind,
    text ({"fi","sv","en"}), required, in order. Finnish text is required; a key
    may appear once; at most one NPS question. `expected_version`: the draft's
    edit version when the form was opened; a newer save refuses this one."""
    _require_survey_edit(actor)
    if survey.state != SurveyState.DRAFT:
        raise ValidationError(_("A published version cannot be changed. Start a new version."))
    errors: dict[str, list] = {}
    title = _clean_texts(title)
    if not title["fi"]:
        errors.setdefault("title", []).append(_("Give the title in Finnish."))
    keys, nps_count = set(), 0
    for index, q in enumerate(questions, start=1):
        key, kind = (q.get("key") or "").strip(), q.get("kind")
        if kind not in QuestionKind.values:
            errors.setdefault("questions", []).append(_("Question %(n)d: choose the kind.") % {"n": index})
        if not key or key in keys:
            errors.setdefault("questions", []).append(
                _("Question %(n)d: give a key that no other question of the set has.") % {"n": index}
            )
        keys.add(key)
        nps_count += kind == QuestionKind.NPS
        if not _clean_texts(q.get("text"))["fi"]:
            errors.setdefault("questions", []).append(_("Question %(n)d: give the question in Finnish.") % {"n": index})
    if nps_count > 1:
        errors.setdefault("questions", []).append(_("A set can have only one recommendation (NPS) question."))
    if not questions:
        errors.setdefault("questions", []).append(_("Add at least one question."))
    if errors:
        raise ValidationError(errors)
    edit_version_claim(survey, expected=expected_version)
    survey.title, survey.intro = title, _clean_texts(intro)
    survey.save(update_fields=["title", "intro", "updated_at"])
    survey.questions.all().delete()
    Question.objects.bulk_create(
        Question(
            survey=survey,
            position=i,
            key=q["key"].strip(),
            kind=q["kind"],
            text=_clean_texts(q.get("text")),
            required=bool(q.get("required")),
        )
        for i, q in enumerate(questions, start=1)
    )
    audit_event_record(actor=actor, verb="feedback.survey_saved", target=survey, questions=len(questions))
    return survey


@transaction.atomic
def survey_publish(*, actor, survey: Survey) -> Survey:
    """Publish a draft: new answers get this version; the previous one is retired
    (its answers keep pointing at it)."""
    _require_survey_edit(actor)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.state != SurveyState.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    if not survey.questions.exists():
        raise ValidationError(_("Add at least one question."))
    Survey.objects.filter(group=survey.group, state=SurveyState.PUBLISHED).update(state=SurveyState.RETIRED)
    survey.state, survey.published_at = SurveyState.PUBLISHED, timezone.now()
    survey.save(update_fields=["state", "published_at", "updated_at"])
    audit_event_record(actor=actor, verb="feedback.survey_published", target=survey, version=survey.version)
    return survey


# --- Rounds, links and kiosks -------------------------------------------------------------


def quarter_dates(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * quarter - 2, 1)
    last = (dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)) - dt.timedelta(days=1)
    return first, last


@transaction.atomic
def round_create(*, actor, unit, year: int, quarter: int, opens_on: dt.date | None = None, closes_on: dt.date | None = None) -> Round:
    """Open a quarter's round in `unit` (requires feedback.manage there). Dates
    default to the quarter's first and last day; one round per unit and quarter."""
    access.require(actor, access.P_FEEDBACK_MANAGE, unit)
    errors = {}
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = _("Choose a quarter from 1 to 4.")
    if not (2000 <= (year or 0) <= 2100):
        errors["year"] = _("Give a year.")
    if errors:
        raise ValidationError(errors)
    first, last = quarter_dates(year, quarter)
    opens_on, closes_on = opens_on or first, closes_on or last
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The round cannot close before it opens.")})
    if Round.objects.filter(unit=unit, year=year, quarter=quarter).exists():
        raise ValidationError({"quarter": _("The unit already has a round for this quarter.")})
    try:
        with transaction.atomic():
            round_ = Round.objects.create(unit=unit, year=year, quarter=quarter, opens_on=opens_on, closes_on=closes_on)
    except IntegrityError:
        raise ValidationError({"quarter": _("The unit already has a round for this quarter.")}) from None
    audit_event_record(actor=actor, verb="feedback.round_created", target=round_, unit=unit, round=round_.label)
    return round_


@transaction.atomic
def round_dates_update(*, actor, round: Round, opens_on: dt.date, closes_on: dt.date) -> Round:
    """Move a round's opening or closing day, e.g. to give the families another
    week (feedback.manage in its unit). Answers already given stay in the round."""
    access.require(actor, access.P_FEEDBACK_MANAGE, round.unit)
    errors = {}
    if opens_on is None:
        errors["opens_on"] = _("Give the day the round opens.")
    if closes_on is None:
        errors["closes_on"] = _("Give the day the round closes.")
    if not errors and closes_on < opens_on:
        errors["closes_on"] = _("The round cannot close before it opens.")
    if errors:
        raise ValidationError(errors)
    before = (round.opens_on, round.closes_on)
    round.opens_on, round.closes_on = opens_on, closes_on
    round.save(update_fields=["opens_on", "closes_on"])
    audit_event_record(
        actor=actor,
        verb="feedback.round_dates_changed",
        target=round,
        unit=round.unit,
        before=[d.isoformat() for d in before],
        after=[opens_on.isoformat(), closes_on.isoformat()],
    )
    return round


@transaction.atomic
def links_create(*, actor, round: Round, group: str, count: int) -> list[str]:
    """Make `count` single-use answer links for `group`; returns the tokens, which
    are shown once (for the printed QR sheet) and stored only as digests."""
    access.require(actor, access.P_FEEDBACK_MANAGE, round.unit)
    if group not in Group.values:
        raise ValidationError({"group": _("Choose the respondent group.")})
    if not (1 <= (count or 0) <= MAX_LINKS_PER_BATCH):
        raise ValidationError({"count": _("Make from 1 to %(max)d links at a time.") % {"max": MAX_LINKS_PER_BATCH}})
    if round.closes_on < timezone.localdate():
        raise ValidationError(_("The round has closed."))
    tokens = [token_generate() for _ in range(count)]
    ResponseLink.objects.bulk_create(
        ResponseLink(round=round, unit_id=round.unit_id, group=group, token_digest=token_digest(t)) for t in tokens
    )
    audit_event_record(actor=actor, verb="feedback.links_created", target=round, unit=round.unit, group=group, count=count)
    return tokens


@transaction.atomic
def kiosk_start(*, actor, round: Round, group: str) -> str:
    """Start kiosk mode on a tablet for `group`; returns the kiosk's token (its
    address). The kiosk stops when the round closes or staff stop it."""
    access.require(actor, access.P_FEEDBACK_MANAGE, round.unit)
    if group not in Group.values:
        raise ValidationError({"group": _("Choose the respondent group.")})
    if not round.is_open():
        raise ValidationError(_("The round is not open today."))
    token = token_generate()
    kiosk = Kiosk.objects.create(round=round, unit_id=round.unit_id, group=group, token_digest=token_digest(token))
    audit_event_record(actor=actor, verb="feedback.kiosk_started", target=round, unit=round.unit, group=group, kiosk=kiosk.pk)
    return token


@transaction.atomic
def kiosk_stop(*, actor, kiosk: Kiosk) -> None:
    access.require(actor, access.P_FEEDBACK_MANAGE, kiosk.round.unit)
    if not kiosk.closed:
        kiosk.closed = True
        kiosk.save(update_fields=["closed"])
        audit_event_record(actor=actor, verb="feedback.kiosk_stopped", target=kiosk.round, unit=kiosk.round.unit, kiosk=kiosk.pk)


# --- Answers ------------------------------------------------------------------------------


def current_survey(group: str) -> Survey | None:
    return Survey.objects.filter(group=group, state=SurveyState.PUBLISHED).order_by("-version").first()


def _validated_answers(survey: Survey, answers: dict) -> tuple[int | None, list[tuple[Question, int | None, str]]]:
    errors, rows, nps = {}, [], None
    for q in survey.questions.all():
        raw = answers.get(q.key)
        empty = raw is None or (isinstance(raw, str) and not raw.strip())
        if empty:
            if q.required:
                errors[q.key] = _("Answer this question.")
            continue
        if q.kind == QuestionKind.TEXT:
            text = str(raw).strip()
            if len(text) > MAX_TEXT_ANSWER:
                errors[q.key] = _("Write at most %(max)d characters.") % {"max": MAX_TEXT_ANSWER}
            else:
                rows.append((q, None, text))
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = -1
        low, high = (0, 10) if q.kind == QuestionKind.NPS else (1, 5)
        if not low <= value <= high:
            errors[q.key] = _("Choose one of the options.")
        elif q.kind == QuestionKind.NPS:
            nps = value
        else:
            rows.append((q, value, ""))
    if errors:
        raise ValidationError(errors)
    if nps is None and not rows:
        raise ValidationError(_("Answer at least one question."))
    return nps, rows


def _store_response(
    *, round: Round, group: str, channel: str, language: str, survey: Survey, answers: dict, submitted_on=None
) -> Response:
    """Store a response, its answers and their tallies (in the caller's transaction)."""
    nps, rows = _validated_answers(survey, answers)
    response = Response.objects.create(
        round=round,
        unit_id=round.unit_id,
        survey=survey,
        group=group,
        channel=channel,
        language=(language or "fi")[:2] if (language or "fi")[:2] in LANGUAGES else "fi",
        submitted_on=submitted_on or timezone.localdate(),
        nps=nps,
    )
    Answer.objects.bulk_create(
        Answer(response=response, unit_id=round.unit_id, round=round, question=q, key=q.key, value=value, text=text)
        for q, value, text in rows
    )
    deltas = tallies.new_deltas()
    unit = round.unit
    tallies.response_delta(
        deltas, unit_id=unit.pk, region_id=unit.region_id, service_type=unit.service_type, year=round.year,
        quarter=round.quarter, submitted_on=response.submitted_on, group=group, nps=nps,
        values=[(q.key, value) for q, value, _text in rows],
    )
    tallies.apply(deltas)
    return response


@transaction.atomic
def responses_remove(*, responses) -> int:
    """Destroy the responses of the queryset `responses` with their answers (as
    retention does when their time is up) and take them off the tallies, in one
    transaction. The number of responses removed."""
    responses = responses.select_for_update(of=("self",))
    deltas = tallies.deltas_of_responses(responses, Answer)
    ids = list(responses.values_list("pk", flat=True))
    Answer.objects.filter(response_id__in=ids).delete()
    Response.objects.filter(pk__in=ids).delete()
    tallies.apply(deltas, sign=-1)
    return len(ids)


def _survey_or_error(group: str, survey_id: int | None) -> Survey:
    """The version the form was shown with (still published or retired since), else the current one."""
    survey = None
    if survey_id:
        survey = Survey.objects.filter(pk=survey_id, group=group).exclude(state=SurveyState.DRAFT).first()
    survey = survey or current_survey(group)
    if survey is None:
        raise ValidationError(_("There is no question set for this group yet."))
    return survey


class LinkUnavailable(Exception):
    """The link is unknown, used already, or its round is not open."""


def link_for_token(token: str, *, lock: bool = False) -> ResponseLink | None:
    if not token_is_well_formed(token):
        return None
    qs = ResponseLink.objects.select_related("round", "round__unit")
    if lock:
        qs = qs.select_for_update()
    return qs.filter(token_digest=token_digest(token)).first()


@transaction.atomic
def response_submit_with_link(*, token: str, answers: dict, language: str, survey_id: int | None = None) -> Response:
    """Answer through a single-use link. The link is locked and marked used in
    the same transaction, so two tabs cannot both answer. The answer does not
    point at the link."""
    link = link_for_token(token, lock=True)
    if link is None or link.used or not link.round.is_open():
        raise LinkUnavailable
    survey = _survey_or_error(link.group, survey_id)
    response = _store_response(
        round=link.round, group=link.group, channel=Channel.LINK, language=language, survey=survey, answers=answers
    )
    link.used = True
    link.save(update_fields=["used"])
    return response


def kiosk_for_token(token: str) -> Kiosk | None:
    if not token_is_well_formed(token):
        return None
    kiosk = Kiosk.objects.select_related("round", "round__unit").filter(token_digest=token_digest(token)).first()
    if kiosk is None or kiosk.closed or not kiosk.round.is_open():
        return None
    return kiosk


@transaction.atomic
def response_submit_kiosk(*, token: str, answers: dict, language: str, survey_id: int | None = None) -> Response:
    """Answer on the unit's tablet (kiosk mode)."""
    kiosk = kiosk_for_token(token)
    if kiosk is None:
        raise LinkUnavailable
    survey = _survey_or_error(kiosk.group, survey_id)
    return _store_response(
        round=kiosk.round, group=kiosk.group, channel=Channel.KIOSK, language=language, survey=survey, answers=answers
    )


@transaction.atomic
def response_record_on_behalf(
    *, actor, round: Round, group: str, channel: str, answers: dict, language: str = "fi", survey_id: int | None = None
) -> Response:
    """Staff record oral or paper feedback on a respondent's behalf (requires
    feedback.manage). The answer is marked by its channel; the audit trail says a
    recording was made in the round, not which answer it was."""
    access.require(actor, access.P_FEEDBACK_MANAGE, round.unit)
    errors = {}
    if group not in Group.values:
        errors["group"] = _("Choose the respondent group.")
    if channel not in ON_BEHALF_CHANNELS:
        errors["channel"] = _("Choose how the feedback was given.")
    if errors:
        raise ValidationError(errors)
    survey = _survey_or_error(group, survey_id)
    response = _store_response(round=round, group=group, channel=channel, language=language, survey=survey, answers=answers)
    audit_event_record(actor=actor, verb="feedback.recorded_on_behalf", target=round, unit=round.unit, group=group, channel=channel)
    return response


# --- Retention (privacy's table, registry.RETENTION) -------------------------------------
# Destroyed answers are subtracted from the tallies (responses_remove): the live
# figures are always the sums of the answers that exist, as tallies_rebuild would
# count them. Figures already published (a follow-up report's frozen JSON) stay.


def responses_due(*, cutoff, limit: int) -> list:
    """Responses answered before `cutoff`: ids, answer dates, units."""
    return retention_due(Response.objects.filter(submitted_on__lt=cutoff), "submitted_on", limit=limit)


@transaction.atomic
def responses_destroy(*, ids) -> list[int]:
    """Destroy the responses `ids` with their answers, off the tallies. Returns
    the ids destroyed."""
    ids = list(Response.objects.filter(pk__in=list(ids)).values_list("pk", flat=True))
    if ids:
        responses_remove(responses=Response.objects.filter(pk__in=ids))
    return ids
