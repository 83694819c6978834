"""The report page's handling parts written in Python: the handler's panel, who
was informed and the handling decisions (issue 13). As templates (with
components/step_form.html a form) they were some twenty thousand template
lookups a request, a third of the page's work; the markup is theirs, byte for
byte (tests compare pages). Each part reads the page's context (views/detail.py)
and writes every value escaped; a translation is not escaped, as
{% translate %} does not escape it. A form with errors still renders its error
summary, and a field with errors its component, from the templates
(core.lib.formhtml)."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from omavalvonta.core.lib.formhtml import error_summary_html, escape, fields_html, hidden_field, step_form_html

_MARK = 9_007_199_254_740_993


@lru_cache(maxsize=64)
def _link(name: str, args: int, prefix: str, urlconf) -> tuple[str, ...]:
    """The pieces around each of `args` record ids in `name`'s address."""
    url = reverse(name, args=[_MARK + i for i in range(args)], urlconf=urlconf)
    pieces = []
    for i in range(args):
        head, found, url = url.partition(str(_MARK + i))
        assert found, name
        pieces.append(head)
    return (*pieces, url)


def link(name: str, *ids) -> str:
    """`reverse(name, args=ids)` of record ids, reversed once per process, name,
    script prefix and URLconf."""
    pieces = _link(name, len(ids), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return "".join(piece + str(int(pk)) for piece, pk in zip(pieces, ids, strict=False)) + pieces[-1]


@lru_cache(maxsize=1024)
def _translated(language, msgid: str) -> str:
    return gettext(msgid)


def tr(msgid: str) -> str:
    """`gettext(msgid)` kept per language (a page's fixed texts)."""
    return _translated(get_language(), msgid)


def _date(day) -> str:
    """`|date:"j.n.Y"` of a date."""
    return f"{day.day}.{day.month}.{day.year}" if day else ""


def _yes_no(value) -> str:
    """`|yesno:_("Yes,No")`."""
    yes, no = tr("Yes,No").split(",")[:2]
    return escape(yes if value else no)


def _open(condition) -> str:
    return " open" if condition else ""


def draft_attrs(user_pk, name: str, *parts) -> str:
    """core.templatetags.drafts.draft_attrs for a signed-in user."""
    key = ":".join([f"u{user_pk}", name, *(str(p) for p in parts if p not in (None, ""))])
    return (
        f'data-draft="{escape(key)}" data-draft-restored="{escape(tr("Restored your unsent text. Check it and send it again."))}"'
        f' data-draft-discard="{escape(tr("Discard it"))}"'
    )


# --- The handler's panel (deviations/_handling.html) ----------------------------------


def _step(form, *, url: str, title: str, button: str, csrf: str, opened, button_class: str = "", draft: str = "") -> str:
    """A step of the panel in its own card: `<details>` with components/step_form.html."""
    step = step_form_html(form, action=url, button=button, csrf=csrf, button_class=button_class, draft=draft)
    return f'<details class="card"{_open(opened)}>\n  <summary><strong>{title}</strong></summary>\n  \n  {step}\n</details>\n\n'


def _classify(c, d, forms, csrf) -> str:
    form = forms["classify"]
    return _step(
        form,
        url=link("deviations:classify", d.pk),
        title=tr("Classify") if d.consequence is None else tr("Change the classification"),
        button=tr("Save the classification"),
        csrf=csrf,
        opened=form.errors or d.consequence is None,
        draft=draft_attrs(c["user_pk"], "deviation-classify", d.pk),
    )


def _action(c, d, forms, csrf) -> str:
    form = forms["action"]
    return _step(
        form,
        url=link("deviations:add_action", d.pk),
        title=tr("Add a corrective action"),
        button=tr("Add the action"),
        csrf=csrf,
        opened=form.errors or (d.consequence is not None and not c["actions"]),
    )


def _answer(c, d, forms, csrf) -> str:
    form = forms["answer"]
    title = tr("Change the answer to the reporter") if d.answer else tr("Answer the reporter")
    anonymous = (
        f'<p class="help">{tr("The reporter is anonymous and reads the answer with their follow-up code.")}</p>'
        if d.is_anonymous
        else ""
    )
    return (
        f'<details class="card"{_open(form.errors or (d.consequence is not None and not d.answer))}>\n'
        f"  <summary><strong>{title}</strong></summary>\n"
        f'  <form method="post" action="{link("deviations:answer", d.pk)}" '
        f'{draft_attrs(c["user_pk"], "deviation-answer", d.pk)}>{csrf}{hidden_field(form["edit_version"])}\n'
        f"    {error_summary_html(form)}\n"
        f"    {fields_html(form, 'answer')}\n"
        f"    {anonymous}\n"
        f'    <button type="submit" class="btn btn--block">{tr("Save the answer")}</button>\n'
        "  </form>\n</details>\n\n"
    )


def _message(c, d, forms, csrf) -> str:
    if not c["reporter_reachable"]:
        return "\n\n"
    form = forms["message"]
    if d.is_anonymous or not d.reporter_id:
        help_text = tr("The reporter reads the question and answers on the follow-up page with their code.")
    else:
        help_text = tr("The reporter is told by e-mail that a question waits; the e-mail does not contain the question.")
    return (
        f'\n<details class="card"{_open(form.errors)}>\n'
        f'  <summary><strong id="ask-title">{tr("Ask the reporter")}</strong></summary>\n'
        f'  <form method="post" action="{link("deviations:message", d.pk)}">{csrf}\n'
        f"    {error_summary_html(form)}\n"
        f"    {fields_html(form, 'body')}\n"
        f'    <p class="help">{help_text}</p>\n'
        f'    <button type="submit" class="btn btn--block">{tr("Send the question")}</button>\n'
        "  </form>\n</details>\n\n\n"
    )


def _secondary_step(d, form, csrf, *, url_name: str, title: str, button: str) -> str:
    """A step whose button is secondary (changing the handler, reopening)."""
    return _step(
        form,
        url=link(url_name, d.pk),
        title=title,
        button=button,
        csrf=csrf,
        opened=form.errors,
        button_class="btn--secondary btn--block",
    )


def _items(values) -> str:
    return "".join(f"<li>{escape(value)}</li>" for value in values)


def _close(c, d, forms, csrf) -> str:
    errors = forms.get("close_errors")
    if errors:
        said = (
            f"\n      <p><strong>{tr('The report cannot be closed yet:')}</strong></p>\n"
            f'      <ul class="errorlist">{_items(errors)}</ul>\n    '
        )
    elif c["close_preview"]:
        said = (
            f'\n      <p class="help">{tr("Before the report can be closed:")}</p>\n'
            f'      <ul class="help">{_items(c["close_preview"])}</ul>\n    '
        )
    else:
        said = (
            '\n      <p class="help">'
            + tr(
                "A report can be closed when the reporter has been answered, the three handling questions "
                "have been answered and any required county notification has been sent."
            )
            + "</p>\n    "
        )
    reason = f"\n      {fields_html(forms['close'], 'reason')}\n    " if c["can_close_uncorrected"] else ""
    return (
        f'<section class="card{" card--danger" if errors else ""}" aria-labelledby="close-title">\n'
        f'  <h3 id="close-title">{tr("Close the report")}</h3>\n'
        f'  <form method="post" action="{link("deviations:close", d.pk)}">{csrf}\n'
        f"    {said}\n"
        f"    {reason}\n"
        f'    <button type="submit" class="btn btn--secondary btn--block">{tr("Close the report")}</button>\n'
        "  </form>\n</section>\n\n"
    )


def handling_panel(c: dict, csrf: str) -> SafeString:
    """`{% include "deviations/_handling.html" %}` of the page's context `c`
    (`csrf`: the form's token input)."""
    d, forms = c["deviation"], c["forms"]
    if d.is_open:
        body = "\n\n" + "".join(
            (
                _classify(c, d, forms, csrf),
                _action(c, d, forms, csrf),
                _answer(c, d, forms, csrf),
                _message(c, d, forms, csrf),
                _secondary_step(
                    d, forms["assign"], csrf, url_name="deviations:assign",
                    title=tr("Change the handler"), button=tr("Change the handler"),
                ),
                _close(c, d, forms, csrf),
            )
        )
    else:
        body = "\n\n" + _secondary_step(
            d, forms["reopen"], csrf, url_name="deviations:reopen", title=tr("Reopen the report"), button=tr("Reopen")
        )
    return mark_safe(f"\n\n{body}\n\n")  # noqa: S308 -- every value escaped above


# --- Who was informed (deviations/_informed.html) --------------------------------------


def _informed_row(row, removable: bool, d, csrf) -> str:
    party = escape(row.get_party_display())
    by = (
        tr("Informed by %(name)s") % {"name": escape(row.informed_by)}
        if row.informed_by
        else tr("Who informed them was not recorded")
    )
    note = f'<p class="prose">{escape(row.note)}</p>' if row.note else ""
    remove = (
        f'\n      <form method="post" action="{link("deviations:informed_remove", d.pk, row.pk)}" class="inline-form">'
        f'{csrf}<button type="submit" class="btn btn--secondary btn--small" aria-label="'
        f'{tr("Remove: %(party)s") % {"party": party}}">{tr("Remove")}</button></form>\n      '
        if removable
        else ""
    )
    return (
        "\n    <li>\n"
        f'      <span class="list-cards__title">{party}</span>\n'
        '      <span class="list-cards__meta">\n'
        f"        <span>{_date(row.informed_on)}</span>\n"
        f"        <span>{by}</span>\n"
        "      </span>\n"
        f"      {note}\n"
        f"      {remove}\n"
        "    </li>\n    "
    )


def informed_section(c: dict, csrf: str) -> SafeString:
    """`{% include "deviations/_informed.html" %}` of the page's context `c`."""
    d, forms = c["deviation"], c["forms"]
    editable = c["can_handle"] and d.is_open
    if c["informed"]:
        rows = "".join(_informed_row(row, editable, d, csrf) for row in c["informed"])
        listed = f'\n  <ul class="list-cards">\n    {rows}\n  </ul>\n  '
    else:
        listed = f'\n    <p class="empty">{tr("No one recorded yet.")}</p>\n  '
    form = forms.get("informed") if editable else None
    adding = ""
    if form:
        step = step_form_html(form, action=link("deviations:informed_add", d.pk), button=tr("Save"), csrf=csrf)
        adding = (
            f"\n  <details{_open(form.errors or forms.get('informed_errors'))}>\n"
            f"    <summary><strong>{tr('Record who was informed')}</strong></summary>\n"
            f"    \n    {step}\n  </details>\n  "
        )
    return mark_safe(  # noqa: S308 -- every value escaped above
        '\n\n<section class="card" aria-labelledby="informed-title">\n'
        f'  <h2 id="informed-title">{tr("Who was informed")}</h2>\n'
        f"  {listed}\n"
        f"  {adding}\n"
        "</section>\n\n"
    )


# --- The handling decisions (deviations/_decisions.html) -------------------------------


def _answers(d) -> str:
    if not d.decisions_at:
        return f'\n    <p class="empty">{tr("Not answered yet. The answers are needed before the report can be closed.")}</p>\n  '
    outside = tr("Yes: %(who)s") % {"who": escape(d.outside_party)} if d.outside_party_needed else tr("No")
    return (
        '\n  <dl class="facts">\n'
        f"    <dt>{tr('Was the instruction followed?')}</dt><dd>{escape(d.get_instruction_followed_display())}</dd>\n"
        f"    <dt>{tr('Must the instruction change?')}</dt><dd>{_yes_no(d.instruction_must_change)}</dd>\n"
        f"    <dt>{tr('Is an outside party needed?')}</dt><dd>{outside}</dd>\n"
        "  </dl>\n  "
    )


_PROPOSAL_BADGE = {"proposed": "in_handling", "accepted": "closed"}


def _proposal(p) -> str:
    decided = f"<span>{_date(p.decided_on)}</span>" if p.decided_on else ""
    note = f'<p class="prose">{escape(p.decision_note)}</p>' if p.decision_note else ""
    decides = tr("Decides: %(name)s") % {"name": escape(p.responsible.full_name)}
    return (
        "\n    <li>\n"
        f'      <span class="list-cards__title">{escape(p.instruction)}</span>\n'
        '      <span class="list-cards__meta">\n'
        f'        <span class="badge badge--{_PROPOSAL_BADGE.get(p.state, "neutral")}">{escape(p.get_state_display())}</span>\n'
        f"        <span>{decides}</span>\n"
        f"        {decided}\n"
        "      </span>\n"
        f"      {note}\n"
        "    </li>\n    "
    )


def _decisions_form(d, form, proposals, csrf) -> str:
    title = tr("Change the answers") if d.decisions_at else tr("Answer the handling questions")
    if proposals:
        change = f'\n        <p class="help">{tr("A proposal to change the instruction has been made from this report.")}</p>\n      '
    else:
        change = (
            '\n      <fieldset class="field">\n'
            f"        <legend>{tr('If the instruction must change')}</legend>\n"
            f"        {fields_html(form, 'instruction proposal responsible')}\n"
            "      </fieldset>\n      "
        )
    return (
        f"\n  <details{_open(form.errors or not d.decisions_at)}>\n"
        f"    <summary><strong>{title}</strong></summary>\n"
        f'    <form method="post" action="{link("deviations:decide", d.pk)}">{csrf}{hidden_field(form["edit_version"])}\n'
        f"      {error_summary_html(form)}\n"
        f"      {fields_html(form, 'instruction_followed')}\n"
        f"      {fields_html(form, 'must_change', cols=True)}\n"
        f"      {change}\n"
        f"      {fields_html(form, 'outside_needed', cols=True)}\n"
        f"      {fields_html(form, 'outside_party')}\n"
        f'      <button type="submit" class="btn btn--block">{tr("Save the answers")}</button>\n'
        "    </form>\n  </details>\n  "
    )


def decisions_section(c: dict, csrf: str) -> SafeString:
    """`{% include "deviations/_decisions.html" %}` of the page's context `c`."""
    d, proposals = c["deviation"], c["proposals"]
    listed = ""
    if proposals:
        rows = "".join(_proposal(p) for p in proposals)
        listed = (
            f"\n  <h3>{tr('Proposals to change an instruction')}</h3>\n"
            f'  <ul class="list-cards">\n    {rows}\n  </ul>\n  '
        )
    form = c["forms"].get("decisions") if c["can_handle"] and d.is_open else None
    return mark_safe(  # noqa: S308 -- every value escaped above
        '\n\n<section class="card" aria-labelledby="decisions-title">\n'
        f'  <h2 id="decisions-title">{tr("Handling decisions")}</h2>\n'
        f"  {_answers(d)}\n"
        f"  {listed}\n"
        f"  {_decisions_form(d, form, proposals, csrf) if form else ''}\n"
        "</section>\n\n"
    )
