"""Every page that shows personal data writes one access-log row per page read:
a record's page names the record, a list or an export names itself and its
filter (one row, not one per record listed)."""


import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from omavalvonta.clients.models import Placement
from omavalvonta.core.models import AccessLogEntry
from omavalvonta.demo import builder
from omavalvonta.guidance.models import Guidance
from omavalvonta.improvement.models import Action, LogEntry
from omavalvonta.meetings.models import Meeting
from omavalvonta.organisation.models import Role, User
from omavalvonta.people.models import Orientation
from omavalvonta.risks.models import Risk, RiskAssessment


def person(role):
    return User.objects.get(email=builder.LOGIN_EMAIL[role])


# (what, the page's URL, the model of its record or None for a list, who reads it)
def pages():
    action = Action.objects.order_by("pk").first()
    entry = LogEntry.objects.order_by("pk").first()
    meeting = Meeting.objects.order_by("pk").first()
    risk = Risk.objects.order_by("pk").first()
    assessment = RiskAssessment.objects.order_by("pk").first()
    guidance = Guidance.objects.order_by("pk").first()
    someone = person(Role.EMPLOYEE)
    child = Placement.objects.filter(unit__name=builder.DEMO_UNIT_NAME).order_by("pk").first()
    qd, admin = Role.QUALITY_DIRECTOR, Role.ADMINISTRATOR
    orientation = Orientation.objects.filter(unit=child.unit).order_by("pk").first()
    return [
        ("log.list", reverse("improvement:log") + "?unit=", None, qd),
        ("log.detail", reverse("improvement:log_detail", args=[entry.pk]), entry, qd),
        ("meeting.minutes", reverse("meetings:detail", args=[meeting.pk]), meeting, qd),
        ("action.list", reverse("improvement:action_list"), None, qd),
        ("action.detail", reverse("improvement:action_detail", args=[action.pk]), action, qd),
        ("action.export", reverse("improvement:action_export"), None, qd),
        ("risk.list", reverse("risks:list"), None, qd),
        ("risk.detail", reverse("risks:detail", args=[risk.pk]), risk, qd),
        ("risk.assessment", reverse("risks:assessment_detail", args=[assessment.pk]), assessment, qd),
        ("guidance.list", reverse("guidance:list"), None, qd),
        ("guidance.letter", reverse("guidance:detail", args=[guidance.pk]), guidance, qd),
        ("person.list", reverse("organisation:person_list") + "?q=ohjaaja", None, admin),
        ("person.detail", reverse("organisation:person_detail", args=[someone.pk]), someone, admin),
        ("notification.inbox", reverse("notifications:inbox"), None, qd),
        ("deviation.list", reverse("deviations:list") + "?state=open&kind=quality", None, qd),
        ("deviation.export", reverse("deviations:export") + "?state=open", None, qd),
        ("placement.list", reverse("clients:unit", args=[child.unit_id]) + "?ended=1", None, Role.EMPLOYEE),
        ("placement.detail", reverse("clients:detail", args=[child.pk]), child, Role.EMPLOYEE),
        ("outcome.measurements", reverse("outcomes:child", args=[child.pk]), child, Role.EMPLOYEE),
        ("outcome.goals", reverse("outcomes:goals_print", args=[child.pk]), child, Role.EMPLOYEE),
        ("outcome.sessions", reverse("outcomes:sessions", args=[child.pk]), child, Role.EMPLOYEE),
        ("outcome.report", reverse("outcomes:report", args=[child.pk]), child, Role.EMPLOYEE),
        ("outcome.report_pdf", reverse("outcomes:report_pdf", args=[child.pk]), child, Role.EMPLOYEE),
        ("competence.own", reverse("people:index"), None, Role.EMPLOYEE),
        ("competence.matrix", reverse("people:unit", args=[child.unit_id]), None, Role.SUPERVISOR),
        ("competence.person", reverse("people:person", args=[child.unit_id, someone.pk]), someone, Role.SUPERVISOR),
        ("competence.orientations", reverse("people:orientations", args=[child.unit_id]), None, Role.SUPERVISOR),
        ("competence.orientation", reverse("people:orientation", args=[orientation.pk]), orientation, Role.SUPERVISOR),
    ]


WHATS = [
    "log.list", "log.detail", "meeting.minutes", "action.list", "action.detail", "action.export", "risk.list",
    "risk.detail", "risk.assessment", "guidance.list", "guidance.letter", "person.list", "person.detail",
    "notification.inbox", "deviation.list", "deviation.export", "placement.list", "placement.detail",
    "outcome.measurements", "outcome.goals", "outcome.report", "outcome.report_pdf", "competence.own",
    "competence.matrix", "competence.person", "competence.orientations", "competence.orientation",
]


@pytest.mark.parametrize("what", WHATS)
def test_a_page_read_writes_one_access_log_row(small_demo, db, client, what):
    [(_, url, record, role)] = [p for p in pages() if p[0] == what]
    reader = person(role)
    client.force_login(reader)
    before = AccessLogEntry.objects.count()
    response = client.get(url, REMOTE_ADDR="192.0.2.44")
    assert response.status_code == 200
    if response.streaming:
        b"".join(response.streaming_content)
    rows = AccessLogEntry.objects.filter(what=what)
    assert AccessLogEntry.objects.count() == before + 1
    [row] = rows
    assert row.actor == reader and row.ip_address == "192.0.2.44" and row.right
    if record is None:
        assert row.target_id is None
        query = url.partition("?")[2]
        # The filter, without empty values: "?unit=" adds nothing.
        assert row.detail == "&".join(sorted(p for p in query.split("&") if not p.endswith("="))) if query else row.detail == ""
    else:
        assert (row.target_type, row.target_id) == (ContentType.objects.get_for_model(record), record.pk)


def test_a_refused_read_writes_no_row(small_demo, db, client):
    client.force_login(person(Role.EMPLOYEE))
    assert client.get(reverse("organisation:person_list")).status_code == 403
    assert client.get(reverse("improvement:log")).status_code == 403
    assert not AccessLogEntry.objects.filter(what__in=["person.list", "log.list"]).exists()
