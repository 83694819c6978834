"""core.lib.formhtml writes the markup of components/field.html, radios.html and
check.html: the same, character for character, as the templates."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template

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


def _template(bound, **options) -> str:
    source = "{% include template with field=field %}"
    return Template(source).render(Context({"template": component(bound), "field": bound, **options}))


@pytest.mark.parametrize("options", [{}, {"cols": True}, {"required": True}, {"cols": True, "required": True}])
@pytest.mark.parametrize(
    "form",
    [
        _Every(prefix="step"),
        _Every(initial={"title": "Old", "kind": "b", "urgent": True, "days": ["mo"], "who": "1", "note": "a\nb"}),
        _Every(data={"title": "New", "kind": "a", "days": ["mo"], "who": "1", "on": "2026-01-02"}),
    ],
)
def test_each_field_is_written_as_its_component_renders_it(form, options):
    for bound in form:
        assert field_html(bound, **options) == _template(bound, **options), bound.name


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
