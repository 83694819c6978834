"""PDF documents from the same Django templates as the web pages (WeasyPrint).

`render_pdf(template_name, context, *, request=None) -> bytes` renders a
template to HTML and lays it out as a PDF. Templates extend "pdf/base.html",
which sets A4 pages, Finnish hyphenation, page numbers and a footer line
(`pdf_footer` in the context: e.g. the version date and the approver).

Nothing is fetched from the network: the URL fetcher serves only the
product's own static files (a stylesheet or an image), so a document can never
make the server call an address someone typed into a plan. Fonts come from
the system (Debian's fonts-dejavu-core / fonts-noto-core), never from the web.
"""

from __future__ import annotations

import logging
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

__all__ = ["PdfUnavailable", "render_pdf"]

# WeasyPrint reports each layout step at INFO: noise in the server log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs (pango) are missing."""


def _fetcher():
    """A WeasyPrint URL fetcher that serves the product's own static files only."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            path = unquote(parsed.path)
            static_url = settings.STATIC_URL or "/static/"
            if parsed.scheme in ("http", "https") and path.startswith(static_url):
                found = finders.find(path[len(static_url):])
                if found:
                    with open(found, "rb") as fh:
                        return URLFetcherResponse(url, fh.read())
            raise ValueError(f"Not fetched: {url}")

    return StaticOnlyFetcher(fail_on_errors=False)


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """The PDF of `template_name` rendered with `context`."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as e:  # OSError: pango missing
        raise PdfUnavailable(str(e)) from e
    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else "http://localhost/"
    return HTML(string=html, base_url=base_url, url_fetcher=_fetcher()).write_pdf()
