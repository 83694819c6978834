"""The report page's own parts written in Python (issue 13): its header with the
badges, the report's facts, what happened, the classification, the answer to
the reporter, the corrective actions and the timeline. In deviations/detail.html
they were some three hundred template nodes on every page; the markup is the
template's, byte for byte (tests compare pages). Each part reads the page's
context (views/detail.py) and writes every value escaped; a translation is not
escaped, as {% translate %} does not escape it."""

from __future__ import annotations

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from omavalvonta.core.lib.formhtml import escape
from omavalvonta.deviations.access_rows import moment_text
from omavalvonta.deviations.handling_html import link, tr
from omavalvonta.deviations.list_rows import datetime_text


def _day(value) -> str:
    """`|date:"j.n.Y"` of a date (or a datetime, in local time)."""
    if not value:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return f"{value.day}.{value.month}.{value.year}"


def _moment(value) -> str:
    """`|date:"j.n.Y G.i"` (nothing for None)."""
    return datetime_text(value) if value else ""


def _yes_no(value) -> str:
    """`|yesno:_("Yes,No")`."""
    yes, no = tr("Yes,No").split(",")[:2]
    return escape(yes if value else no)


def _or_not_given(value) -> str:
    """`|default:_("Not given")`."""
    return escape(value) if value else tr("Not given")


def _safe(html: str) -> SafeString:
    return mark_safe(html)  # noqa: S308 -- every value escaped where the part is written


# --- The header --------------------------------------------------------------------------


def badges(d) -> str:
    """`{% include "deviations/_badges.html" %}` of report `d`."""
    grievance = f'<span class="badge badge--grievance">{tr("§ 29 grievance")}</span>' if d.kind == "grievance" else ""
    notify = (
        f'<span class="badge badge--serious">{tr("§ 28: notify")}</span>'
        if d.notification_due_at and not d.notification_done_at
        else ""
    )
    critical = f'<span class="badge badge--critical">{tr("Critical")}</span>' if d.is_critical else ""
    risk = (
        f'<span class="badge badge--{escape(d.risk_level)}">'
        f"{tr('Risk: %(level)s') % {'level': escape(d.get_risk_level_display())}}</span>"
        if d.risk_level
        else ""
    )
    overdue = f'<span class="badge badge--overdue">{tr("Overdue")}</span>' if d.is_overdue else ""
    state = f'<span class="badge badge--{escape(d.state)}">{escape(d.get_state_display())}</span>'
    return f"\n{grievance}\n{notify}\n{critical}\n{state}\n{risk}\n{overdue}\n"


def header(c: dict) -> SafeString:
    d = c["deviation"]
    if c["sees_handling"]:
        go = f'<a class="btn btn--small" href="#handling-title">{tr("Go to handling")}</a>' if c["can_handle"] else ""
        steer = (
            f'<a class="btn btn--secondary btn--small" href="{link("improvement:goal_prompt")}?lahde=deviation:{d.pk}" '
            f'data-steer-plan>{tr("Steer the action plan")}</a>'
            if c["can_steer_plan"]
            else ""
        )
        buttons = (
            f'<div class="btn-row">\n    {go}\n    {steer}\n'
            f'    <a class="btn btn--secondary btn--small" href="{link("deviations:list")}">{tr("All deviations")}</a>\n'
            "  </div>\n  "
        )
    elif c["is_own"]:
        buttons = f'<a class="btn btn--secondary btn--small" href="{link("deviations:mine")}">{tr("My reports")}</a>'
    else:
        buttons = ""
    return _safe(
        '<div class="page-header">\n  <div>\n'
        f"    <h1>{escape(d.get_kind_display())}</h1>\n"
        f'    <p class="page-header__meta">{escape(d.number)} · {escape(d.unit.name)}</p>\n'
        f'    <p class="list-cards__meta">{badges(d)}</p>\n'
        f"  </div>\n  {buttons}\n</div>"
    )


# --- The report's facts and what happened ----------------------------------------------------


def reporter(d, shown) -> str:
    """`{% include "deviations/_reporter.html" %}` of `shown` (identity.ReporterDisplay)."""
    if shown.state == "you":
        said = tr("You")
    elif shown.state == "shown":
        protected = (
            f'<br><span class="muted">{tr("Protected identity, disclosed to you")}</span>' if d.identity_protected else ""
        )
        said = f"{escape(shown.name)}{protected}"
    elif shown.state == "anonymous":
        said = tr("Anonymous")
    else:
        disclose = (
            f' <a href="{link("deviations:disclose_reporter", d.pk)}">{tr("See who reported (the reason is recorded)")}</a>'
            if shown.can_disclose
            else ""
        )
        said = f"{tr('Identity protected')}{disclose}"
    return f"{said}\n"


def _affected(d) -> str:
    who = [
        tr(label)
        for present, label in (
            (d.affected_child, "A child or young person"),
            (d.affected_staff, "Staff"),
            (d.affected_other, "Someone else"),
        )
        if present
    ]
    return ", ".join(who) if who else f'<span class="muted">{tr("Not given")}</span>'


