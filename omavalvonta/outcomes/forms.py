"""Forms of the functional-capacity measure. The measurement form is built from
the version's items (the child's and the worker's 0-10 scores side by side)
and the child's open goals (their follow-up). The services check everything
again; the forms only parse, so a refused form comes back with what was typed."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape as html_escape

from django import forms
from django.utils import timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy as _

from omavalvonta.core.forms import DateField, DateInput, EditVersionField
from omavalvonta.core.widgets import QuickRadioSelect
from omavalvonta.outcomes import sessions
from omavalvonta.outcomes.models import SCALE_MAX, SCALE_MIN, FollowUp, MeasurementStatus

SCORES = [(str(n), str(n)) for n in range(SCALE_MIN, SCALE_MAX + 1)]


def scale_chips(bound) -> str:
    """The radio buttons of a 0-10 scale as chips (a label around each real
    radio button and its visible number), for outcomes/measure.html. Written
    here in one pass: through the widget's templates the form's 180 buttons
    took most of the page's time (the bench, issue 15); the field's name and id
    are escaped once a scale, not once a button."""
    current = bound.value()
    current = "" if current is None else str(current)
    name, auto_id = html_escape(bound.html_name), html_escape(bound.auto_id)
    invalid = ' aria-invalid="true"' if bound.errors else ""
    return mark_safe("".join(
        f'<label class="scale__chip" for="{auto_id}_{i}"><input type="radio" name="{name}" value="{html_escape(str(value))}" '
        f'id="{auto_id}_{i}"{" checked" if str(value) == current else ""}{invalid}><span>{html_escape(str(label))}</span></label>'
        for i, (value, label) in enumerate(bound.field.choices)
    ))


_SCALE = """
      <fieldset class="scale scale--{who}{error_class}" id="{auto_id}_field">
        <legend class="scale__question"><span class="scale__who">{who_label}</span> {text}</legend>
        <div class="scale__chips">
          {chips}
        </div>
        <p class="scale__ends"><span>0 = {low}</span><span>10 = {high}</span></p>
        {errors}
      </fieldset>"""


def scale_html(bound, *, who: str, who_label: str, text: str, low: str, high: str) -> str:
    """One 0-10 answer of the measurement form: the chips (`scale_chips`) in a
    fieldset whose legend is the question, so a screen reader reads "question,
    7, radio button"; what 0 and 10 mean below, then the field's errors."""
    errors = bound.errors
    return mark_safe(_SCALE.format(
        who=who,
        error_class=" field--error" if errors else "",
        auto_id=escape(bound.auto_id),
        who_label=escape(who_label),
        text=escape(text),
        chips=scale_chips(bound),
        low=escape(low),
        high=escape(high),
        errors=conditional_escape(errors) if errors else "",
    ))


@dataclass(frozen=True)
class MeasureRow:
    """One item of the measurement form: its domain and its two scales' HTML (`scale_html`)."""

    domain: str
    label: str
    scales: str


class MeasurementForm(forms.Form):
    measured_on = DateField(label=_("Date of the measurement"), widget=DateInput)
    status = forms.ChoiceField(
        label=_("Was the measurement done?"), choices=MeasurementStatus.choices, widget=QuickRadioSelect
    )
    reason = forms.CharField(
        label=_("Reason or note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the child declined or was not reached."),
    )

    def __init__(self, *args, items, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.goals = goals
        whose = {"child": gettext("the child"), "worker": gettext("the worker")}
        for item in items:
            for who in ("child", "worker"):
                self.fields[f"{who}_{item.pk}"] = forms.ChoiceField(
                    label=f"{item.domain_label} – {whose[who]}", choices=SCORES, required=False, widget=forms.RadioSelect
                )
        for goal in goals:
            self.fields[f"followup_{goal.pk}"] = forms.ChoiceField(
                label=goal.text, choices=FollowUp.choices, required=False, widget=QuickRadioSelect
            )

    @classmethod
    def initial_values(cls) -> dict:
        return {"measured_on": timezone.localdate(), "status": MeasurementStatus.DONE}

    def rows(self) -> list[MeasureRow]:
        """Per item: its domain and the child's and the worker's scales, written
        here (`scale_html`): sixteen scales took most of the page's time through
        the template (the bench, issue 15)."""
        whose = {"child": gettext("The child"), "worker": gettext("The worker")}
        very_badly, very_well = gettext("very badly"), gettext("very well")
        rows = []
        for item in self.items:
            low, high = item.low_text or very_badly, item.high_text or very_well
            scales = "".join(
                scale_html(self[f"{who}_{item.pk}"], who=who, who_label=whose[who], text=text, low=low, high=high)
                for who, text in (("child", item.child_text), ("worker", item.worker_text))
            )
            rows.append(MeasureRow(domain=item.domain, label=item.domain_label, scales=mark_safe(scales)))
        return rows

    def follow_up_rows(self):
        return [(goal, self[f"followup_{goal.pk}"]) for goal in self.goals]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "measured_on": data.get("measured_on"),
            "status": data.get("status"),
            "reason": data.get("reason", ""),
            "answers": {
                item.pk: (data.get(f"child_{item.pk}") or None, data.get(f"worker_{item.pk}") or None)
                for item in self.items
            },
            "follow_ups": {goal.pk: data.get(f"followup_{goal.pk}") for goal in self.goals},
        }


