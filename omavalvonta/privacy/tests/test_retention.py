"""Retention with logged destruction: the table of periods with their sources,
legal holds, the monthly proposal, the DPO's approval, the worker's destruction
through the owners' services and the destruction records; a destroyed case
leaves no trace in lists, exports, search, live figures or media files, while a
published follow-up report keeps its figures."""

import datetime as dt
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from omavalvonta.core import registry
from omavalvonta.core.models import AuditEvent
from omavalvonta.deviations.models import Attachment, Deviation, State
from omavalvonta.deviations.services import deviation_submit
from omavalvonta.organisation.models import Role
from omavalvonta.plans import programme
from omavalvonta.plans.followup import compile_figures
from omavalvonta.privacy import retention, services
from omavalvonta.privacy.models import (
    DestructionItem,
    DestructionRecord,
    DestructionRun,
    ItemState,
    LegalHold,
    RetentionRule,
    RunState,
)
from omavalvonta.privacy.retention_defaults import DEFAULTS
from omavalvonta.privacy.tests.conftest import destroyed_in_one_run
from omavalvonta.testing.concurrency import run_side_by_side
from omavalvonta.testing.factories import deviation_kwargs, member

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
# Eleven years on: a report closed today is past its ten years.
LATER = timezone.localdate().replace(day=1) + dt.timedelta(days=11 * 366)


def later_now():
    return timezone.make_aware(dt.datetime.combine(LATER, dt.time(3, 0)))


def closed_report(actor, unit, description, *, attach=False):
    extra = {"attachments": [SimpleUploadedFile("kuva.png", PNG, content_type="image/png")]} if attach else {}
    report = deviation_submit(actor=actor, **deviation_kwargs(unit, description=description, **extra)).deviation
    Deviation.objects.filter(pk=report.pk).update(state=State.CLOSED, closed_at=timezone.now())
    return report


def approve_and_run(dpo, run):
    services.destruction_run_approve(actor=dpo, run=run)
    # The files are deleted once the destroying transaction commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return retention.retention_job(now=later_now())


@pytest.fixture
def handled(employee_a, unit_a, supervisor_a):
    gone = closed_report(employee_a, unit_a, "Sinivalas kaatui portaissa.", attach=True)
    kept = Deviation.objects.get(pk=deviation_submit(actor=employee_a, **deviation_kwargs(unit_a)).deviation.pk)
    return gone, kept


# --- The table -------------------------------------------------------------------------


def test_every_record_type_has_a_default_with_its_source():
    names = {e.name for e in registry.entries(registry.RETENTION)}
    assert {"deviation", "attachment", "feedback_response", "access_log", "outbox"} <= names
    for name in names:
        assert DEFAULTS[name].months > 0 and str(DEFAULTS[name].source), name
    assert DEFAULTS["access_log"].months == 144 and "703/2023" in str(DEFAULTS["access_log"].source)


def test_the_dpo_changes_a_period_with_its_basis_audited(dpo):
    rule = services.retention_rule_set(actor=dpo, record_type="outbox", months=6, basis="Tietosuojavastaavan päätös 1/2027")
    assert retention.months_in_force("outbox") == 6
    event = AuditEvent.objects.get(verb="retention.period_changed")
    assert (event.actor, event.target_id, event.data["before"], event.data["after"]) == (dpo, rule.pk, 12, 6)


@pytest.mark.parametrize(("months", "basis", "field"), [(0, "x", "months"), (1201, "x", "months"), (6, " ", "basis")])
def test_a_period_needs_a_sensible_length_and_a_basis(dpo, months, basis, field):
    with pytest.raises(ValidationError) as refused:
        services.retention_rule_set(actor=dpo, record_type="outbox", months=months, basis=basis)
    assert field in refused.value.message_dict
    assert not RetentionRule.objects.exists()


def test_only_the_dpo_and_administrators_set_periods_and_holds(supervisor_a, quality_director):
    for actor in (supervisor_a, quality_director):
        with pytest.raises(PermissionDenied):
            services.retention_rule_set(actor=actor, record_type="outbox", months=6, basis="x")
        with pytest.raises(PermissionDenied):
            services.legal_hold_set(actor=actor, record_type="deviation", record_id=1, reason="x")


