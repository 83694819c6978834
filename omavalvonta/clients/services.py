"""Writes of the placement records. Every write checks the kernel again
(client.manage in the placement's unit) and leaves an audit event."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.clients.models import (
    Placement,
    PlacementMention,
    PlacementType,
    SocialWorkerDelivery,
    SocialWorkerDownload,
)
from omavalvonta.clients.selectors import personal_worker_choices
from omavalvonta.core import registry
from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.services import access_log_outside_record, audit_event_record
from omavalvonta.organisation import access

# A child's birth year: from this many years before the placement (aftercare
# reaches young adults up to 25) to the placement's own year.
OLDEST_AGE = 30
EDITABLE_FIELDS = (
    "name", "birth_year", "placement_type", "county", "social_worker_name", "social_worker_email",
    "social_worker_phone", "starts_on", "client_plan_on", "care_plan_on", "personal_worker",
)



def _text(value, *, field: str, limit: int, missing, errors: dict) -> str:
    """One line of text, spaces tidied; `missing` is the message when it is empty."""
    text = " ".join((value or "").split())
    if not text:
        errors[field] = missing
    elif len(text) > limit:
        errors[field] = _("Use at most %(limit)s characters.") % {"limit": limit}
    return text


def _check_dates(starts_on, birth_year, today, errors: dict) -> None:
    if not isinstance(starts_on, dt.date):
        errors["starts_on"] = _("Give the date the placement started.")
    elif starts_on > today + dt.timedelta(days=366):
        errors["starts_on"] = _("The start cannot be more than a year ahead.")
    if not isinstance(birth_year, int):
        errors["birth_year"] = _("Give the child's birth year.")
        return
    ref_year = starts_on.year if isinstance(starts_on, dt.date) else today.year
    if birth_year > min(ref_year, today.year) or birth_year < ref_year - OLDEST_AGE:
        errors["birth_year"] = _("Give a birth year between %(first)s and %(last)s.") % {
            "first": ref_year - OLDEST_AGE,
            "last": min(ref_year, today.year),
        }


def _clean(*, unit, data: dict) -> dict:
    """Check one placement's details; a ValidationError names every bad field."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    name = _text(
        data.get("name"), field="name", limit=60, errors=errors,
        missing=_("Write the name the unit uses for the child, or initials."),
    )
    starts_on, birth_year = data.get("starts_on"), data.get("birth_year")
    _check_dates(starts_on, birth_year, today, errors)
    if data.get("placement_type") not in PlacementType.values:
        errors["placement_type"] = _("Choose the type of the placement.")
    if data.get("county") is None:
        errors["county"] = _("Choose the county that placed the child.")
    worker = _text(
        data.get("social_worker_name"), field="social_worker_name", limit=150, errors=errors,
        missing=_("Write the responsible social worker's name."),
    )
    email = (data.get("social_worker_email") or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["social_worker_email"] = _("Give the social worker's work e-mail address.")
    phone = (data.get("social_worker_phone") or "").strip()
    if len(phone) > 40:
        errors["social_worker_phone"] = _("Use at most %(limit)s characters.") % {"limit": 40}
    personal_worker = data.get("personal_worker")
    if personal_worker is not None and not personal_worker_choices(unit).filter(pk=personal_worker.pk).exists():
        errors["personal_worker"] = _("Choose the personal worker from the unit's staff.")
    for field in ("client_plan_on", "care_plan_on"):
        value = data.get(field)
        if value is not None and value > today:
            errors[field] = _("Give the date of a plan already made.")
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "birth_year": birth_year,
        "placement_type": data["placement_type"],
        "county": data["county"],
        "social_worker_name": worker,
        "social_worker_email": email,
        "social_worker_phone": phone,
        "starts_on": starts_on,
        "client_plan_on": data.get("client_plan_on"),
        "care_plan_on": data.get("care_plan_on"),
        "personal_worker": personal_worker,
    }


@transaction.atomic
def placement_create(*, actor, unit, **data) -> Placement:
    """Record a child's placement in `unit` (client.manage there)."""
    access.require(actor, access.P_CLIENT_MANAGE, unit)
    if not unit.is_active:
        raise ValidationError(_("This unit is no longer active."))
    placement = Placement.objects.create(unit=unit, created_by=actor, **_clean(unit=unit, data=data))
    # The audit trail names the record, never the child.
    audit_event_record(actor=actor, verb="placement.created", target=placement, unit=unit)
    return placement