class GoalsForm(forms.Form):
    """Up to three goals, each a domain and the child's own words."""

    def __init__(self, *args, items, proposed, rows: int, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Choose a domain"))] + [(str(i.pk), i.domain_label) for i in items]
        self.row_count = rows
        for i in range(rows):
            self.fields[f"goal_{i}_domain"] = forms.ChoiceField(
                label=_("Domain"), choices=choices, required=False
            )
            self.fields[f"goal_{i}_text"] = forms.CharField(
                label=_("The goal in the child's words"),
                required=False,
                max_length=300,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            if i < len(proposed) and not self.is_bound:
                self.initial[f"goal_{i}_domain"] = str(proposed[i].pk)

    def goal_rows(self):
        return [(i + 1, self[f"goal_{i}_domain"], self[f"goal_{i}_text"]) for i in range(self.row_count)]

    def service_goals(self) -> list[tuple[int | None, str]]:
        result = []
        for i in range(self.row_count):
            raw = self.cleaned_data.get(f"goal_{i}_domain")
            result.append((int(raw) if raw else None, self.cleaned_data.get(f"goal_{i}_text", "")))
        return result


def _text(label, *, required=False):
    return forms.CharField(label=label, max_length=300, required=required, widget=forms.Textarea(attrs={"rows": 2}))


class ItemForm(forms.Form):
    domain_fi = forms.CharField(label=_("Domain in Finnish"), max_length=80)
    domain_sv = forms.CharField(label=_("Domain in Swedish"), max_length=80, required=False)
    domain_en = forms.CharField(label=_("Domain in English"), max_length=80, required=False)
    child_fi = _text(_("Child's wording in Finnish"), required=True)
    child_sv = _text(_("Child's wording in Swedish"))
    child_en = _text(_("Child's wording in English"))
    worker_fi = _text(_("Worker's wording in Finnish"), required=True)
    worker_sv = _text(_("Worker's wording in Swedish"))
    worker_en = _text(_("Worker's wording in English"))
    low_fi = forms.CharField(label=_("Meaning of 0 in Finnish"), max_length=80, required=False)
    high_fi = forms.CharField(label=_("Meaning of 10 in Finnish"), max_length=80, required=False)
    age_min = forms.IntegerField(label=_("From age"), min_value=0, max_value=30)
    age_max = forms.IntegerField(label=_("To age"), min_value=0, max_value=30)
    edit_version = EditVersionField()

    FIELDS = (
        "domain_fi", "domain_sv", "domain_en", "child_fi", "child_sv", "child_en",
        "worker_fi", "worker_sv", "worker_en", "low_fi", "high_fi", "age_min", "age_max",
    )

    @classmethod
    def initial_from(cls, item) -> dict:
        return {**{name: getattr(item, name) for name in cls.FIELDS}, "edit_version": item.edit_version}


class SessionCheckForm(forms.Form):
    """The short check at a meeting with the child: eight 0-10 questions in two
    groups (outcomes/sessions.py); the service checks that each is answered."""

    checked_on = DateField(label=_("Date of the meeting"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, text in sessions.QUESTIONS:
            self.fields[code] = forms.ChoiceField(label=text, choices=SCORES, required=False, widget=forms.RadioSelect)

    def groups(self):
        """(heading, [(question, bound field)]) for the two groups."""
        return [
            (_("How things are"), [(text, self[code]) for code, text in sessions.LIFE]),
            (_("How this meeting felt"), [(text, self[code]) for code, text in sessions.MEETING]),
        ]

    def scores(self) -> dict:
        return {code: self.cleaned_data.get(code) or None for code in sessions.CODES}


class ReportForm(forms.Form):
    """The period of a report to the child's social worker (the last full quarter by default)."""

    period_start = DateField(label=_("First day of the period"), widget=DateInput)
    period_end = DateField(label=_("Last day of the period"), widget=DateInput)
