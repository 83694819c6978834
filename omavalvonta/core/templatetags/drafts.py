"""`{% draft_attrs "deviation-report" %}`: the attributes that make a form keep
its draft in the browser (static/js/drafts.js), keyed per user and form.

    <form method="post" {% draft_attrs "plan-section" section.pk %}>

The key holds the user's id (or "anon" on public pages) and the form's name and
the record's id, never anything typed; the notes are translated here."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def draft_attrs(context, name, *parts):
    request = context.get("request")
    user = getattr(request, "user", None)
    owner = f"u{user.pk}" if user is not None and user.is_authenticated else "anon"
    key = ":".join([owner, str(name), *(str(p) for p in parts if p not in (None, ""))])
    return format_html(
        'data-draft="{}" data-draft-restored="{}" data-draft-discard="{}"',
        key,
        _("Restored your unsent text. Check it and send it again."),
        _("Discard it"),
    )
