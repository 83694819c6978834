"""Two people editing the same record, as a test drives it: both open the form,
the first saves, the second's save is refused with both versions on the page
and nothing of theirs lost; saving once more (having seen the other change) is
accepted. Used by the edit-form tests of every area (core/concurrency.py)."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

from django.test import Client


def opened_version(page: str, name: str = "edit_version") -> str:
    """The edit version a rendered form carries in its hidden field `name`."""
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag:
            match = re.search(r'value="(\d+)"', tag)
            assert match, f"the hidden field {name} has no value: {tag}"
            return match.group(1)
    raise AssertionError(f"no hidden field {name} on the page: the form would not be checked")


@dataclass
class EditRace:
    first: object  # the response to the first save
    refused: object  # the response to the second, refused save
    refused_page: str
    again: object  # the response to the second person's save after seeing the conflict


def race(
    *,
    first_user,
    second_user,
    url: str,
    first_data: dict,
    second_data: dict,
    form_url: str | None = None,
    version_field: str = "edit_version",
    refused_status=(200, 400),
) -> EditRace:
    """Run the race on `url`: both people open `form_url` (the page with the
    form; `url` by default), the first posts `first_data`, the second posts
    `second_data` with the version they opened. Asserts the refusal: the
    conflict panel, the second person's text kept, and the hidden version moved
    on; then the second person saves again from the refused page."""
    form_url = form_url or url
    a, b = Client(), Client()
    a.force_login(first_user)
    b.force_login(second_user)
    version_a = opened_version(a.get(form_url).content.decode(), version_field)
    version_b = opened_version(b.get(form_url).content.decode(), version_field)
    assert version_a == version_b

    first = a.post(url, {**first_data, version_field: version_a})
    assert first.status_code == 302, f"the first save failed: {first.status_code}"

    refused = b.post(url, {**second_data, version_field: version_b})
    assert refused.status_code in refused_status, f"the second save was not refused: {refused.status_code}"
    page = html_lib.unescape(refused.content.decode())
    assert 'class="edit-conflict"' in page, "no conflict panel on the refused page"
    for value in second_data.values():
        if isinstance(value, str) and len(value) > 3:
            assert value in page, f"the refused page lost what the second person typed: {value!r}"
    new_version = opened_version(page, version_field)
    assert int(new_version) > int(version_b), "the refused form must carry the version it was compared with"

    again = b.post(url, {**second_data, version_field: new_version})
    assert again.status_code == 302, f"saving again after seeing the conflict failed: {again.status_code}"
    return EditRace(first=first, refused=refused, refused_page=page, again=again)


def run_side_by_side(target, workers: int = 2, timeout: float = 120) -> list:
    """Run target() in `workers` threads released at the same moment (each with its
    own database connection, closed after), and return what each returned. Fails
    with the first exception a thread raised. For PostgreSQL tests of races."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(workers)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(target())
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "a thread is still running"
    if errors:
        raise errors[0]
    return results