# --- Preview, approval, destruction, record ----------------------------------------------


def test_preview_approve_destroy_record(dpo, handled):
    gone, kept = handled
    attachment = Attachment.objects.get(deviation=gone)
    path = attachment.file.path
    assert os.path.exists(path)

    run = retention.propose(today=LATER)
    assert run.state == RunState.PROPOSED
    proposed = set(run.items.values_list("record_type", "record_id"))
    assert {("deviation", gone.pk), ("attachment", attachment.pk)} <= proposed
    assert ("deviation", kept.pk) not in proposed  # still open
    # Nothing is destroyed before the approval, however often the worker runs.
    retention.retention_job(now=later_now())
    assert Deviation.objects.filter(pk=gone.pk).exists()
    assert retention.propose(today=LATER) is None  # once a month

    approve_and_run(dpo, run)
    run.refresh_from_db()
    assert run.state == RunState.DONE and run.finished_at
    assert not Deviation.objects.filter(pk=gone.pk).exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not os.path.exists(path)
    assert Deviation.objects.filter(pk=kept.pk).exists()
    record = DestructionRecord.objects.get(record_type="deviation", record_id=gone.pk)
    assert (record.approved_by, record.run, record.dated) == (dpo, run, timezone.localdate())
    assert DestructionRecord.objects.filter(record_type="attachment", record_id=attachment.pk).exists()
    assert AuditEvent.objects.filter(verb="retention.run_done").exists()
    # The report's own audit trail went with it.
    assert not AuditEvent.objects.filter(verb__startswith="deviation.", target_id=gone.pk).exists()


def test_a_destroyed_case_leaves_no_trace_but_a_published_report_keeps_its_figures(
    client, dpo, handled, supervisor_a, quality_director, unit_a
):
    gone, kept = handled
    today = timezone.localdate()
    report = programme.followup_report_create(actor=quality_director, period_start=today.replace(day=1), period_end=today)
    programme.followup_report_findings_save(actor=quality_director, report=report, findings="F", measures="M")
    programme.followup_report_approve(actor=quality_director, report=report)
    programme.followup_report_publish(actor=quality_director, report=report)
    published = programme.FollowupReport.objects.get(pk=report.pk).figures
    assert published["deviations"]["total"] == 2
    media = [a.file.path for a in Attachment.objects.filter(deviation=gone)]

    approve_and_run(dpo, retention.propose(today=LATER))

    client.force_login(supervisor_a)
    listing = client.get(reverse("deviations:list")).content.decode()
    assert gone.number not in listing and kept.number in listing
    searched = client.get(reverse("deviations:list"), {"q": "Sinivalas"}).content.decode()
    assert gone.number not in searched
    export = b"".join(client.get(reverse("deviations:export")).streaming_content).decode()
    assert "Sinivalas" not in export and gone.number not in export and kept.number in export
    assert client.get(reverse("deviations:detail", args=[gone.pk])).status_code == 404
    assert not any(os.path.exists(p) for p in media)
    # Live figures are counted from what remains; the published report is frozen.
    live = compile_figures(actor=quality_director, period_start=today.replace(day=1), period_end=today)
    assert live["deviations"]["total"] == 1
    assert programme.FollowupReport.objects.get(pk=report.pk).figures == published


# --- Legal holds -------------------------------------------------------------------------


def test_a_hold_before_the_proposal_keeps_the_case_out_of_it(dpo, handled):
    gone, _kept = handled
    services.legal_hold_set(actor=dpo, record_type="deviation", record_id=gone.pk, reason="Vahingonkorvausvaatimus")
    run = retention.propose(today=LATER)
    assert not run or not run.items.filter(record_type__in=("deviation", "attachment")).exists()


