"""The shared pieces the areas' pages are built of (templates/components/ and
core's helpers): each renders what the pages used to write out by hand."""

from __future__ import annotations

from django import forms
from django.template import Context, Template
from django.test import RequestFactory

from omavalvonta.core.forms import picked
from omavalvonta.organisation.unit_choice import RegionUnitFilter


def _render(source: str, **context) -> str:
    return Template("{% load i18n tables %}" + source).render(Context(context))


def test_column_heads_name_every_column_for_screen_readers_and_escape_labels():
    html = _render('{% column_heads "Name" label %}', label="<b>State</b>")
    assert html == '<thead><tr><th scope="col">Name</th><th scope="col">&lt;b&gt;State&lt;/b&gt;</th></tr></thead>'


def test_a_column_of_numbers_has_its_head_aligned_as_its_cells():
    html = _render('{% column_heads "Name" label num="2" %}', label="<b>Units</b>")
    assert html == '<thead><tr><th scope="col">Name</th><th scope="col" class="num">&lt;b&gt;Units&lt;/b&gt;</th></tr></thead>'


def test_picked_passes_only_the_named_values_on():
    assert picked({"title": "A", "owner": 1, "secret": "x"}, "title", "owner") == {"title": "A", "owner": 1}


class _Filter(RegionUnitFilter):
    state = forms.ChoiceField(label="State", choices=[("", "All")], required=False)
    mine = forms.BooleanField(label="Mine", required=False)


def test_the_filter_bar_shows_region_and_unit_only_where_offered_and_clears_to_the_list():
    request = RequestFactory().get("/lista/", {"state": ""})
    form = _Filter(request.GET)
    html = _render(
        '{% include "components/filters.html" with label="Filter the rows" %}',
        form=form, filtered=True, request=request,
    )
    assert 'aria-label="Filter the rows"' in html
    assert 'name="region"' not in html and 'name="unit"' not in html
    assert 'id="id_state_field"' in html
    assert '<ul class="choice-list">' in html  # the checkbox as a tappable row
    assert 'href="/lista/"' in html
    assert "Clear" not in _render('{% include "components/filters.html" %}', form=form, filtered=False, request=request)


def test_the_filter_bar_shows_the_region_and_unit_choice_when_offered():
    form = _Filter()
    form.show_region = form.show_unit = True
    html = _render('{% include "components/filters.html" %}', form=form, request=RequestFactory().get("/"))
    assert html.index('name="region"') < html.index('name="unit"') < html.index('name="state"')


class _Step(forms.Form):
    edit_version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label="Decision", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    note = forms.CharField(label="Note")


def test_a_step_form_keeps_the_hidden_version_and_renders_each_field_by_its_kind():
    html = _render(
        '{% include "components/step_form.html" with action="/tee/" button="Save" button_class="btn--secondary" %}',
        form=_Step(initial={"edit_version": 3}), csrf_token="t",
    )
    assert '<form method="post" action="/tee/">' in html
    assert 'type="hidden" name="edit_version" value="3"' in html
    assert "<fieldset" in html  # the radio buttons as a group (components/radios.html)
    assert 'id="id_note_field"' in html
    assert '<button type="submit" class="btn btn--secondary">Save</button>' in html


class _Mixed(forms.Form):
    edit_version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label="Title <short>")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    days = forms.MultipleChoiceField(label="Days", choices=[("mo", "Mo")], widget=forms.CheckboxSelectMultiple)
    urgent = forms.BooleanField(label="Urgent", required=False)


def test_fields_renders_each_named_field_in_the_component_of_its_widget_in_the_order_named():
    form = _Mixed()
    listed = _render('{% load formfields %}{% fields form "urgent title kind days" %}', form=form)
    one_by_one = _render(
        '{% include "components/check.html" with field=form.urgent %}'
        '{% include "components/field.html" with field=form.title %}'
        '{% include "components/radios.html" with field=form.kind %}'
        '{% include "components/radios.html" with field=form.days %}',
        form=form,
    )
    assert listed == one_by_one
    assert "Title &lt;short&gt;" in listed  # labels stay escaped: the tag's output is not escaped twice
    assert listed.index('id="id_urgent_field"') < listed.index('id="id_title_field"')


def test_fields_without_names_renders_every_visible_field_and_leaves_hidden_ones_to_the_form():
    html = _render("{% load formfields %}{% fields form %}", form=_Mixed(initial={"edit_version": 2}))
    assert [html.index(f'id="id_{name}_field"') for name in ("title", "kind", "days", "urgent")] == sorted(
        html.index(f'id="id_{name}_field"') for name in ("title", "kind", "days", "urgent")
    )
    assert "edit_version" not in html
