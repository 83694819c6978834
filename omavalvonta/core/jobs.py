"""Periodic jobs run by the `worker` command. Apps register their jobs in
`AppConfig.ready()` so the worker needs to know no app by name."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[], int]
    every_seconds: int


_REGISTRY: dict[str, Job] = {}


def register(name: str, func: Callable[[], int], *, every_seconds: int) -> None:
    _REGISTRY[name] = Job(name=name, func=func, every_seconds=every_seconds)


def registered() -> list[Job]:
    return list(_REGISTRY.values())