def test_a_hold_after_the_proposal_still_wins(dpo, handled):
    gone, _kept = handled
    attachment = Attachment.objects.get(deviation=gone)
    run = retention.propose(today=LATER)
    services.destruction_run_approve(actor=dpo, run=run)
    hold = services.legal_hold_set(actor=dpo, record_type="deviation", record_id=gone.pk, reason="Poliisitutkinta")
    retention.retention_job(now=later_now())
    assert Deviation.objects.filter(pk=gone.pk).exists()
    assert Attachment.objects.filter(pk=attachment.pk).exists() and os.path.exists(attachment.file.path)
    assert set(run.items.filter(record_id__in=(gone.pk, attachment.pk)).values_list("state", flat=True)) == {ItemState.HELD}
    assert not DestructionRecord.objects.filter(record_type__in=("deviation", "attachment")).exists()
    # Lifted, the record falls due again in a later run.
    services.legal_hold_lift(actor=dpo, hold=hold, reason="Tutkinta päättyi")
    hold.refresh_from_db()
    assert (hold.lifted_by, hold.lift_reason) == (dpo, "Tutkinta päättyi")
    later = retention.propose(today=LATER + dt.timedelta(days=31))
    assert later.items.filter(record_type="deviation", record_id=gone.pk).exists()


def test_a_hold_is_set_once_and_lifted_once(dpo):
    hold = services.legal_hold_set(actor=dpo, record_type="deviation", record_id=7, reason="x")
    with pytest.raises(ValidationError):
        services.legal_hold_set(actor=dpo, record_type="deviation", record_id=7, reason="y")
    services.legal_hold_lift(actor=dpo, hold=hold, reason="z")
    with pytest.raises(ValidationError):
        services.legal_hold_lift(actor=dpo, hold=hold, reason="z")
    with pytest.raises(ValidationError) as refused:
        services.legal_hold_set(actor=dpo, record_type="nothing", record_id=None, reason="")
    assert set(refused.value.message_dict) == {"record_type", "record_id", "reason"}


# --- Once: a decision, a destruction ------------------------------------------------------


def test_a_run_is_decided_once(dpo, handled):
    run = retention.propose(today=LATER)
    services.destruction_run_cancel(actor=dpo, run=run)
    with pytest.raises(ValidationError):
        services.destruction_run_approve(actor=dpo, run=run)
    retention.retention_job(now=later_now())
    assert Deviation.objects.filter(pk=handled[0].pk).exists()


def test_two_workers_destroy_once(dpo, handled):
    """The second worker finds the items claimed and done: nothing is destroyed
    or recorded twice."""
    run = retention.propose(today=LATER)
    services.destruction_run_approve(actor=dpo, run=run)
    stale = DestructionRun.objects.get(pk=run.pk)
    first = retention.execute(run)
    assert first == run.items.count()
    assert retention.execute(stale) == 0
    assert DestructionRecord.objects.count() == run.items.filter(state=ItemState.DESTROYED).count()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions: PostgreSQL only")
def test_two_workers_at_once_destroy_once(dpo, handled):
    run = retention.propose(today=LATER)
    services.destruction_run_approve(actor=dpo, run=run)
    results = run_side_by_side(lambda: retention.execute(DestructionRun.objects.get(pk=run.pk)))
    assert sum(results) == run.items.count()
    assert DestructionRecord.objects.count() == DestructionItem.objects.filter(state=ItemState.DESTROYED).count()
    assert not DestructionItem.objects.filter(state=ItemState.PENDING).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions: PostgreSQL only")
def test_two_workers_at_once_propose_once(handled):
    run_side_by_side(lambda: retention.propose(today=LATER))
    assert DestructionRun.objects.count() == 1


# --- Pages -------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [
    (Role.DATA_PROTECTION_OFFICER, 200), (Role.ADMINISTRATOR, 200), (Role.QUALITY_DIRECTOR, 403),
    (Role.MANAGEMENT_GROUP, 403),
])
def test_the_pages_are_the_dpos_and_the_administrators(client, dpo, handled, role, status):
    run = retention.propose(today=LATER)
    client.force_login(member(role))
    for name, args in (("privacy:retention", []), ("privacy:holds", []), ("privacy:runs", []),
                       ("privacy:run", [run.pk]), ("privacy:destruction_records", [])):
        assert client.get(reverse(name, args=args)).status_code == status, name
    assert client.post(reverse("privacy:run_approve", args=[run.pk])).status_code == (302 if status == 200 else 403)


