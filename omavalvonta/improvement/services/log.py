"""The self-supervision log (omavalvontaloki). CONTRACT: meetings and deviation
handling call `log_entry_create`; keep its name and arguments."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.services import audit_event_record
from omavalvonta.improvement.models import LogEntry
from omavalvonta.improvement.services._common import TEXT_MAX, check_length, clean_text, raise_if, required_text
from omavalvonta.organisation import access

# --- Self-supervision log (CONTRACT: meetings and deviations call this) -----------------------------


@transaction.atomic
def log_entry_create(
    *, actor, unit, observation: str, reaction: str = "", planned_correction: str = "", observed_on=None, source=None
):
    """Write a self-supervision log entry in `unit` (requires log.write there:
    supervisors, responsible persons, directors)."""
    access.require(actor, access.P_LOG_WRITE, unit)
    observation, reaction, planned_correction = (clean_text(v) for v in (observation, reaction, planned_correction))
    errors: dict = {}
    if not observation:
        errors["observation"] = _("Write what was observed.")
    for name, value in (("observation", observation), ("reaction", reaction), ("planned_correction", planned_correction)):
        check_length(errors, name, value, TEXT_MAX)
    if observed_on is not None and observed_on > timezone.localdate():
        errors["observed_on"] = _("The date cannot be in the future.")
    raise_if(errors)
    entry = LogEntry.objects.create(
        unit=unit,
        observed_on=observed_on or timezone.localdate(),
        observation=observation,
        reaction=reaction,
        planned_correction=planned_correction,
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=source.pk if source is not None else None,
        created_by=actor,
    )
    audit_event_record(actor=actor, verb="log_entry.created", target=entry, unit=unit)
    return entry


@transaction.atomic
def log_entry_follow_up(*, actor, entry: LogEntry, follow_up: str) -> LogEntry:
    """Record (or rewrite) how the planned correction was followed up (log.write)."""
    access.require_on(actor, entry, access.P_LOG_WRITE)
    follow_up = required_text("follow_up", follow_up, missing=_("Write how the correction was followed up."))
    rewritten = bool(entry.follow_up)
    entry.follow_up = follow_up
    entry.followed_up_at = timezone.now()
    entry.followed_up_by = actor
    entry.save(update_fields=["follow_up", "followed_up_at", "followed_up_by"])
    audit_event_record(actor=actor, verb="log_entry.followed_up", target=entry, unit=entry.unit, rewritten=rewritten)
    return entry


def sources_forget(*, model_label: str, ids) -> None:
    """registry.RECORD_DESTROYED: actions and log entries keep their kind of
    source but no longer point at a destroyed record; the acknowledgements asked
    of a destroyed record (minutes, a learning summary) go with it."""
    from omavalvonta.core.services import references_forget
    from omavalvonta.improvement.models import Acknowledgement, Action, GoalPrompt, LogEntry

    references_forget(Action, model_label=model_label, ids=ids)
    references_forget(LogEntry, model_label=model_label, ids=ids)
    references_forget(
        Acknowledgement, model_label=model_label, ids=ids, type_field="target_type", id_field="target_id", delete=True
    )
    # A goal's prompt keeps its label snapshot, no longer the record.
    references_forget(GoalPrompt, model_label=model_label, ids=ids)