@transaction.atomic
def placement_update(*, actor, placement: Placement, expected_version: int | None = None, **data) -> Placement:
    """Correct a placement's details (client.manage in its unit). An ended
    placement can still be corrected; its end is changed only by ending it."""
    access.require(actor, access.P_CLIENT_MANAGE, placement.unit)
    cleaned = _clean(unit=placement.unit, data=data)
    if placement.ends_on is not None and cleaned["starts_on"] > placement.ends_on:
        raise ValidationError({"starts_on": _("The start cannot be after the end of the placement.")})
    edit_version_claim(placement, expected=expected_version)
    changed = sorted(
        name for name in EDITABLE_FIELDS if getattr(placement, name) != cleaned[name]
    )
    for name, value in cleaned.items():
        setattr(placement, name, value)
    placement.save()
    audit_event_record(actor=actor, verb="placement.changed", target=placement, unit=placement.unit, fields=changed)
    return placement


@transaction.atomic
def placement_end(*, actor, placement: Placement, ends_on: dt.date) -> Placement:
    """End a placement on the day the child left: the record is kept, and the
    child leaves the unit's daily lists and the report form's choices."""
    access.require(actor, access.P_CLIENT_MANAGE, placement.unit)
    if placement.ends_on is not None:
        raise ValidationError(_("This placement has already ended."))
    if not isinstance(ends_on, dt.date):
        raise ValidationError({"ends_on": _("Give the date the placement ended.")})
    if ends_on > timezone.localdate():
        raise ValidationError({"ends_on": _("A placement is ended on the day it ended, not ahead of time.")})
    if ends_on < placement.starts_on:
        raise ValidationError({"ends_on": _("The end cannot be before the start of the placement.")})
    edit_version_claim(placement)
    placement.ends_on = ends_on
    placement.save(update_fields=["ends_on", "edit_version", "updated_at"])
    audit_event_record(
        actor=actor, verb="placement.ended", target=placement, unit=placement.unit, ends_on=ends_on.isoformat()
    )
    return placement


def record_children_name(*, actor, record, unit, ids) -> list[Placement]:
    """Record that `record` (in `unit`) concerns the placed children `ids`: each
    a current placement of the unit that `actor` may see. Runs inside the
    caller's transaction (the report's own), so a refused choice files nothing."""
    wanted = []
    for value in ids or ():
        try:
            pk = int(value)
        except (TypeError, ValueError):
            raise ValidationError({"children": _("Choose the children among the unit's children.")}) from None
        if pk not in wanted:
            wanted.append(pk)
    if not wanted:
        return []
    if not access.can(actor, access.P_CLIENT_VIEW, unit):
        raise ValidationError({"children": _("You cannot name the children of this unit.")})
    placements = list(
        Placement.objects.filter(unit=unit, pk__in=wanted).current(timezone.localdate()).order_by("name", "pk")
    )
    if len(placements) != len(wanted):
        raise ValidationError({"children": _("Choose the children among the unit's children.")})
    target_type = ContentType.objects.get_for_model(record)
    PlacementMention.objects.bulk_create(
        [PlacementMention(placement=p, unit=unit, target_type=target_type, target_id=record.pk) for p in placements],
        ignore_conflicts=True,
    )
    return placements


# --- Documents for the child's social worker (link + one-time code) ----------------------

# How long a link works, and how many wrong codes lock it.
DELIVERY_VALID_FOR = dt.timedelta(days=14)
DELIVERY_MAX_FAILED = 5
DELIVERY_CODE_DIGITS = 8


