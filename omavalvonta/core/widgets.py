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
