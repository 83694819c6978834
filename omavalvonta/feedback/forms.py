"""Forms of the feedback area. The answer form is built from a survey version's
questions, in the respondent's language, with real radio inputs and labels (the
children's faces are text labels with a face beside, not images)."""

from __future__ import annotations

from django import forms
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from omavalvonta.core.forms import DateField, DateInput, EditVersionField
from omavalvonta.feedback.channel import MAX_PUBLIC_MESSAGE
from omavalvonta.feedback.models import LANGUAGES, Channel, Group, MessageKind, QuestionKind
from omavalvonta.feedback.services import MAX_TEXT_ANSWER
from omavalvonta.organisation.unit_choice import RegionUnitChoice

# The faces are drawn as inline SVG (not emoji, whose glyphs vary by device and
# font): the mouth's curve and a soft colour per step, hidden from screen readers.
_MOUTHS = {
    "1": "M11 26 Q18 18 25 26",
    "2": "M11.5 25 Q18 21.5 24.5 25",
    "3": "M11.5 23.5 L24.5 23.5",
    "4": "M11.5 22 Q18 26.5 24.5 22",
    "5": "M10.5 21 Q18 30 25.5 21",
}
_FILLS = {"1": "#f6cdca", "2": "#fbe1c8", "3": "#fdf0b8", "4": "#dcefc9", "5": "#bfe5b4"}


def face_svg(value: str) -> str:
    return mark_safe(
        f'<svg class="fb-face" viewBox="0 0 36 36" aria-hidden="true" focusable="false">'
        f'<circle cx="18" cy="18" r="16" fill="{_FILLS[value]}" stroke="currentColor" stroke-width="1.5"/>'
        f'<circle cx="12.5" cy="14" r="2" fill="currentColor"/><circle cx="23.5" cy="14" r="2" fill="currentColor"/>'
        f'<path d="{_MOUTHS[value]}" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"/></svg>'
    )


FACES = [
    ("1", face_svg("1"), pgettext_lazy("faces scale", "Very bad")),
    ("2", face_svg("2"), pgettext_lazy("faces scale", "Bad")),
    ("3", face_svg("3"), pgettext_lazy("faces scale", "Okay")),
    ("4", face_svg("4"), pgettext_lazy("faces scale", "Good")),
    ("5", face_svg("5"), pgettext_lazy("faces scale", "Very good")),
]
AGREEMENT = [
    ("1", _("Strongly disagree")),
    ("2", _("Disagree")),
    ("3", _("Neither agree nor disagree")),
    ("4", _("Agree")),
    ("5", _("Strongly agree")),
]
NO_AUTOCOMPLETE = {"autocomplete": "off"}


class SurveyAnswerForm(forms.Form):
    """The questions of one survey version; field name = question key."""

    def __init__(self, *args, survey, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = list(survey.questions.all())
        for q in self.questions:
            label = q.text_in(language)
            if q.kind == QuestionKind.NPS:
                field = forms.TypedChoiceField(
                    label=label,
                    choices=[(str(i), str(i)) for i in range(11)],
                    coerce=int,
                    widget=forms.RadioSelect,
                    help_text=_("0 = not at all likely, 10 = extremely likely"),
                )
            elif q.kind == QuestionKind.FACES:
                field = forms.TypedChoiceField(
                    label=label, choices=[(v, text) for v, _face, text in FACES], coerce=int, widget=forms.RadioSelect
                )
            elif q.kind == QuestionKind.SCALE:
                field = forms.TypedChoiceField(label=label, choices=AGREEMENT, coerce=int, widget=forms.RadioSelect)
            else:
                field = forms.CharField(
                    label=label,
                    max_length=MAX_TEXT_ANSWER,
                    widget=forms.Textarea(attrs={"rows": 4, **NO_AUTOCOMPLETE}),
                    help_text=_("Do not write names: the answer is anonymous."),
                )
            field.required = q.required
            field.kind = q.kind
            self.fields[q.key] = field

    def answers(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}

    def face_rows(self, key):
        """(radio, face) pairs for a faces question, for the template."""
        faces = {v: face for v, face, _text in FACES}
        return [(radio, faces[str(radio.data["value"])]) for radio in self[key]]


class RoundForm(RegionUnitChoice):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(str(i), f"Q{i}") for i in range(1, 5)], coerce=int
    )
    opens_on = DateField(
        label=_("Opens"), required=False, widget=DateInput(), help_text=_("Empty: the first day of the quarter.")
    )
    closes_on = DateField(
        label=_("Closes"), required=False, widget=DateInput(), help_text=_("Empty: the last day of the quarter.")
    )

    def __init__(self, *args, units, region_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer_units(units, region_id=region_id)


class RoundDatesForm(forms.Form):
    # The shared date input sends ISO dates, the only form a date input reads.
    opens_on = DateField(label=_("Opens"), widget=DateInput())
    closes_on = DateField(label=_("Closes"), widget=DateInput())


class LinksForm(forms.Form):
    group = forms.ChoiceField(label=_("Respondent group"), choices=Group.choices)
    count = forms.IntegerField(label=_("How many links"), min_value=1, max_value=200, initial=10)


class KioskForm(forms.Form):
    group = forms.ChoiceField(label=_("Respondent group"), choices=Group.choices, widget=forms.RadioSelect)


class ChannelForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How the feedback was given"),
        choices=[(Channel.ORAL, Channel.ORAL.label), (Channel.PAPER, Channel.PAPER.label)],
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Language of the answer"), choices=[("fi", "suomi"), ("sv", "svenska"), ("en", "English")], initial="fi"
    )