def test_approving_through_the_page_destroys_nothing_in_the_request(client, dpo, handled):
    run = retention.propose(today=LATER)
    client.force_login(dpo)
    preview = client.get(reverse("privacy:run", args=[run.pk])).content.decode()
    assert str(handled[0].pk) in preview and "Sinivalas" not in preview
    response = client.post(reverse("privacy:run_approve", args=[run.pk]), follow=True)
    assert "Approved." in response.content.decode()
    assert Deviation.objects.filter(pk=handled[0].pk).exists()
    again = client.post(reverse("privacy:run_approve", args=[run.pk]), follow=True)
    assert again.status_code == 200 and "already been decided" in again.content.decode()


def test_failure_paths_answer_with_messages(client, dpo):
    client.force_login(dpo)
    bad_period = client.post(reverse("privacy:retention_rule", args=["outbox"]), {"months": "abc", "basis": "Päätös"})
    assert bad_period.status_code == 400 and "Päätös" in bad_period.content.decode()
    no_basis = client.post(reverse("privacy:retention_rule", args=["outbox"]), {"months": "6", "basis": ""})
    assert no_basis.status_code == 400
    unknown = client.post(reverse("privacy:retention_rule", args=["nothing"]), {"months": "6", "basis": "x"})
    assert unknown.status_code == 404
    for record_id in ("-3", "99999999999999999999999", "²"):
        hold = client.post(reverse("privacy:holds"), {"record_type": "deviation", "record_id": record_id, "reason": "Syy"})
        assert hold.status_code == 400 and "Syy" in hold.content.decode()
    assert not LegalHold.objects.exists()
    lifted = client.post(reverse("privacy:hold_lift", args=[999]), {"lift_reason": "x"})
    assert lifted.status_code == 404
    assert client.get(reverse("privacy:run", args=[999])).status_code == 404
    ok = client.post(reverse("privacy:retention_rule", args=["outbox"]), {"months": "6", "basis": "Päätös 2/2027"})
    assert ok.status_code == 302 and retention.months_in_force("outbox") == 6


def test_setting_and_lifting_a_hold_through_the_page(client, dpo):
    client.force_login(dpo)
    response = client.post(reverse("privacy:holds"), {"record_type": "deviation", "record_id": "12", "reason": "Kantelu"})
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.set_by, hold.reason) == (dpo, "Kantelu")
    empty = client.post(reverse("privacy:hold_lift", args=[hold.pk]), {"lift_reason": ""}, follow=True)
    assert empty.status_code == 200 and LegalHold.objects.get().lifted_at is None
    client.post(reverse("privacy:hold_lift", args=[hold.pk]), {"lift_reason": "Ratkaistu"})
    assert LegalHold.objects.get().lifted_by == dpo


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_lists_take_a_fixed_number_of_queries(client, dpo, employee_a, unit_a):
    client.force_login(dpo)

    def grow(n):
        for i in range(n):
            closed_report(employee_a, unit_a, f"Raportti {i}")
            services.legal_hold_set(actor=dpo, record_type="outbox", record_id=10_000 + LegalHold.objects.count(),
                                    reason="x")

    grow(1)
    run = retention.propose(today=LATER)
    approve_and_run(dpo, run)
    client.force_login(dpo)  # the run destroyed the sign-in records of eleven years ago
    urls = lambda: [reverse("privacy:retention"), reverse("privacy:holds"), reverse("privacy:runs"),  # noqa: E731
                    reverse("privacy:run", args=[run.pk]), reverse("privacy:destruction_records")]
    before = [_queries(client, url) for url in urls()]
    grow(4)
    run = retention.propose(today=LATER + dt.timedelta(days=40))
    approve_and_run(dpo, run)
    client.force_login(dpo)
    after = [_queries(client, url) for url in urls()]
    assert after == before


# --- Other record types and the references other areas keep -----------------------------


