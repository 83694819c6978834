"""The home page takes each area's block through core.registry HOME_BLOCKS: an
area plugs in a block without the home page importing it, the blocks come in
their order, and one with nothing to show is left out."""

import ast
from pathlib import Path

from django.template.loader import get_template
from django.urls import reverse

from omavalvonta.core import registry
from omavalvonta.deviations.services import deviation_submit
from omavalvonta.testing.factories import deviation_kwargs


def test_every_block_names_a_template_and_comes_in_order():
    entries = registry.entries(registry.HOME_BLOCKS)
    names = [entry.name for entry in entries]
    assert len(names) == len(set(names))
    assert {"statutory", "queue", "actions", "rounds", "measurements", "competence"} <= set(names)
    assert names.index("statutory") < names.index("queue") < names.index("actions")
    for entry in entries:
        get_template(entry.template)  # raises when an area names a template it lacks


def test_a_plugged_in_block_shows_and_an_empty_one_does_not(client, employee_a, unit_a):
    report = deviation_submit(actor=employee_a, **deviation_kwargs(unit_a)).deviation
    saved = registry.snapshot(registry.HOME_BLOCKS)
    try:
        registry.register(
            registry.HOME_BLOCKS, "test.queue", lambda *, actor, today: [], order=1, template="deviations/_home_queue.html"
        )
        client.force_login(employee_a)
        response = client.get(reverse("home"))
        assert response.context["waiting"]["test.queue"] == []
        assert "home-queue-h" not in response.content.decode()
        assert response.context["anything_waiting"] is False

        registry.register(
            registry.HOME_BLOCKS, "test.queue", lambda *, actor, today: [report], order=1, template="deviations/_home_queue.html"
        )
        response = client.get(reverse("home"))
        assert [block.name for block in response.context["home_blocks"]][:1] == ["test.queue"]
        assert "home-queue-h" in response.content.decode()
        assert response.context["anything_waiting"] is True
    finally:
        registry.restore(registry.HOME_BLOCKS, saved)


def test_the_home_page_imports_no_area_for_its_blocks():
    source = Path(__file__).resolve().parents[1] / "selectors.py"
    imported = {
        node.module.split(".")[1]
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("omavalvonta.")
    }
    assert imported <= {"core", "deviations", "notifications", "organisation"}, imported
