"""A walk through the product's pages on a 390 px phone, public and signed in,
over the demo organisation's data: no page may scroll sideways."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from omavalvonta.audits.models import ServicePartner, TrackedDocument
from omavalvonta.clients.models import Placement
from omavalvonta.complaints.models import Complaint
from omavalvonta.demo import builder
from omavalvonta.deviations.models import Deviation, InstructionProposal
from omavalvonta.feedback.models import Round
from omavalvonta.guidance.models import Guidance
from omavalvonta.improvement.models import ActionPlan
from omavalvonta.meetings.models import ChildrensMeeting, Meeting
from omavalvonta.organisation.models import Role, Unit, User
from omavalvonta.outcomes.selectors import current_version
from omavalvonta.people.models import Orientation, QualificationType
from omavalvonta.plans.models import FollowupReport, ReportState
from omavalvonta.privacy.models import DestructionRun
from omavalvonta.testing.browser import login, snap

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390


def _public_pages():
    published = FollowupReport.objects.filter(state=ReportState.PUBLISHED).order_by("-period_end").first()
    unit = Unit.objects.get(name=builder.DEMO_UNIT_NAME)
    pages = [
        reverse("public:index"),
        reverse("public:followup"),
        reverse("public:plans_index"),
        reverse("public:privacy_notices"),
        reverse("public:privacy_notice", args=["deviations"]),
        reverse("public:plans_unit", args=[unit.public_slug]),
        reverse("public:plans_programme"),
        reverse("public:feedback_send"),
    ]
    if published is not None:
        pages.append(reverse("public:plans_report", args=[published.pk]))
    return pages


def _staff_pages():
    unit = Unit.objects.get(name=builder.DEMO_UNIT_NAME)
    deviation = Deviation.objects.filter(unit=unit).order_by("-submitted_at").first()
    grievance = Deviation.objects.filter(kind="grievance").order_by("-submitted_at").first()
    child = Placement.objects.filter(unit=unit, ends_on__isnull=True).order_by("pk").first()
    version = current_version()
    employee = User.objects.get(email=builder.LOGIN_EMAIL[Role.EMPLOYEE])
    permit_type = QualificationType.objects.get(kind="medication_permit")
    mentored = Orientation.objects.filter(unit=unit, mentor=employee).order_by("pk").first()
    medication = TrackedDocument.objects.filter(unit=unit, kind="medication_plan").order_by("pk").first()
    partner = ServicePartner.objects.filter(units=unit).order_by("pk").first()
    pages = {
        Role.EMPLOYEE: [
            reverse("home"),
            reverse("deviations:new"),
            reverse("deviations:mine"),
            reverse("clients:unit", args=[unit.pk]),
            reverse("clients:unit", args=[unit.pk]) + "?ended=1",
            reverse("clients:detail", args=[child.pk]),
            reverse("outcomes:child", args=[child.pk]),
            reverse("outcomes:measure", args=[child.pk]),
            reverse("outcomes:goals_print", args=[child.pk]),
            reverse("outcomes:sessions", args=[child.pk]),
            reverse("outcomes:report", args=[child.pk]),
            reverse("restrictions:unit", args=[unit.pk]),
            reverse("restrictions:new", args=[child.pk]),
            reverse("people:index"),
            reverse("people:orientation", args=[mentored.pk]),
        ],
        Role.SUPERVISOR: [
            reverse("home"),
            reverse("deviations:list"),
            reverse("deviations:detail", args=[deviation.pk]),
            reverse("improvement:my_actions"),
            reverse("meetings:list"),
            reverse("improvement:log"),
            reverse("feedback:home"),
            reverse("yearclock:wheel"),
            reverse("risks:list"),
            reverse("clients:create", args=[unit.pk]),
            reverse("clients:edit", args=[child.pk]),
            reverse("clients:end", args=[child.pk]),
            reverse("yearclock:due"),
            reverse("outcomes:unit_effectiveness", args=[unit.pk]),
            reverse("unit_timeline", args=[unit.pk]),
            reverse("people:unit", args=[unit.pk]),
            reverse("people:requirement", args=[unit.pk]),
            reverse("people:person", args=[unit.pk, employee.pk]),
            reverse("people:record_new", args=[unit.pk, employee.pk, permit_type.pk]),
            reverse("people:orientations", args=[unit.pk]),
            reverse("people:orientation_new", args=[unit.pk]),
            reverse("people:orientation", args=[mentored.pk]),
            reverse("complaints:list"),
            reverse("complaints:new"),
            *[reverse("complaints:detail", args=[pk]) for pk in Complaint.objects.filter(unit=unit).values_list("pk", flat=True)],
            reverse("audits:documents"),
            reverse("audits:documents") + "?state=soon",
            reverse("audits:unit_documents", args=[unit.pk]),
            reverse("audits:document", args=[medication.pk]),
            reverse("audits:document_edit", args=[medication.pk]),
            reverse("audits:document_create"),
            reverse("audits:partners"),
            reverse("audits:partner", args=[partner.pk]),
        ],
        Role.QUALITY_DIRECTOR: [
            reverse("home"),
            reverse("search:search") + "?q=l%C3%A4%C3%A4kkeen",
            reverse("search:themes"),
            reverse("deviations:detail", args=[grievance.pk]),
            reverse("deviations:notify", args=[grievance.pk]),
            reverse("guidance:list"),
            reverse("plans:list"),
            reverse("plans:programme"),
            reverse("plans:reports"),
            reverse("clients:overview"),
            reverse("restrictions:overview"),
            reverse("outcomes:effectiveness"),
            reverse("people:overview"),
            reverse("people:overview") + f"?region={unit.region_id}",
            reverse("people:cards"),
            reverse("people:card", args=[mentored.card_id]),
            reverse("audits:security_plan"),
            reverse("audits:security_plan_compare"),
            reverse("audits:documents") + "?unit=org",
            reverse("audits:document_create"),
            reverse("audits:document_create") + "?scope=org",
            reverse("audits:partner_create"),
            reverse("audits:partner_edit", args=[ServicePartner.objects.order_by("pk").first().pk]),
            reverse("deviations:proposals"),
            reverse("deviations:proposals") + "?nayta=ratkaistut",
        ],
        Role.ADMINISTRATOR: [
            reverse("organisation:admin_home"), reverse("organisation:settings"), reverse("privacy:retention"),
            reverse("privacy:holds"), reverse("privacy:runs"), reverse("privacy:destruction_records"),
            reverse("privacy:notices"), reverse("privacy:notice", args=["staff"]),
            reverse("organisation:county_access_list"), reverse("organisation:api_token_list"),
        ],
        Role.REHABILITATION_DIRECTOR: [reverse("outcomes:instruments"), reverse("outcomes:version", args=[version.pk])],
        # The HR director: the staff's reports (harassment, threat or violence) and the competence figures.
        Role.HR_DIRECTOR: [reverse("home"), reverse("deviations:list"), reverse("people:overview")],
    }
    # A finding steers the action plan (the page the report's "Steer the action plan" opens).
    pages[Role.SUPERVISOR].append(f"{reverse('improvement:goal_prompt')}?lahde=deviation:{deviation.pk}")
    plan = ActionPlan.objects.filter(unit=unit).order_by("-year").first()
    if plan is not None:
        pages[Role.SUPERVISOR].append(reverse("improvement:plan_detail", args=[plan.pk]))
    meeting = Meeting.objects.filter(unit=unit).order_by("-starts_at").first()
    if meeting is not None:
        pages[Role.SUPERVISOR].append(reverse("meetings:detail", args=[meeting.pk]))
    # The children's meetings (meetings.childrens) and the team goals they feed; the safety committee.
    pages[Role.SUPERVISOR] += [
        reverse("meetings:childrens", args=[unit.pk]),
        reverse("meetings:childrens_add", args=[unit.pk]),
        reverse("feedback:unit_goals", args=[unit.pk]),
    ]
    if record := ChildrensMeeting.objects.filter(unit=unit).order_by("-held_on").first():
        pages[Role.SUPERVISOR].append(reverse("meetings:childrens_edit", args=[record.pk]))
    if committee := Meeting.objects.filter(kind="safety_committee").order_by("-starts_at").first():
        pages[Role.QUALITY_DIRECTOR].append(reverse("meetings:detail", args=[committee.pk]))
    round_ = Round.objects.filter(unit=unit).order_by("-opens_on").first()
    if round_ is not None:
        pages[Role.SUPERVISOR].append(reverse("feedback:round", args=[round_.pk]))
    if proposal := InstructionProposal.objects.order_by("-id").first():
        pages[Role.QUALITY_DIRECTOR].append(reverse("deviations:proposal", args=[proposal.pk]))
    guidance = Guidance.objects.order_by("-id").first()
    if guidance is not None:
        pages[Role.QUALITY_DIRECTOR].append(reverse("guidance:detail", args=[guidance.pk]))
    report = FollowupReport.objects.order_by("-period_end").first()
    if report is not None:
        pages[Role.QUALITY_DIRECTOR].append(reverse("plans:report", args=[report.pk]))
    from omavalvonta.learning.models import LearningReview, LearningSummary

    if open_review := LearningReview.objects.filter(unit=unit, state="open").order_by("pk").first():
        pages[Role.SUPERVISOR] += [
            reverse("learning:list"),
            reverse("learning:detail", args=[open_review.pk]),
            reverse("learning:complete", args=[open_review.pk]),
        ]
    if summary := LearningSummary.objects.filter(shared_at__isnull=False).order_by("pk").first():
        pages[Role.EMPLOYEE] += [reverse("learning:list"), reverse("learning:summary", args=[summary.pk])]
        pages[Role.QUALITY_DIRECTOR] += [
            reverse("learning:detail", args=[summary.review_id]),
            reverse("learning:review_new") + f"?alkupera=deviation:{deviation.pk}",
        ]
    if run := DestructionRun.objects.order_by("-month").first():
        pages[Role.ADMINISTRATOR].append(reverse("privacy:run", args=[run.pk]))
    return pages


def _check(page, url, name, problems):
    response = page.goto(url)
    assert response.status == 200, f"{url}: {response.status}"
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE_WIDTH:
        # Name the innermost elements that reach past the screen's edge.
        culprits = page.evaluate(
            """(limit) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > limit + 1
                        && ![...e.children].some(c => c.getBoundingClientRect().right > limit + 1))
                .slice(0, 4)
                .map(e => e.tagName.toLowerCase()
                     + (e.className ? '.' + String(e.className).trim().replace(/\\s+/g, '.') : '')
                     + ' "' + e.textContent.trim().slice(0, 30) + '"')""",
            PHONE_WIDTH,
        )
        problems.append(f"{url}: {width} px ({', '.join(culprits)})")
        snap(page, f"walk-wide-{name}")
    else:
        snap(page, f"walk-{name}")
    # Cards stacked one above the other keep a gap between them.
    touching = page.evaluate(
        """() => [...document.querySelectorAll('.card + .card')].filter(b => {
            const a = b.previousElementSibling, ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
            const sameColumn = rb.left < ra.right && ra.left < rb.right && rb.top >= ra.bottom - 1;
            return a.offsetParent && b.offsetParent && sameColumn && rb.top - ra.bottom < 8;
        }).map(b => (b.querySelector('h2, h3, summary') || b).textContent.trim().slice(0, 40))"""
    )
    if touching:
        problems.append(f"{url}: cards without a gap ({'; '.join(touching)})")


def test_no_page_of_the_walk_scrolls_sideways_on_a_phone(phone_page, live_server, transactional_db, browser):
    call_command("load_demo", "--small", stdout=io.StringIO())
    problems = []
    for url in _public_pages():
        _check(phone_page, url, "public" + re.sub(r"\W+", "-", url), problems)
    for role, urls in _staff_pages().items():
        context = browser.new_context(
            base_url=str(live_server.url), viewport={"width": PHONE_WIDTH, "height": 844}, locale="fi-FI",
            timezone_id="Europe/Helsinki", is_mobile=True, has_touch=True,
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        login(page, live_server, builder.LOGIN_EMAIL[role], builder.DEMO_PASSWORD)
        for url in urls:
            _check(page, url, f"{role}{re.sub(r'[^0-9a-z]+', '-', url)}", problems)
        context.close()
    assert problems == [], "Pages wider than the phone:\n" + "\n".join(problems)


def test_the_follow_up_report_keeps_its_findings_column_and_table_heights_on_a_desktop(
    desktop_page, live_server, transactional_db
):
    call_command("load_demo", "--small", stdout=io.StringIO())
    report = FollowupReport.objects.order_by("-period_end").first()
    login(desktop_page, live_server, builder.LOGIN_EMAIL[Role.QUALITY_DIRECTOR], builder.DEMO_PASSWORD)
    desktop_page.goto(reverse("plans:report", args=[report.pk]))
    assert desktop_page.evaluate("document.documentElement.scrollWidth") <= 1280
    # The findings get a column wide enough to write in (20rem at least), beside the figures.
    findings = desktop_page.locator("main .grid > aside").bounding_box()
    figures = desktop_page.locator("main .grid > article").bounding_box()
    assert findings["width"] >= 320 and findings["x"] > figures["x"]
    # A short table keeps its own height instead of stretching to its neighbour's:
    # side by side, tables with different numbers of rows have different heights.
    stretched = desktop_page.evaluate(
        """() => {
            const pairs = [];
            document.querySelectorAll('main .grid').forEach(grid => {
                const items = [...grid.children].filter(c => c.querySelector('table'));
                items.forEach(a => items.forEach(b => {
                    const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
                    const rows = e => e.querySelectorAll('tr').length;
                    if (a !== b && Math.abs(ra.top - rb.top) < 1 && rows(a) !== rows(b) && Math.abs(ra.height - rb.height) < 1)
                        pairs.push(a.textContent.trim().slice(0, 20));
                }));
            });
            return pairs;
        }"""
    )
    assert stretched == []
    snap(desktop_page, "walk-desktop-followup-report")