def _handling_facts(d) -> str:
    handler = escape(d.handler) if d.handler else tr("Not assigned")
    starts = (
        f"<dt>{tr('Handling must start by')}</dt><dd>{_moment(d.handling_due_at)}</dd>" if d.state == "submitted" else ""
    )
    overdue = f' <span class="badge badge--overdue">{tr("Overdue")}</span>' if d.is_overdue else ""
    return (
        f"\n          <dt>{tr('Handler')}</dt><dd>{handler}</dd>\n"
        f"          {starts}\n"
        f"          <dt>{tr('Handling target date')}</dt><dd>{_day(d.due_date)}{overdue}</dd>\n        "
    )


def facts(c: dict) -> SafeString:
    d, sees = c["deviation"], c["sees_handling"]
    where = f"<dt>{tr('Where')}</dt><dd>{escape(d.location)}</dd>" if d.location else ""
    closed = f"<dt>{tr('Closed')}</dt><dd>{_moment(d.closed_at)}</dd>" if d.closed_at and not d.is_open else ""
    uncorrected = (
        f"<dt>{tr('Closed before the correction because')}</dt><dd class=\"prose\">{escape(d.uncorrected_close_reason)}</dd>"
        if sees and d.uncorrected_close_reason
        else ""
    )
    return _safe(
        '<section class="card" aria-labelledby="facts-title">\n'
        f'      <h2 id="facts-title">{tr("Report")}</h2>\n'
        '      <dl class="facts">\n'
        f"        <dt>{tr('Type')}</dt><dd>{escape(d.get_kind_display())}</dd>\n"
        f"        <dt>{tr('Unit')}</dt><dd>{escape(d.unit.name)}</dd>\n"
        f"        <dt>{tr('When it happened')}</dt><dd>{_moment(d.occurred_at)}</dd>\n"
        f"        {where}\n"
        f"        <dt>{tr('Submitted')}</dt><dd>{_moment(d.submitted_at)}</dd>\n"
        f"        <dt>{tr('Reported by')}</dt>\n"
        f'        <dd id="reporter">{reporter(d, c["reporter"])}</dd>\n'
        f"        <dt>{tr('Who was affected')}</dt>\n"
        f"        <dd>{_affected(d)}</dd>\n"
        f"        {_handling_facts(d) if sees else ''}\n"
        f"        {closed}\n"
        f"        {uncorrected}\n"
        "      </dl>\n    </section>"
    )


def _prose(title: str, text) -> str:
    return f'\n        <h3>{tr(title)}</h3>\n        <p class="prose">{escape(text)}</p>\n      ' if text else ""


def _kind_facts(d) -> str:
    """The kind's own section (medication, threat or violence, data protection)."""
    if d.kind == "medication":
        name, title, rows = "medication", "Medication", (
            ("Stage", _or_not_given(d.get_medication_stage_display())),
            ("Medicine or substance", _or_not_given(d.medication_substance)),
        )
    elif d.kind == "threat_or_violence":
        name, title, rows = "violence", "Threat, danger or violence", (
            ("Directed at", _or_not_given(d.get_violence_target_display())),
            ("Someone was injured", _yes_no(d.injury)),
            ("Physical restraint was used", _yes_no(d.restraint_used)),
        )
    elif d.kind == "data_protection":
        name, title, rows = "data", "Data protection", (
            ("What data and which system", _or_not_given(d.data_concerned)),
            ("Possible personal-data breach", _yes_no(d.personal_data_breach)),
        )
    else:
        return ""
    listed = "".join(f"        <dt>{tr(label)}</dt><dd>{value}</dd>\n" for label, value in rows)
    return (
        f'\n    <section class="card" aria-labelledby="{name}-title">\n'
        f'      <h2 id="{name}-title">{tr(title)}</h2>\n'
        f'      <dl class="facts">\n{listed}      </dl>\n    </section>\n    '
    )


def what_happened(c: dict) -> SafeString:
    d = c["deviation"]
    return _safe(
        '<section class="card" aria-labelledby="what-title">\n'
        f'      <h2 id="what-title">{tr("What happened")}</h2>\n'
        f'      <p class="prose">{escape(d.description)}</p>\n'
        f"      {_prose('What was done right away', d.immediate_actions)}\n"
        f"      {_prose('Proposal for improvement', d.improvement_proposal)}\n"
        f"    </section>\n\n    {_kind_facts(d)}"
    )


# --- The handling's results ----------------------------------------------------------------