def test_a_destroyed_report_is_no_longer_an_actions_source_and_finished_actions_go_in_their_turn(
    dpo, employee_a, unit_a, supervisor_a
):
    from omavalvonta.deviations.services import deviation_add_action
    from omavalvonta.improvement.models import Action
    from omavalvonta.improvement.services import action_cancel

    report = deviation_submit(actor=employee_a, **deviation_kwargs(unit_a, description="Ikkuna jäi auki.")).deviation
    action = deviation_add_action(actor=supervisor_a, deviation=report, title="Tarkistuslista", owner=supervisor_a,
                                  due_date=timezone.localdate() + dt.timedelta(days=7))
    Deviation.objects.filter(pk=report.pk).update(state=State.CLOSED, closed_at=timezone.now())
    action_cancel(actor=supervisor_a, action=action, reason="Korvattiin toisella")
    run = retention.propose(today=LATER)
    assert set(run.items.filter(record_type__in=("deviation", "action")).values_list("record_type", "record_id")) == {
        ("deviation", report.pk), ("action", action.pk)}
    services.legal_hold_set(actor=dpo, record_type="action", record_id=action.pk, reason="Selvitys kesken")
    approve_and_run(dpo, run)
    kept = Action.objects.get(pk=action.pk)
    assert (kept.source_type_id, kept.source_id) == (None, None)
    assert kept.source_kind == "deviation"


def test_the_dpos_are_told_of_a_proposed_run_without_content(dpo, handled):
    from omavalvonta.notifications.models import Notification

    run = retention.propose(today=LATER)
    note = Notification.objects.get(kind="retention.run_proposed")
    assert note.recipient == dpo and note.link == reverse("privacy:run", args=[run.pk])
    assert "Sinivalas" not in note.subject + note.body


def test_old_sign_in_records_and_sent_messages_fall_due(dpo, employee_a):
    from omavalvonta.notifications.models import DeliveryState, Notification
    from omavalvonta.organisation.models import SignInSession

    long_ago = timezone.now() - dt.timedelta(days=800)
    old = SignInSession.objects.create(user=employee_a, session_key="x" * 40, signed_in_at=long_ago)
    fresh = SignInSession.objects.create(user=employee_a, session_key="y" * 40)
    sent = Notification.objects.create(recipient=employee_a, kind="k", subject="s", body="b", state=DeliveryState.SENT,
                                       created_at=long_ago, sent_at=long_ago)
    waiting = Notification.objects.create(recipient=employee_a, kind="k", subject="s", body="b", created_at=long_ago)
    destroyed_in_one_run(dpo, due=[("session", old.pk), ("outbox", sent.pk)], kept=[("session", fresh.pk), ("outbox", waiting.pk)])
    assert not SignInSession.objects.filter(pk=old.pk).exists() and SignInSession.objects.filter(pk=fresh.pk).exists()
    assert not Notification.objects.filter(pk=sent.pk).exists() and Notification.objects.filter(pk=waiting.pk).exists()


def test_a_destroyed_report_no_longer_names_its_child(dpo, employee_a, unit_a, supervisor_a, county):
    from omavalvonta.clients.models import PlacementMention
    from omavalvonta.clients.services import placement_create
    from omavalvonta.testing.factories import placement_kwargs

    child = placement_create(actor=supervisor_a, unit=unit_a, **placement_kwargs(county))
    report = deviation_submit(
        actor=employee_a, **deviation_kwargs(unit_a, description="Lapsi kaatui pihalla.", children=[child.pk])
    ).deviation
    assert PlacementMention.objects.filter(target_id=report.pk).exists()
    Deviation.objects.filter(pk=report.pk).update(state=State.CLOSED, closed_at=timezone.now())
    approve_and_run(dpo, retention.propose(today=LATER))
    assert not PlacementMention.objects.filter(placement=child).exists()


def test_attachments_are_never_kept_longer_than_their_reports(dpo):
    with pytest.raises(ValidationError) as refused:
        services.retention_rule_set(actor=dpo, record_type="attachment", months=240, basis="x")
    assert "At most 120 months" in refused.value.message_dict["months"][0]
    with pytest.raises(ValidationError) as refused:
        services.retention_rule_set(actor=dpo, record_type="deviation", months=60, basis="x")
    assert "At least 120 months" in refused.value.message_dict["months"][0]
    services.retention_rule_set(actor=dpo, record_type="attachment", months=36, basis="Kuvat 3 vuotta")
    services.retention_rule_set(actor=dpo, record_type="deviation", months=60, basis="Päätös")
    assert retention.months_in_force("deviation") == 60
