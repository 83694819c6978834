"""core.forms.form_page: a page with one form that records something, shown,
posted and refused again."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from omavalvonta.core import forms as core_forms


class NoteForm(forms.Form):
    text = forms.CharField()

    def __init__(self, *args, label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.label = label


def _request(method="get", data=None):
    request = getattr(RequestFactory(), method)("/lomake/", data or {})
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _page(monkeypatch, request, perform, **kwargs):
    shown = {}

    def render(_request, template, context):
        shown.update(template=template, context=context)
        return HttpResponse("page")

    monkeypatch.setattr(core_forms, "render", render)
    response = core_forms.form_page(
        request, NoteForm, perform, template="x/form.html", context={"unit": "Koivikko"},
        success="Saved.", form_kwargs={"label": "Note"}, **kwargs,
    )
    return response, shown


def test_shown_the_form_is_empty_with_its_initial_values_asked_only_then(monkeypatch):
    asked = []
    response, shown = _page(
        monkeypatch, _request(), perform=None, back="/takaisin/",
        initial=lambda: asked.append(1) or {"text": "Alku"},
    )
    form = shown["context"]["form"]
    assert (response.status_code, shown["template"], shown["context"]["unit"]) == (200, "x/form.html", "Koivikko")
    assert (form.is_bound, form.initial, form.label, asked) == (False, {"text": "Alku"}, "Note", [1])


def test_posted_the_service_records_it_and_the_page_goes_where_the_result_says(monkeypatch):
    request = _request("post", {"text": "Kirjattu"})
    response, shown = _page(
        monkeypatch, request, perform=lambda form: f"/tulos/{form.cleaned_data['text']}/",
        back=lambda result: result, initial=lambda: 1 / 0,
    )
    assert (response.status_code, response.url, shown) == (302, "/tulos/Kirjattu/", {})
    assert [str(m) for m in get_messages(request)] == ["Saved."]


def test_refused_by_the_form_or_the_service_the_page_shows_again_with_what_was_typed(monkeypatch):
    performed = []
    _response, shown = _page(monkeypatch, _request("post", {"text": ""}), perform=performed.append, back="/takaisin/")
    assert (shown["context"]["form"].is_bound, performed) == (True, [])

    def refuse(_form):
        raise ValidationError({"text": "Ei käy."})

    _response, shown = _page(monkeypatch, _request("post", {"text": "Jotain"}), perform=refuse, back="/takaisin/")
    form = shown["context"]["form"]
    assert (form.data["text"], form.errors["text"]) == ("Jotain", ["Ei käy."])