def classification(c: dict) -> SafeString:
    d = c["deviation"]
    if d.consequence is None:
        said = f'\n        <p class="empty">{tr("Not classified yet.")}</p>\n      '
    else:
        risk = (
            f'<span class="badge badge--{escape(d.risk_level)}">{escape(d.get_risk_level_display())}</span>'
            if d.risk_level
            else "–"
        )
        factors = (
            f'<h3>{tr("Contributing factors")}</h3><p class="prose">{escape(d.contributing_factors)}</p>'
            if d.contributing_factors
            else ""
        )
        analysis = f'<h3>{tr("Analysis")}</h3><p class="prose">{escape(d.analysis)}</p>' if d.analysis else ""
        said = (
            '\n      <dl class="facts">\n'
            f"        <dt>{tr('Consequence')}</dt><dd>{escape(d.get_consequence_display())}</dd>\n"
            f"        <dt>{tr('Likelihood of recurrence')}</dt><dd>{escape(d.get_likelihood_display())}</dd>\n"
            f"        <dt>{tr('Risk level')}</dt><dd>{risk}</dd>\n"
            f"        <dt>{tr('Critical')}</dt><dd>{_yes_no(d.is_critical)}</dd>\n"
            f"        <dt>{tr('Next team meeting')}</dt><dd>{_yes_no(d.for_team_meeting)}</dd>\n"
            "      </dl>\n"
            f"      {factors}\n"
            f"      {analysis}\n      "
        )
    return _safe(
        '<section class="card" aria-labelledby="classification-title">\n'
        f'      <h2 id="classification-title">{tr("Classification")}</h2>\n'
        f"      {said}\n    </section>"
    )


def answer(c: dict) -> SafeString:
    d = c["deviation"]
    if d.answer:
        answered = (
            f'<p class="muted">{tr("Answered %(date)s") % {"date": _moment(d.answered_at)}}</p>' if d.answered_at else ""
        )
        said = f'\n        <p class="prose">{escape(d.answer)}</p>\n        {answered}\n      '
    else:
        said = f'\n        <p class="empty">{tr("Not answered yet.")}</p>\n      '
    return _safe(
        '<section class="card" aria-labelledby="reply-title">\n'
        f'      <h2 id="reply-title">{tr("Answer to the reporter")}</h2>\n'
        f"      {said}\n    </section>"
    )


def _action(action, sees: bool) -> str:
    if sees:
        title = f'<a class="list-cards__title" href="{link("improvement:action_detail", action.pk)}">{escape(action.title)}</a>'
    else:
        title = f'<span class="list-cards__title">{escape(action.title)}</span>'
    owner = f"<span>{escape(action.owner)}</span>" if sees else ""
    overdue = f'<span class="badge badge--overdue">{tr("Overdue")}</span>' if action.is_overdue else ""
    return (
        "\n        <li>\n"
        f"          {title}\n"
        '          <span class="list-cards__meta">\n'
        f"            <span>{tr('Due %(date)s') % {'date': _day(action.due_date)}}</span>\n"
        f"            {owner}\n"
        f'            <span class="badge badge--neutral">{escape(action.get_state_display())}</span>\n'
        f"            {overdue}\n"
        "          </span>\n"
        "        </li>\n        "
    )


def actions(c: dict) -> SafeString:
    if c["actions"]:
        rows = "".join(_action(action, c["sees_handling"]) for action in c["actions"])
        said = f'\n      <ul class="list-cards">\n        {rows}\n      </ul>\n      '
    else:
        said = f'\n        <p class="empty">{tr("No actions decided yet.")}</p>\n      '
    return _safe(
        '<section class="card" aria-labelledby="actions-title">\n'
        f'      <h2 id="actions-title">{tr("Corrective actions")}</h2>\n'
        f"      {said}\n    </section>"
    )


def _entry(entry, zone) -> str:
    at = entry.at.astimezone(zone)
    detail = f": {escape(entry.detail)}" if getattr(entry, "detail", None) else ""
    actor = f' <span class="muted">– {escape(entry.actor_name)}</span>' if entry.actor_name else ""
    return (
        f'\n      <li><time datetime="{at.isoformat()}">{moment_text(at, zone)}</time>'
        f"{escape(entry.label)}{detail}{actor}</li>\n    "
    )


def timeline(c: dict) -> SafeString:
    """`{% include "components/timeline.html" %}` of the page's `timeline`."""
    if c["timeline"]:
        zone = timezone.get_current_timezone()
        said = f'\n  <ol class="timeline">\n    {"".join(_entry(entry, zone) for entry in c["timeline"])}\n  </ol>\n  '
    else:
        said = f'\n    <p class="empty">{tr("No events yet.")}</p>\n  '
    return _safe(
        '\n<section class="card" aria-labelledby="timeline-title">\n'
        f'  <h2 id="timeline-title">{tr("Timeline")}</h2>\n'
        f"  {said}\n</section>\n"
    )


def page_parts(c: dict) -> None:
    """The parts above into the page's context."""
    c["header_html"] = header(c)
    c["facts_html"] = facts(c)
    c["what_html"] = what_happened(c)
    c["actions_html"] = actions(c)
    c["timeline_html"] = timeline(c)
    if c["sees_handling"]:
        c["classification_html"] = classification(c)
        c["answer_html"] = answer(c)
