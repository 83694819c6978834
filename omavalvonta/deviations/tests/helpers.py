"""Set-up shared by the deviation tests."""

from django.utils import timezone


def report_form(unit, **overrides):
    """The fields of a valid report posted from the report form in `unit`; an
    override of None leaves that field out."""
    data = {
        "unit": str(unit.pk),
        "kind": "quality",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "location": "Olohuone",
        "description": "Iltalääkkeet jäivät antamatta vuoron vaihtuessa.",
        "immediate_actions": "Soitettiin päivystävälle sairaanhoitajalle.",
        "affected_child": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
