"""The privacy notices (tietosuojaselosteet) of the registers the product keeps:
versioned documents in Finnish and Swedish that the data-protection officer
drafts and publishes, shown on the public site (issue 21 item 12).

Which registers there are is data with its source: each one the product keeps
personal data in for its own purpose (GDPR art. 30 record of processing; the
notice's content: GDPR arts. 13–14)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext as _, gettext_lazy

from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.services import audit_event_record
from omavalvonta.organisation import access
from omavalvonta.privacy.models import NoticeState, PrivacyNoticeVersion

TEXT_MAX = 20000
SOURCE = "GDPR (EU) 2016/679 arts. 13, 14 and 30; tietosuojalaki 1050/2018"


@dataclass(frozen=True)
class Register:
    key: str
    title: Promise
    what: Promise


REGISTERS = (
    Register("deviations", gettext_lazy("Deviation and grievance reports"),
             gettext_lazy("Reports of deviations, near misses and grievances, their handling and the statutory notifications.")),
    Register("clients", gettext_lazy("Children in care"),
             gettext_lazy("The placed children's placements, measurements, goals and restrictive measures.")),
    Register("feedback", gettext_lazy("Client feedback"),
             gettext_lazy("Answers to the feedback surveys and messages sent through the public channel.")),
    Register("staff", gettext_lazy("Staff and competence"),
             gettext_lazy("Staff members' accounts, memberships, qualifications, orientation and the access log.")),
)
BY_KEY = {r.key: r for r in REGISTERS}


def register_get(key: str) -> Register | None:
    return BY_KEY.get(key)


def require_notices(actor) -> None:
    """Privacy notices are organisation-level: the data-protection officer's and
    the administrators' (privacy_notice.manage, organisation-wide)."""
    if not access.has_perm_organisation_wide(actor, access.P_PRIVACY_NOTICE_MANAGE):
        raise PermissionDenied(access.P_PRIVACY_NOTICE_MANAGE)


# --- Reads ----------------------------------------------------------------------------------


def notices_published() -> dict[str, PrivacyNoticeVersion]:
    """The version in force of each register (one query)."""
    rows = PrivacyNoticeVersion.objects.filter(state=NoticeState.PUBLISHED).order_by("register", "-number")
    current: dict[str, PrivacyNoticeVersion] = {}
    for row in rows.defer("text_fi", "text_sv"):
        current.setdefault(row.register, row)
    return current


def notice_published(key: str) -> PrivacyNoticeVersion | None:
    return PrivacyNoticeVersion.objects.filter(register=key, state=NoticeState.PUBLISHED).order_by("-number").first()


def notice_draft(key: str) -> PrivacyNoticeVersion | None:
    return PrivacyNoticeVersion.objects.filter(register=key, state=NoticeState.DRAFT).first()


def notice_overview(*, actor) -> list[dict]:
    """Each register with its version in force and whether a draft is open (two queries)."""
    require_notices(actor)
    current = notices_published()
    drafts = set(PrivacyNoticeVersion.objects.filter(state=NoticeState.DRAFT).values_list("register", flat=True))
    return [{"register": r, "current": current.get(r.key), "draft": r.key in drafts} for r in REGISTERS]


def notice_text(version: PrivacyNoticeVersion, language: str | None = None) -> str:
    """The text in the reader's language: Swedish for Swedish readers, else Finnish."""
    language = (language or get_language() or "fi")[:2]
    return version.text_sv if language == "sv" else version.text_fi


# --- Writes ---------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return "\n".join(line.rstrip() for line in (text or "").strip().splitlines())


@transaction.atomic
def notice_draft_save(*, actor, key: str, text_fi: str, text_sv: str, change_summary: str = "",
                      expected_version: int | None = None) -> PrivacyNoticeVersion:
    """Save the register's draft (opened from the version in force when there is
    none). `expected_version`: the draft's edit_version when the form was opened
    (0: no draft then), see core/concurrency.py."""
    require_notices(actor)
    if key not in BY_KEY:
        raise ValidationError(_("There is no such register."))
    errors = {}
    for name, value in (("text_fi", text_fi), ("text_sv", text_sv)):
        if len(_clean(value)) > TEXT_MAX:
            errors[name] = _("The text is too long (at most %(max)d characters).") % {"max": TEXT_MAX}
    if len((change_summary or "").strip()) > 300:
        errors["change_summary"] = _("Write at most %(max)d characters.") % {"max": 300}
    if errors:
        raise ValidationError(errors)
    draft = PrivacyNoticeVersion.objects.select_for_update().filter(register=key, state=NoticeState.DRAFT).first()
    if draft is None:
        number = (PrivacyNoticeVersion.objects.filter(register=key).aggregate(n=Max("number"))["n"] or 0) + 1
        draft = PrivacyNoticeVersion(register=key, number=number, created_by=actor)
    else:
        edit_version_claim(draft, expected=expected_version)
    draft.text_fi, draft.text_sv = _clean(text_fi), _clean(text_sv)
    draft.change_summary = (change_summary or "").strip()
    draft.save()
    audit_event_record(actor=actor, verb="privacy_notice.draft_saved", target=draft, register=key)
    return draft


@transaction.atomic
def notice_publish(*, actor, key: str) -> PrivacyNoticeVersion:
    """Publish the register's draft: both languages written, a note of what
    changed when an earlier version exists. The published version is frozen."""
    require_notices(actor)
    draft = PrivacyNoticeVersion.objects.select_for_update().filter(register=key, state=NoticeState.DRAFT).first()
    if draft is None:
        raise ValidationError(_("There is no draft to publish."))
    errors = {}
    if not draft.text_fi.strip():
        errors["text_fi"] = _("Write the notice in Finnish.")
    if not draft.text_sv.strip():
        errors["text_sv"] = _("Write the notice in Swedish.")
    if draft.number > 1 and not draft.change_summary:
        errors["change_summary"] = _("Say what changed from the previous version.")
    if errors:
        raise ValidationError(errors)
    draft.state, draft.published_by, draft.published_at = NoticeState.PUBLISHED, actor, timezone.now()
    draft.save(update_fields=["state", "published_by", "published_at"])
    audit_event_record(actor=actor, verb="privacy_notice.published", target=draft, register=key, number=draft.number)
    return draft
