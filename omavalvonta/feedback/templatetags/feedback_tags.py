from django import template

register = template.Library()


@register.filter
def faces_of(form, name):
    """(radio, face) pairs of a faces question."""
    return form.face_rows(name)


@register.filter
def nps_format(value):
    """NPS with its sign, or a dash when not shown."""
    if value is None:
        return "–"
    return f"{value:+d}" if value else "0"


@register.filter
def decimal_fi(value):
    if value is None:
        return "–"
    return f"{value:.1f}".replace(".", ",")