def _keyed_hash(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def _code_hash(token_hash: str, code: str) -> str:
    return _keyed_hash(f"{token_hash}:{code}")


def delivery_url(token: str) -> str:
    """The download page of a delivery's raw token (public: the code protects it)."""
    return reverse("public:delivery", args=[token])


@transaction.atomic
def social_worker_deliver(
    *, placement: Placement, generator: str, params: dict | None = None, actor=None, now=None
) -> SocialWorkerDelivery:
    """Send `placement`'s responsible social worker a document of `generator`
    (a core.registry SOCIAL_WORKER_DOCUMENTS entry) as two e-mails through the
    outbox: a link to the download page, then the one-time code. Neither names
    the child, the unit or anything of the document. Call inside the change that
    causes it; the row records what went to whom and when. `actor` None: a job."""
    entry = registry.get(registry.SOCIAL_WORKER_DOCUMENTS, generator)
    if entry is None:
        raise ValueError(f"No social-worker document {generator!r} is registered.")
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    code = "".join(secrets.choice("0123456789") for _i in range(DELIVERY_CODE_DIGITS))
    token_hash = _keyed_hash(token)
    delivery = SocialWorkerDelivery.objects.create(
        placement=placement,
        unit=placement.unit,
        generator=generator,
        params=params or {},
        recipient_name=placement.social_worker_name,
        email=placement.social_worker_email,
        token_hash=token_hash,
        code_hash=_code_hash(token_hash, code),
        expires_at=now + DELIVERY_VALID_FOR,
        created_by=actor,
    )
    outbox = registry.one(registry.OUTBOX)
    until = fi_date(delivery.expires_at)
    link_row = outbox(
        email=delivery.email,
        kind="clients.delivery_link",
        subject=_("A document waits for you in Omavalvonta (%(ref)s)") % {"ref": delivery.pk},
        body=_(
            "A document concerning a client of yours is waiting to be downloaded: %(title)s. Open the link below. "
            "The page asks for a one-time code, which comes in a separate message. The link works until "
            "%(until)s. For data protection this message contains no client data."
        )
        % {"title": entry.title, "until": until},
        link=delivery_url(token),
    )
    code_row = outbox(
        email=delivery.email,
        kind="clients.delivery_code",
        subject=_("Your one-time code for document %(ref)s") % {"ref": delivery.pk},
        body=_("The one-time code for document %(ref)s: %(code)s\n\nIt works with the link of the other message until %(until)s.")
        % {"ref": delivery.pk, "code": code, "until": until},
    )
    SocialWorkerDelivery.objects.filter(pk=delivery.pk).update(
        link_notification_id=link_row.pk, code_notification_id=code_row.pk
    )
    audit_event_record(actor=actor, verb="client.delivery_sent", target=delivery, unit=delivery.unit, document=generator)
    return delivery


def delivery_for_token(token: str) -> SocialWorkerDelivery | None:
    """The delivery of a link's raw token, or None (unknown or malformed)."""
    if not token or len(token) > 100:
        return None
    return SocialWorkerDelivery.objects.filter(token_hash=_keyed_hash(token)).select_related("placement").first()


class DeliveryRefused(Exception):
    """The document was not given: expired, locked or a wrong code (message in the user's language)."""


def delivery_open(*, token: str, code: str, address: str = "", now=None) -> tuple[str, bytes]:
    """The document of a delivery for the right code: (file name, PDF bytes).
    Every attempt is logged; DELIVERY_MAX_FAILED wrong codes lock the link.
    Raises DeliveryRefused with the reason."""
    now = now or timezone.now()
    delivery = delivery_for_token(token)
    if delivery is None:
        raise DeliveryRefused(_("This link is not valid. Check that you copied the whole address."))
    address = (address or "")[:64]
    if delivery.expires_at <= now:
        SocialWorkerDownload.objects.create(delivery=delivery, at=now, address=address, succeeded=False)
        raise DeliveryRefused(_("This link has expired. Ask the unit to send the document again."))
    if delivery.failed_attempts >= DELIVERY_MAX_FAILED:
        SocialWorkerDownload.objects.create(delivery=delivery, at=now, address=address, succeeded=False)
        raise DeliveryRefused(_("Too many wrong codes: this link is locked. Ask the unit to send the document again."))
    code = "".join((code or "").split())
    if not hmac.compare_digest(_code_hash(delivery.token_hash, code), delivery.code_hash):
        SocialWorkerDelivery.objects.filter(pk=delivery.pk).update(failed_attempts=F("failed_attempts") + 1)
        SocialWorkerDownload.objects.create(delivery=delivery, at=now, address=address, succeeded=False)
        raise DeliveryRefused(_("The code is not right. Use the code of the separate message."))
    entry = registry.get(registry.SOCIAL_WORKER_DOCUMENTS, delivery.generator)
    if entry is None:
        raise DeliveryRefused(_("This document is no longer available. Ask the unit to send it again."))
    filename, content = entry.func(delivery=delivery)
    SocialWorkerDownload.objects.create(delivery=delivery, at=now, address=address, succeeded=True)
    # The child's data was read by someone without an account here: the access
    # log names them, so "who has seen my data" and the DPO's review include it.
    access_log_outside_record(
        reader=f"{delivery.recipient_name} <{delivery.email}>",
        target=delivery.placement,
        what="placement.social_worker_download",
        right="one-time code",
        unit=delivery.unit,
        address=address,
    )
    return filename, content


def mentions_forget(*, model_label: str, ids) -> None:
    """registry.RECORD_DESTROYED: the children named in destroyed records are named no more."""
    from omavalvonta.core.services import references_forget

    references_forget(PlacementMention, model_label=model_label, ids=ids, type_field="target_type",
                      id_field="target_id", delete=True)
