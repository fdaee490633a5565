"""The Ray engine (`--engine ray`): the local engine's unit function and merge reduces, on a Ray cluster.

`--workers N` long-lived actors, each reserving `cpus_per_worker` CPUs and keeping whatever the unit function
caches (its spaCy model) for its whole life. The driver hands each actor one unit at a time, so a slow unit
never holds back the others. An actor that dies (killed, out of memory, node lost) is restarted by Ray and
its unit retried on it; units write their outputs atomically, so a retry never counts anything twice. The
merge's bucket reduces run as plain Ray tasks (`map_ordered`). Inputs and the output directory must be on
storage every node sees under the same path (pipelines/README.md).
"""

from __future__ import annotations

import itertools
import logging
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import ray
from ray.exceptions import RayError, RayTaskError

from singleton.engines import ProgressSink, set_progress_sink
from singleton.errors import SingletonError

Task = TypeVar("Task")
Item = TypeVar("Item")
Result = TypeVar("Result")

UNIT_RETRIES = 2
"""How often a unit whose worker died is retried (on the restarted worker) before it is reported as failed."""
_POLL_SECONDS = 0.2
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


class WorkerLost(RuntimeError):
    """A unit's Ray worker died on every attempt; the message is fixed so that reports stay deterministic."""


def connect(address: str | None = None, cpus: int | None = None) -> None:
    """Join the cluster at `address` (default $RAY_ADDRESS); without one, start a local Ray with `cpus` CPUs.

    Does nothing when this process is already connected (a job script, a test, an earlier scan).
    """
    if ray.is_initialized():
        return
    quiet: dict[str, Any] = {"logging_level": logging.WARNING, "log_to_driver": False}
    address = address or os.environ.get("RAY_ADDRESS")
    if address:
        ray.init(address=address, **quiet)
        return
    # A local Ray's workers import this checkout even when the package is not installed.
    path = os.pathsep.join(filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")]))
    ray.init(num_cpus=cpus, include_dashboard=False, runtime_env={"env_vars": {"PYTHONPATH": path}}, **quiet)


def cluster_workers(cpus_per_worker: float = 1.0) -> int:
    """How many workers of `cpus_per_worker` CPUs the connected cluster holds at once (at least 1)."""
    return max(1, int(ray.cluster_resources().get("CPU", 0) // cpus_per_worker))


def _actor_count(workers: int, cpus_per_worker: float, units: int) -> int:
    """Actors to start: `workers`, but no more than units nor than the cluster can place (a waiting actor would
    hold its unit hostage)."""
    return max(1, min(workers, units, cluster_workers(cpus_per_worker)))


class _Documents:
    """Documents read so far by all workers, for the driver's progress bar (collected, then taken by the driver)."""

    def __init__(self) -> None:
        self.count = 0

    def add(self, documents: int) -> None:
        """Called (without waiting) by a worker after each batch."""
        self.count += documents

    def take(self) -> int:
        """The documents added since the last call."""
        count, self.count = self.count, 0
        return count


class _UnitWorker:
    """One long-lived worker process: it runs the unit function, whose caches (the spaCy model) live as long.

    It takes no constructor arguments, so Ray can always restart it after a crash.
    """

    def run(self, fn: Callable[[Any], Any], task: Any, documents: Any | None) -> Any:
        """Run the top-level unit function on one plain-data task; its progress goes to `documents`."""
        set_progress_sink((lambda count: documents.add.remote(count)) if documents is not None else None)
        return fn(task)


def _started(actors: list[Any]) -> None:
    """Wait until every actor runs; E009 when the workers cannot even import singleton (not installed on nodes)."""
    try:
        ray.get([actor.__ray_ready__.remote() for actor in actors])
    except RayError as exc:
        causes = re.findall(r"\b(\w+Error: [^\n]+)", str(exc))
        cause = causes[-1] if causes else type(exc).__name__
        raise SingletonError(
            "E009", f"Ray workers could not start ({cause}); every node needs singleton and its dependencies, see pipelines/README.md"
        ) from exc


def _outcome(ref: Any) -> Any:
    """A finished unit's result; the unit function's own exception, or WorkerLost when its worker kept dying."""
    try:
        return ray.get(ref)
    except RayTaskError as exc:
        return exc.cause if isinstance(exc.cause, Exception) else exc
    except RayError as exc:
        return WorkerLost(f"the Ray worker running this unit died {UNIT_RETRIES + 1} times ({type(exc).__name__})")


def run_units(
    fn: Callable[[Task], Result],
    tasks: Sequence[Task],
    *,
    workers: int = 1,
    on_progress: ProgressSink | None = None,
    address: str | None = None,
    cpus_per_worker: float = 1.0,
) -> Iterator[tuple[int, Result | BaseException]]:
    """Map the top-level `fn` over `tasks` on up to `workers` Ray actors; yield (index, result) as each ends."""
    if not tasks:
        return
    connect(address, workers)
    documents = ray.remote(num_cpus=0)(_Documents).remote() if on_progress is not None else None
    worker_class = ray.remote(_UnitWorker).options(
        num_cpus=cpus_per_worker, max_restarts=-1, max_task_retries=UNIT_RETRIES
    )
    actors = [worker_class.remote() for _ in range(_actor_count(workers, cpus_per_worker, len(tasks)))]
    waiting = deque(enumerate(tasks))
    running: dict[Any, tuple[int, Any]] = {}

    def submit(actor: Any) -> None:
        index, task = waiting.popleft()
        running[actor.run.remote(fn, task, documents)] = (index, actor)

    try:
        _started(actors if documents is None else [*actors, documents])
        for actor in actors:
            submit(actor)
        while running:
            done, _ = ray.wait(list(running), num_returns=1, timeout=_POLL_SECONDS)
            if documents is not None and on_progress is not None:
                on_progress(ray.get(documents.take.remote()))
            for ref in done:
                index, actor = running.pop(ref)
                if waiting:
                    submit(actor)
                yield index, _outcome(ref)
    finally:  # finished, interrupted, or the caller stopped early: no actor outlives the run
        for actor in actors:
            ray.kill(actor)
        if documents is not None:
            ray.kill(documents)


def _apply(fn: Callable[[Item], Result], item: Item) -> Result:
    return fn(item)


def map_ordered(
    fn: Callable[[Item], Result],
    items: Iterable[Item],
    *,
    workers: int = 1,
    address: str | None = None,
    cpus_per_worker: float = 1.0,
) -> Iterator[Result]:
    """`map(fn, items)` as Ray tasks, results in input order; items are drawn lazily, at most 2 × workers in flight.

    This is how the merge's bucket reduces spread over the cluster without holding every bucket at once. A
    single item (a one-bucket merge) has nothing to spread: it runs here, without reaching for the cluster.
    """
    items = iter(items)
    head = list(itertools.islice(items, 2))
    if len(head) < 2:
        yield from map(fn, head)
        return
    connect(address, workers)
    apply = ray.remote(_apply).options(num_cpus=cpus_per_worker, max_retries=UNIT_RETRIES)
    shared_fn = ray.put(fn)
    window: deque[Any] = deque()
    try:
        for item in itertools.chain(head, items):
            window.append(apply.remote(shared_fn, item))
            if len(window) >= 2 * workers:
                yield ray.get(window.popleft())
        while window:
            yield ray.get(window.popleft())
    finally:
        for ref in window:
            ray.cancel(ref, force=True)
