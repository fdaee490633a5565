"""Executors: they map the scan's per-unit function over units of work, on local processes or on Ray.

Every engine has the same contract, so the report never depends on which one ran: `run_units(fn, tasks,
*, workers, on_progress)` calls the top-level `fn(task)` once per plain-data task and yields `(index,
result)` as units finish, in any order; a unit lost with its worker yields `(index, exception)`.
Workers report documents read through `report_progress`, which the engine routes to `on_progress`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from singleton.errors import SingletonError

Task = TypeVar("Task")
Result = TypeVar("Result")
ProgressSink = Callable[[int], None]

ENGINES = ("local", "ray")

_sink: ProgressSink | None = None


def set_progress_sink(sink: ProgressSink | None) -> None:
    """Install where this process's `report_progress` calls go (an engine does this in each worker)."""
    global _sink
    _sink = sink


def report_progress(documents: int) -> None:
    """Called by the unit function after each batch: feeds the documents progress bar, if any."""
    if _sink is not None:
        _sink(documents)


def run_units(
    fn: Callable[[Task], Result],
    tasks: Sequence[Task],
    *,
    engine: str = "local",
    workers: int = 1,
    on_progress: ProgressSink | None = None,
    address: str | None = None,
) -> Iterator[tuple[int, Result | BaseException]]:
    """Run `fn` over `tasks` on the named engine; `address` is a Ray cluster's (default: $RAY_ADDRESS or local)."""
    if engine == "local":
        from singleton.engines import local

        return local.run_units(fn, tasks, workers=workers, on_progress=on_progress)
    if engine == "ray":
        try:
            from singleton.engines import ray as ray_engine  # type: ignore[attr-defined]
        except ImportError as exc:
            raise SingletonError("E009", f"engine 'ray' is not available: {exc}") from exc
        return ray_engine.run_units(fn, tasks, workers=workers, on_progress=on_progress, address=address)
    raise SingletonError("E009", f"unknown engine {engine!r}; known: {', '.join(ENGINES)}")