class SurveyTextsForm(forms.Form):
    title_fi = forms.CharField(label=_("Title in Finnish"), max_length=200)
    title_sv = forms.CharField(label=_("Title in Swedish"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    intro_fi = forms.CharField(label=_("Introduction in Finnish"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    intro_sv = forms.CharField(label=_("Introduction in Swedish"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    intro_en = forms.CharField(label=_("Introduction in English"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    edit_version = EditVersionField()

    # The question formset posted with these texts (set by the view): its
    # questions are shown beside the stored ones after an edit conflict.
    question_forms = None

    def conflict_value(self, name, record):
        field, _sep, lang = name.rpartition("_")
        return (getattr(record, field, None) or {}).get(lang, "")

    def conflict_extra_rows(self, record):
        theirs = [q.text.get("fi", "") for q in record.questions.order_by("position")]
        yours = []
        if self.question_forms is not None and self.question_forms.is_valid():
            yours = [q["text"]["fi"] for q in (f.question() for f in self.question_forms.forms) if q]
        numbered = lambda texts: "\n".join(f"{i}. {t}" for i, t in enumerate(texts, start=1))  # noqa: E731
        return [(_("Questions"), numbered(theirs), numbered(yours))]


class QuestionForm(forms.Form):
    key = forms.SlugField(
        label=_("Key"), max_length=40, required=False, help_text=_("Keep it when you reword a question, so that results compare.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices, required=False)
    text_fi = forms.CharField(label=_("Question in Finnish"), max_length=400, required=False)
    text_sv = forms.CharField(label=_("Question in Swedish"), max_length=400, required=False)
    text_en = forms.CharField(label=_("Question in English"), max_length=400, required=False)
    required = forms.BooleanField(label=_("Answer required"), required=False)

    def question(self) -> dict | None:
        data = self.cleaned_data
        if not data or data.get("DELETE") or not (data.get("key") or data.get("text_fi")):
            return None
        return {
            "key": data.get("key") or "",
            "kind": data.get("kind") or "",
            "text": {lang: data.get(f"text_{lang}", "") for lang in LANGUAGES},
            "required": data.get("required"),
        }


QuestionFormSet = forms.formset_factory(QuestionForm, extra=1, can_delete=True, max_num=40, absolute_max=40)


class PublicMessageForm(forms.Form):
    """The public channel: feedback or a written notice, named or anonymous.
    `website` is a honeypot: hidden from people, filled in by bots."""

    kind = forms.ChoiceField(
        label=_("What do you want to send?"), choices=MessageKind.choices, widget=forms.RadioSelect, initial=MessageKind.FEEDBACK
    )
    unit = forms.ChoiceField(label=_("To whom"), required=False)
    message = forms.CharField(
        label=_("Your message"),
        max_length=MAX_PUBLIC_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=format_lazy(_("At most {max} characters."), max=MAX_PUBLIC_MESSAGE),
    )
    sender_name = forms.CharField(label=_("Your name (optional)"), max_length=150, required=False)
    sender_contact = forms.CharField(
        label=_("Phone or e-mail (optional)"),
        max_length=200,
        required=False,
        help_text=_("Leave the name and contact empty to send anonymously."),
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.fields["unit"].choices = [("", _("The organisation as a whole"))] + [(str(u.pk), u.name) for u in units]
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean(self):
        data = super().clean()
        if data.get("kind") == MessageKind.NOTICE and not data.get("unit"):
            self.add_error("unit", _("Choose the unit the notice concerns."))
        return data

    def unit_obj(self):
        return self.units.get(self.cleaned_data.get("unit") or "")

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get("website") or "").strip())


class AnswerPublicForm(forms.Form):
    answer = forms.CharField(label=_("Answer to the sender"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Follow-up code"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class GoalForm(forms.Form):
    metric = forms.ChoiceField(label=_("Measure"), choices=[], widget=forms.RadioSelect)
    group = forms.ChoiceField(label=_("Respondent group"), choices=[("", "–")] + list(Group.choices), required=False)
    target = forms.IntegerField(label=_("Target"), required=False, min_value=-100, max_value=100,
                                help_text=_("NPS from -100 to 100, percentages from 0 to 100. Empty for a goal the team assesses."))
    description = forms.CharField(label=_("Goal"), max_length=300)

    def __init__(self, *args, **kwargs):
        from omavalvonta.feedback.models import GoalMetric

        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = GoalMetric.choices


class TeamRewardForm(forms.Form):
    decision = forms.CharField(
        label=_("How the team uses the reward"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The team decides together, e.g. in a team meeting."),
    )
    decided_on = DateField(label=_("Decided on"), required=False, widget=DateInput())
    edit_version = EditVersionField()


class GoalAssessForm(forms.Form):
    met = forms.TypedChoiceField(
        label=_("Was the goal met?"), choices=[("1", _("Yes")), ("0", _("No"))], coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Assessment"), max_length=500, required=False)
