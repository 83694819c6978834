"""The demo organisation and the benchmark, at small scale."""

import io

import pytest
from django.conf import global_settings
from django.core.management import call_command
from django.utils import timezone

from omavalvonta.core import jobs
from omavalvonta.core.models import AuditEvent
from omavalvonta.demo import builder, county as county_demo
from omavalvonta.deviations.models import Deviation, Kind, NotificationRecipient, State, StatutoryNotification
from omavalvonta.notifications.models import DeliveryState, Notification
from omavalvonta.organisation.models import Membership, Organisation, Role, User

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def small_demo(django_db_setup, django_db_blocker):
    """One small demo for the tests that only read it (a build takes seconds).
    Committed, so it is wiped again when the module is done."""
    with django_db_blocker.unblock():
        out = run("load_demo", "--small")
    yield out
    with django_db_blocker.unblock():
        builder.wipe()


def test_small_demo_has_every_role(small_demo):
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    for role, email, _description in builder.DEMO_LOGINS:
        login = User.objects.get(email=email)
        assert login.memberships.filter(role=role).exists()
    assert Organisation.objects.get().name == builder.DEMO_ORGANISATION_NAME


def test_small_demo_has_every_state_and_kind(small_demo):
    assert set(Deviation.objects.values_list("state", flat=True)) == set(State.values)
    assert set(Deviation.objects.values_list("kind", flat=True)) == set(Kind.values)


def test_anonymous_reports_store_no_reporter(small_demo):
    anonymous = Deviation.objects.filter(is_anonymous=True)
    assert anonymous.exists()
    assert not anonymous.filter(reporter__isnull=False).exists()


def test_grievances_and_critical_reports_were_notified_to_the_county(small_demo):
    notified = StatutoryNotification.objects.filter(recipient_kind=NotificationRecipient.COUNTY)
    assert notified.filter(deviation__kind=Kind.GRIEVANCE).exists()
    assert StatutoryNotification.objects.filter(recipient_kind=NotificationRecipient.LEAD_OFFICIAL).exists()
    assert notified.filter(recipient_email__endswith=".example").count() == notified.count()
    # A closed report that required it was never closed without a notification.
    for deviation in Deviation.objects.filter(state=State.CLOSED):
        if deviation.requires_statutory_notification:
            assert deviation.statutory_notifications.exists()


def test_handled_reports_answer_the_questions_and_say_who_was_informed(small_demo):
    from omavalvonta.deviations.models import InformedRecord, InstructionProposal, ProposalState

    assert not Deviation.objects.filter(state=State.CLOSED, decisions_at__isnull=True).exists()
    assert InformedRecord.objects.filter(party="police").exclude(informed_by="").exists()
    assert InstructionProposal.objects.filter(state=ProposalState.PROPOSED).count() == 1


def test_the_year_is_back_dated(small_demo):
    now = timezone.now()
    deviations = Deviation.objects.all()
    assert deviations.order_by("submitted_at").first().submitted_at < now - timezone.timedelta(days=200)
    for field in ("submitted_at", "classified_at", "answered_at", "closed_at"):
        assert not deviations.filter(**{f"{field}__gt": now}).exists()
    for d in deviations.exclude(closed_at=None):
        assert d.submitted_at <= d.classified_at <= d.answered_at <= d.closed_at
    # History is history: the worker does not mail a year of messages on start.
    assert not Notification.objects.filter(state=DeliveryState.PENDING).exists()
    # The services' own "now" stamps were moved back to when each step happened.
    events = AuditEvent.objects.all()
    assert events.count() > 300
    assert events.filter(at__lt=now - timezone.timedelta(days=30)).count() > events.count() / 2
    assert not events.filter(at__gt=now).exists()


def test_the_employee_and_supervisor_logins_share_a_busy_unit(small_demo, settings):
    # The shared demo was built with the real hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    employee = User.objects.get(email=builder.LOGIN_EMAIL[Role.EMPLOYEE])
    supervisor = User.objects.get(email=builder.LOGIN_EMAIL[Role.SUPERVISOR])
    unit = employee.memberships.get().unit
    assert supervisor.memberships.get(role=Role.SUPERVISOR).unit == unit
    assert unit.deviations.count() >= 10
    own = Deviation.objects.filter(reporter=employee)
    assert own.exclude(answer="").filter(state=State.CLOSED).count() >= 3
    assert own.exclude(state=State.CLOSED).exists()
    assert employee.check_password(builder.DEMO_PASSWORD)


