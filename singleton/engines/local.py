"""The local engine: `--workers N` long-lived processes on this machine, or the calling process when N is 1.

Workers are spawned (not forked: Polars and spaCy hold threads) and die with the parent, so a killed run
leaves no orphan writing into the output directory. Each keeps whatever the unit function caches (its
spaCy model) for its whole life.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import queue
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import TypeVar

from singleton.engines import ProgressSink, set_progress_sink

Task = TypeVar("Task")
Result = TypeVar("Result")

_POLL_SECONDS = 0.2
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Linux: have the kernel kill this worker when the parent dies (a SIGKILLed run leaves no orphans)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _init_worker(progress: multiprocessing.Queue | None) -> None:  # type: ignore[type-arg]
    """Runs once in each worker process: tie its life to the parent's, route its progress to the parent."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    set_progress_sink(progress.put if progress is not None else None)


def _drain(progress: multiprocessing.Queue, on_progress: ProgressSink) -> None:  # type: ignore[type-arg]
    while True:
        try:
            on_progress(progress.get_nowait())
        except queue.Empty:
            return


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's workers (their unit's outputs are atomic, so nothing half-written stays)."""
    processes = getattr(pool, "_processes", None) or {}  # CPython keeps them here; no public API
    for process in list(processes.values()):
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def _in_process(
    fn: Callable[[Task], Result], tasks: Sequence[Task], on_progress: ProgressSink | None
) -> Iterator[tuple[int, Result | BaseException]]:
    set_progress_sink(on_progress)
    try:
        for index, task in enumerate(tasks):
            try:
                result: Result | BaseException = fn(task)
            except Exception as exc:  # as a worker process would report it
                result = exc
            yield index, result
    finally:
        set_progress_sink(None)


def run_units(
    fn: Callable[[Task], Result],
    tasks: Sequence[Task],
    *,
    workers: int = 1,
    on_progress: ProgressSink | None = None,
) -> Iterator[tuple[int, Result | BaseException]]:
    """Map the top-level `fn` over `tasks` with up to `workers` processes; yield (index, result) as each ends."""
    workers = max(1, min(workers, len(tasks)))
    if workers == 1:
        yield from _in_process(fn, tasks, on_progress)
        return
    context = multiprocessing.get_context("spawn")
    progress = context.Queue() if on_progress is not None else None
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(progress,))
    try:
        pending: dict[Future[Result], int] = {pool.submit(fn, task): index for index, task in enumerate(tasks)}
        while pending:
            done, _ = wait(pending, timeout=_POLL_SECONDS, return_when=FIRST_COMPLETED)
            if progress is not None and on_progress is not None:
                _drain(progress, on_progress)
            for future in sorted(done, key=pending.__getitem__):
                index = pending.pop(future)
                error = future.exception()
                yield index, error if error is not None else future.result()
    except BaseException:  # interrupted, or the caller stopped early: stop the workers now, not after their unit
        _terminate(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if progress is not None:
            progress.close()
