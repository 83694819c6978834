"""The ground floor's one view: the 500 page, which must work when nothing else does.
The site's own pages (home, the profile) live in dashboards/, which sits on top."""


def server_error(request):
    """The 500 page (handler500). Rendered without the request's context
    processors and from a template that extends nothing: it must not touch the
    database, which may be why we are here. It says plainly that what was sent
    was not saved; the draft kept in the browser (static/js/drafts.js) brings
    the typed text back when the person returns to the form."""
    from django.http import HttpResponseServerError
    from django.template import loader
    from django.utils.translation import get_language

    template = loader.get_template("500.html")
    body = template.render({"was_sent": request.method == "POST", "language": get_language() or "fi"})
    response = HttpResponseServerError(body)
    response["Cache-Control"] = "no-store"
    return response
