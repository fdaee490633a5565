"""Executors: they map the scan's per-unit function over units of work, on local processes or on Ray.

Every engine has the same contract, so the report never depends on which one ran: `run_units(fn, tasks,
*, workers, on_progress)` calls the top-level `fn(task)` once per plain-data task and yields `(index,
result)` as units finish, in any order; a unit lost with its worker yields `(index, exception)`.
Workers report documents read through `report_progress`, which the engine routes to `on_progress`.
`map_ordered(fn, items)` is `map` spread over the engine (the merge's bucket reduces), results in order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from types import ModuleType
from typing import TypeVar

from singleton.errors import SingletonError

Task = TypeVar("Task")
Item = TypeVar("Item")
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


def _ray_adapter() -> ModuleType:
    """The Ray adapter; E009 (how to install it) when Ray is missing."""
    try:
        from singleton.engines import ray as ray_engine  # type: ignore[attr-defined]
    except ImportError as exc:
        raise SingletonError("E009", f"engine 'ray' is not available ({exc}); install it: pip install 'singleton[ray]'") from exc
    return ray_engine


def check_engine(engine: str) -> None:
    """E009 for an unknown engine or one whose dependencies are missing, before anything is written."""
    if engine not in ENGINES:
        raise SingletonError("E009", f"unknown engine {engine!r}; known: {', '.join(ENGINES)}")
    if engine == "ray":
        _ray_adapter()


def run_units(
    fn: Callable[[Task], Result],
    tasks: Sequence[Task],
    *,
    engine: str = "local",
    workers: int = 1,
    on_progress: ProgressSink | None = None,
    address: str | None = None,
    cpus_per_worker: float = 1.0,
) -> Iterator[tuple[int, Result | BaseException]]:
    """Run `fn` over `tasks` on the named engine; `address` is a Ray cluster's (default: $RAY_ADDRESS or local),
    `cpus_per_worker` what each Ray worker reserves."""
    check_engine(engine)
    if engine == "ray":
        return _ray_adapter().run_units(
            fn, tasks, workers=workers, on_progress=on_progress, address=address, cpus_per_worker=cpus_per_worker
        )
    from singleton.engines import local

    return local.run_units(fn, tasks, workers=workers, on_progress=on_progress)


def map_ordered(
    fn: Callable[[Item], Result],
    items: Iterable[Item],
    *,
    engine: str = "local",
    workers: int = 1,
    address: str | None = None,
    cpus_per_worker: float = 1.0,
) -> Iterator[Result]:
    """`map(fn, items)` on the named engine, results in input order: in this process locally, as tasks on Ray."""
    check_engine(engine)
    if engine == "ray":
        return _ray_adapter().map_ordered(fn, items, workers=workers, address=address, cpus_per_worker=cpus_per_worker)
    return map(fn, items)
