"""core.lib.formhtml writes the markup of components/field.html, radios.html and
check.html: the same, character for character, as the templates."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.template import Context, Template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from omavalvonta.core.forms import DateField, DateInput
from omavalvonta.core.lib.formhtml import component, field_html
from omavalvonta.core.widgets import QuickSelect


class _Every(forms.Form):
    title = forms.CharField(label="Title <short>", help_text="Say it <b>briefly</b>.")
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    who = forms.ChoiceField(label="Who", choices=[("", "Choose"), ("1", "Ann & Bo")], widget=QuickSelect)
    plain = forms.ChoiceField(label="Plain", choices=[("a", "A")], required=False)
    on = DateField(label="On", widget=DateInput(), required=False)
    kind = forms.ChoiceField(
        label="Kind", choices=[("a", "A <1>"), ("b", "B")], widget=forms.RadioSelect, help_text="One of them."
    )
    maybe = forms.ChoiceField(label="Maybe", choices=[("y", "Yes")], widget=forms.RadioSelect, required=False)
    days = forms.MultipleChoiceField(label="Days", choices=[("mo", "Mo")], widget=forms.CheckboxSelectMultiple)
    urgent = forms.BooleanField(label="Urgent", required=False, help_text="Today & now.")
    quiet = forms.BooleanField(label="Quiet", required=False)
    # Written by formhtml itself: lazy labels, options and help, numbers, attributes.
    lazy = forms.CharField(label=gettext_lazy("Note"), help_text=gettext_lazy("Choose"), max_length=9, required=False)
    count = forms.IntegerField(label="Count", min_value=1, required=False)
    mail = forms.EmailField(label="Mail", required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    level = forms.TypedChoiceField(
        label=gettext_lazy("Yes"), choices=[("", gettext_lazy("Choose")), (1, "One"), (2, "Two 'quoted'")],
        coerce=int, widget=QuickSelect, required=False,
    )
    grouped = forms.ChoiceField(
        label="Grouped", choices=[("", "-"), ("Group <g>", [("x", "X"), ("y", "Y")])], widget=QuickSelect
    )
    stars = forms.TypedChoiceField(label="Stars", choices=[(1, "*"), (2, "**")], coerce=int, widget=forms.RadioSelect, required=False)
    own = forms.CharField(label="Own", required=False, widget=forms.TextInput(attrs={"data-x": "a\"b"}))


def _template(bound, **options) -> str:
    source = "{% include template with field=field %}"
    return Template(source).render(Context({"template": component(bound), "field": bound, **options}))


@pytest.mark.parametrize("options", [{}, {"cols": True}, {"required": True}, {"cols": True, "required": True}])
@pytest.mark.parametrize(
    "form",
    [
        _Every(prefix="step"),
        _Every(initial={"title": "Old", "kind": "b", "urgent": True, "days": ["mo"], "who": "1", "note": "a\nb"}),
        _Every(
            initial={"on": dt.date(2026, 3, 4), "level": 2, "stars": 1, "grouped": "y", "count": 3, "note": "<b>&"}
        ),
        _Every(data={"title": "New", "kind": "a", "days": ["mo"], "who": "1", "on": "2026-01-02", "grouped": "x"}),
        _Every(data={"title": "New", "kind": "a", "days": ["mo"], "who": "1", "grouped": "x", "level": "1", "stars": "2"}),
    ],
)
@pytest.mark.parametrize("language", ["fi", "en"])
def test_each_field_is_written_as_its_component_renders_it(form, options, language):
    with override(language):
        for bound in form:
            assert field_html(bound, **options) == _template(bound, **options), bound.name


def test_a_widget_given_its_own_template_is_rendered_by_it():
    form = _Every()
    form.fields["own"].widget.template_name = "django/forms/widgets/textarea.html"
    assert "<textarea" in field_html(form["own"]) == _template(form["own"])


def test_a_field_with_errors_is_left_to_the_templates_which_show_them():
    form = _Every(data={})
    assert form["title"].errors
    assert field_html(form["title"]) is None
    assert field_html(form["quiet"]) is not None


def test_the_fields_tag_keeps_the_radio_lists_options_from_the_context():
    form = _Every()
    source = "{% load formfields %}{% with cols=True %}{% fields form 'kind' %}{% endwith %}"
    html = Template(source).render(Context({"form": form}))
    assert html == _template(form["kind"], cols=True)
    assert "choice-list--cols" in html


class _Shouting(forms.TextInput):
    def render(self, *args, **kwargs):
        return mark_safe(super().render(*args, **kwargs).upper())  # noqa: S308 -- a test widget's own markup


def test_a_widget_with_markup_of_its_own_or_localised_is_rendered_by_it():
    form = _Every()
    form.fields["own"].widget = _Shouting()
    form.fields["count"].localize = True
    for name in ("own", "count"):
        assert field_html(form[name]) == _template(form[name]), name
    assert "<INPUT" in field_html(form["own"])