def test_other_demo_people_cannot_sign_in(small_demo):
    # The role logins and the purchasing county's person (printed with them).
    logins = {email for _role, email, _d in builder.DEMO_LOGINS} | {county_demo.COUNTY_LOGIN_EMAIL}
    others = User.objects.exclude(email__in=logins)
    assert others.exists()
    assert not any(u.has_usable_password() for u in others)


def test_building_prints_the_logins_too(small_demo):
    assert "Demo organisation built" in small_demo
    for _role, email, _description in builder.DEMO_LOGINS:
        assert email in small_demo


def test_the_worker_starts_with_no_backlog(small_demo):
    # The jobs' year has been replayed: reminders and escalations are history.
    for job in jobs.registered():
        assert job.func() == 0, job.name


def test_every_demo_unit_has_valid_expiring_and_two_expired_qualifications(small_demo, db):
    from omavalvonta.organisation.models import Unit
    from omavalvonta.people import selectors
    from omavalvonta.people.models import QualificationRecord, Status

    today = timezone.localdate()
    supervisor = User.objects.get(email=builder.LOGIN_EMAIL[Role.SUPERVISOR])
    for unit in Unit.objects.filter(is_active=True):
        current = [r for r in QualificationRecord.objects.filter(unit=unit, is_current=True).select_related("type")]
        if not current:
            continue
        found = [r.status(today) for r in current]
        assert found.count(Status.EXPIRED) == 2, unit
        assert Status.EXPIRING in found and Status.VALID in found, unit
    demo_unit = Unit.objects.get(name=builder.DEMO_UNIT_NAME)
    employee = User.objects.get(email=builder.LOGIN_EMAIL[Role.EMPLOYEE])
    permit = QualificationRecord.objects.get(person=employee, type__kind="medication_permit", is_current=True)
    assert permit.status(today) == Status.EXPIRING
    home = selectors.competence_home_items(actor=supervisor)
    assert home and any(r == permit for r, _s in home["staff"]) or home["staff_total"] > len(home["staff"])
    assert selectors.unit_matrix(actor=supervisor, unit=demo_unit)["rows"]


def test_the_dpo_finds_the_retention_table_and_a_proposed_run(small_demo, db, client):
    from django.urls import reverse

    from omavalvonta.organisation.models import Role, User
    from omavalvonta.privacy.models import DestructionRun, RetentionRule, RunState

    run = DestructionRun.objects.get()
    assert run.state == RunState.PROPOSED and run.items.filter(record_type="outbox").exists()
    assert not RetentionRule.objects.exists()  # the defaults, with their sources
    client.force_login(User.objects.get(email=builder.LOGIN_EMAIL[Role.DATA_PROTECTION_OFFICER]))
    assert "703/2023" in client.get(reverse("privacy:retention")).content.decode()
    assert client.get(reverse("privacy:run", args=[run.pk])).status_code == 200


def test_the_county_person_sees_their_countys_view(small_demo, client, settings):
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the demo's own hash
    person = User.objects.get(email=county_demo.COUNTY_LOGIN_EMAIL)
    assert person.check_password(builder.DEMO_PASSWORD) and not person.memberships.exists()
    client.force_login(person)
    response = client.get("/hyvinvointialue/")
    assert response.status_code == 200
    assert person.county_accesses.get().county.name in response.content.decode()


def test_the_hr_director_sees_the_staffs_reports_and_the_competence_figures(small_demo, client):
    from django.urls import reverse

    from omavalvonta.deviations.selectors import deviation_list

    director = User.objects.get(email=builder.LOGIN_EMAIL[Role.HR_DIRECTOR])
    assert director.memberships.get().role == Role.HR_DIRECTOR
    kinds = set(deviation_list(actor=director).values_list("kind", flat=True))
    assert kinds == {Kind.HARASSMENT, Kind.THREAT_OR_VIOLENCE}
    client.force_login(director)
    assert client.get(reverse("people:overview")).status_code == 200
    assert client.get(reverse("deviations:list")).status_code == 200


def test_findings_steer_the_demo_units_action_plan(small_demo, client):
    from django.urls import reverse

    from omavalvonta.improvement.models import GoalPrompt

    prompts = GoalPrompt.objects.filter(unit__name=builder.DEMO_UNIT_NAME)
    assert set(prompts.values_list("source_kind", flat=True)) == {"deviation", "complaint"}
    prompt = prompts.get(source_kind="deviation")
    client.force_login(User.objects.get(email=builder.LOGIN_EMAIL[Role.SUPERVISOR]))
    html = client.get(reverse("improvement:plan_detail", args=[prompt.goal.plan_id])).content.decode()
    assert prompt.label in html and reverse("deviations:detail", args=[prompt.source_id]) in html
