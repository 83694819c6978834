"""The demo's themes across units: computed once the year of deviations is in
(the worker's daily job computes them afterwards), so the quality director's
themes page shows what the reports of the last three months have in common."""

from __future__ import annotations

from omavalvonta.search.services import themes_compute


def build(*, log) -> dict:
    runs = themes_compute()
    themes = sum(run.themes.count() for run in runs)
    log(f"Themes across units: {themes} themes in {len(runs)} scopes.")
    return {"themes": themes}
