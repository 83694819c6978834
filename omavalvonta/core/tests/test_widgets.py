"""core.widgets write the same markup as Django's widget templates."""

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from omavalvonta.core.widgets import QuickFormRenderer, QuickSelect

CHOICES = [("", "Valitse"), (1, "Anna & Bertta"), (2, 'Cecilia "C"')]
GROUPED = [("", "Valitse"), ("Yksikkö A", [(1, "Anna"), (2, "Bertta")]), ("Yksikkö B", [(3, "Cecilia")])]


@pytest.mark.parametrize(
    "choices, value, attrs",
    [
        (CHOICES, None, {}),
        (CHOICES, 2, {"required": True, "aria-invalid": "true", "id": "id_x", "disabled": False}),
        (GROUPED, 3, {"class": "a<b"}),
        ([], None, {}),
        ([(None, "Ei"), (1, "Yksi"), (1, "Yksi taas"), ("", [(2, "Kaksi")])], 1, {}),
        ([(1, mark_safe("<b>Anna</b>")), ("a&b", 'Bertta "B"')], "a&b", {}),  # noqa: S308 -- the test's own label
    ],
)
def test_quick_select_writes_djangos_select(choices, value, attrs):
    quick = QuickSelect(choices=choices).render("handler", value, attrs=attrs)
    django_s = forms.Select(choices=choices).render("handler", value, attrs=attrs)
    assert str(quick) == str(django_s)


def test_quick_select_of_many_and_its_subclasses_write_djangos_select():
    class Many(QuickSelect):
        allow_multiple_selected = True

    def create_option(self, *args, **kwargs):
        option = forms.Select.create_option(self, *args, **kwargs)
        option["attrs"]["data-x"] = option["index"]
        return option

    Marked = type("Marked", (QuickSelect,), {"create_option": create_option})
    DjangoMarked = type("DjangoMarked", (forms.Select,), {"create_option": create_option})

    for quick, django_s, value in [(Many, forms.SelectMultiple, [1, 2]), (Marked, DjangoMarked, 2)]:
        ours = quick(choices=GROUPED).render("x", value, attrs={"id": "id_x"})
        assert str(ours) == str(django_s(choices=GROUPED).render("x", value, attrs={"id": "id_x"}))


# --- QuickFormRenderer: plain inputs and textareas --------------------------------------

ATTRS = [{}, {"required": True, "aria-invalid": "true", "id": "id_x", "disabled": False, "class": "a<b", "rows": 3}]


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize(
    "widget, value",
    [
        (forms.TextInput(), None),
        (forms.TextInput(), 'Anna & "Bertta" <b>'),
        (forms.TextInput(), mark_safe("<i>safe</i>")),  # noqa: S308 -- the test's own value
        (forms.EmailInput(), "a@b.example"),
        (forms.NumberInput(), 12),
        (forms.HiddenInput(), 7),
        (forms.PasswordInput(render_value=True), "x"),
        (forms.DateInput(attrs={"type": "date"}), dt.date(2027, 3, 1)),
        (forms.DateInput(format="%d.%m.%Y"), dt.date(2027, 3, 1)),
        (forms.TimeInput(), dt.time(9, 5)),
        (forms.CheckboxInput(), True),
        (forms.CheckboxInput(), False),
        (forms.CheckboxInput(), "on"),
        (forms.URLInput(), "https://x.example/?a=1&b=2"),
        (forms.Textarea(), None),
        (forms.Textarea(), ""),
        (forms.Textarea(), "Rivi 1\n<rivi> & 2"),
        (forms.Textarea(attrs={"rows": 4}), "x"),
    ],
)
def test_quick_form_renderer_writes_djangos_inputs(widget, value, attrs):
    quick = widget.render("field", value, attrs=attrs, renderer=QuickFormRenderer())
    django_s = widget.render("field", value, attrs=attrs, renderer=DjangoTemplates())
    assert str(quick) == str(django_s)


@pytest.mark.parametrize(
    "widget, value",
    [
        (forms.RadioSelect(choices=[(1, "Yksi"), (2, "Kaksi & <kolme>")]), 2),
        (forms.RadioSelect(choices=[("", "Ei"), ("a", "A")]), None),
        (forms.CheckboxSelectMultiple(choices=[(1, "Yksi"), (2, "Kaksi")]), [1, 2]),
    ],
)
def test_quick_form_renderer_writes_djangos_option_tags(widget, value):
    """`{{ radio.tag }}` (components/radios.html): the button without its label."""
    quick = forms.Form(renderer=QuickFormRenderer())
    django_s = forms.Form(renderer=DjangoTemplates())
    for form in (quick, django_s):
        form.fields["f"] = forms.MultipleChoiceField(choices=widget.choices, widget=widget, required=True) if isinstance(
            widget, forms.CheckboxSelectMultiple) else forms.ChoiceField(choices=widget.choices, widget=widget)
        form.initial = {"f": value}
    tags = [[str(option.tag()) for option in form["f"]] for form in (quick, django_s)]
    assert tags[0] == tags[1]
    assert all(tag.startswith("<input ") for tag in tags[0])


def test_quick_form_renderer_leaves_the_rest_to_the_templates():
    radios = forms.RadioSelect(choices=[(1, "Yksi"), (2, "Kaksi & kolme")])
    select = forms.SelectMultiple(choices=[(1, "Yksi")])
    for widget, value in ((radios, 2), (select, [1]), (forms.ClearableFileInput(), None)):
        quick = widget.render("field", value, attrs={"id": "id_f"}, renderer=QuickFormRenderer())
        assert str(quick) == str(widget.render("field", value, attrs={"id": "id_f"}, renderer=DjangoTemplates()))


def test_the_project_renders_forms_with_quick_form_renderer(settings):
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), QuickFormRenderer)
