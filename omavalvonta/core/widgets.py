"""Widgets that write Django's own markup in Python.

Django renders a template per option of a select and per button of a radio
list (and one more for their attributes): on the report page, the unit
timeline and the measurement form that was hundreds of template renders a
request. These write the same markup as django/forms/widgets/select.html,
select_option.html, input.html and attrs.html; what each option or button
carries (value, label, selected, ids, "required", "aria-invalid") still comes
from Django's own context, so choices, selection and attributes do not change.
Tests compare them with Django's widgets."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, ` name` for True, nothing for False."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        if not self._plain_options():
            return self._render_options(name, value, attrs)
        # Django's context without its option dicts: the options are written
        # straight from the choices, chosen as ChoiceWidget.optgroups chooses.
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        if self.allow_multiple_selected:
            widget["attrs"]["multiple"] = True
        parts = [format_html('<select name="{}"', widget["name"]), attrs_html(widget["attrs"]), ">"]
        values, has_selected = widget["value"], False
        for option_value, option_label in self.choices:
            group_name = "" if option_value is None else option_value
            grouped = isinstance(option_label, list | tuple)
            if grouped and group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for subvalue, sublabel in option_label if grouped else [(group_name, option_label)]:
                selected = (not has_selected or self.allow_multiple_selected) and str(subvalue) in values
                has_selected |= selected
                parts.append(
                    f'\n  <option value="{conditional_escape(str(subvalue))}"{" selected" if selected else ""}>'
                    f"{conditional_escape(sublabel)}</option>\n"
                )
            if grouped and group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 -- every value escaped above

    def _plain_options(self) -> bool:
        """Are the options Django's own (no subclass changes how they are made)?"""
        cls = type(self)
        return (
            cls.get_context is forms.Select.get_context
            and cls.optgroups is forms.Select.optgroups
            and cls.create_option is forms.Select.create_option
            and not self.option_inherits_attrs
            and self.checked_attribute == {"selected": True}
        )

    def _render_options(self, name, value, attrs):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"', widget["name"]), attrs_html(widget["attrs"]), ">"]
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in group_choices:
                parts += [
                    format_html('\n  <option value="{}"', str(option["value"])),
                    attrs_html(option["attrs"]),
                    format_html(">{}</option>\n", option["label"]),
                ]
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 -- every value escaped above


class QuickRadioSelect(forms.RadioSelect):
    """RadioSelect whose buttons (`{{ radio.tag }}` in components/radios.html)
    are written here; the list around them is still Django's template."""

    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        if template_name != self.option_template_name or widget.get("wrap_label"):
            return super()._render(template_name, context, renderer)
        value = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
        return mark_safe(  # noqa: S308 -- every value escaped
            f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f"{value}{attrs_html(widget['attrs'])}>"
        )


# --- Every form's plain inputs ----------------------------------------------------------

# Django's templates of a plain <input> (each only includes input.html) and of a
# <textarea>: QuickFormRenderer writes their markup itself.
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "email", "number", "password", "url", "search", "tel", "date", "datetime",
                 "time", "hidden", "checkbox")
)
_TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
# A radio button's or a checkbox's option (input_option.html): without its label
# around it (`{{ radio.tag }}` in components/radios.html) it is a plain input.
_OPTION_TEMPLATES = frozenset(
    ("django/forms/widgets/radio_option.html", "django/forms/widgets/checkbox_option.html")
)


def _input_html(widget: dict) -> str:
    """django/forms/widgets/input.html with attrs.html."""
    value = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{attrs_html(widget['attrs'])}>"
    )


def _textarea_html(widget: dict) -> str:
    """django/forms/widgets/textarea.html with attrs.html."""
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{attrs_html(widget["attrs"])}>\n{value}</textarea>'


class QuickFormRenderer(DjangoTemplates):
    """The project's form renderer (settings.FORM_RENDERER): Django's, except that
    a plain input, a radio button or checkbox without its label and a textarea
    are written here, not by two or three templates each (a report's handling
    panel renders some forty). Everything else goes to
    Django's templates. Tests compare the markup with Django's."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and template_name == widget.get("template_name"):
            if template_name in _INPUT_TEMPLATES or (template_name in _OPTION_TEMPLATES and not widget.get("wrap_label")):
                return _input_html(widget)
            if template_name == _TEXTAREA_TEMPLATE:
                return _textarea_html(widget)
        return super().render(template_name, context, request=request)
