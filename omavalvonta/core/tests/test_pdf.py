import io

import pytest
from pypdf import PdfReader

from omavalvonta.core.pdf import render_pdf

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_render_pdf_lays_out_a_template_with_finnish_text_and_page_numbers(settings):
    settings.LANGUAGE_CODE = "fi"
    pdf = render_pdf("pdf/base.html", {"pdf_footer": "Versio 3, hyväksytty 23.11.2026"})
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert "Versio 3, hyväksytty 23.11.2026" in text
    assert "1 / 1" in text


def test_render_pdf_fetches_nothing_from_the_network(tmp_path, monkeypatch):
    from django.template import engines

    template = engines["django"].from_string(
        '{% extends "pdf/base.html" %}{% block content %}<p>Äitienpäivä ja öljy</p>'
        '<img src="http://169.254.169.254/latest/meta-data/">{% endblock %}'
    )
    from omavalvonta.core import pdf as pdf_module

    monkeypatch.setattr(pdf_module, "render_to_string", lambda name, context, request=None: template.render(context))
    text = _text(render_pdf("ignored", {}))
    assert "Äitienpäivä ja öljy" in text


def test_the_fetcher_refuses_addresses_outside_the_static_files():
    from omavalvonta.core.pdf import _fetcher

    with pytest.raises(ValueError):
        _fetcher().fetch("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(ValueError):
        _fetcher().fetch("file:///etc/passwd")
