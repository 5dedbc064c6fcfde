"""Screening a large input with several processes, with exactly the serial results.

``jobs`` processes screen, the calling one included: ``jobs - 1`` worker processes each
build their own :class:`~riskscreen.Screener` from the :class:`~riskscreen.spec.ScreenerSpec`
the original was built with (the rule-set cache makes that quick; the specification is
checked before any record is read) and screen chunks of records, two each at a time; the
calling process hands out the chunks as they are read, screens the next chunk itself
whenever the oldest one is not back yet (while the workers start up, or are all busy),
and gives the results out in input order. Every record is screened on its own, so the
results, their order and everything built from them (sorted alerts, summaries) are those
of serial screening. The chunks waiting to be given out are bounded, so memory stays
bounded on any input size. An input smaller than one chunk is screened in the calling
process.

A chunk travels through a pipe, and so do its results: the executor's threads in this
process write and read them, and each needs the interpreter's lock, which this process
holds while it screens. So the pipes are made large enough for a whole chunk at once
(:func:`~riskscreen.handover.larger_pipes`, Linux), and while workers run the lock is handed
to other threads every half millisecond rather than every five
(:func:`~riskscreen.handover.quick_handoffs`). Before, a worker
was left without work about a third of the time, waiting for a piece of a chunk or for
its results to be taken.

Workers are forked with the screener already built, and start at once, when the caller
asks for ``fork`` (:func:`map_records`: the command line and the screener do when every
plugin is one riskscreen ships; a plugin from elsewhere may hold what a fork must not
copy, an open connection) and it is safe (:func:`can_fork`: on Linux, while this process
runs no other thread, whose locks a fork would copy midway). Otherwise they are started
fresh (``spawn``), and a program that asks for several jobs must be importable without
side effects (the usual ``if __name__ == "__main__":`` guard). A fresh worker takes about
a third of a second to start (it imports riskscreen and loads the rule set from the
cache), a sixth of the whole run on 20,000 records.

A worker pickles its chunk's results itself, and this process unpickles them with the
cyclic collector paused, as it does while it screens a chunk itself
(:func:`~riskscreen.collection.collector_paused`): every object made then is kept, and
collecting only walked them again and again.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import itertools
import logging
import multiprocessing
import os
import pickle
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, Protocol, TypeVar

from .collection import collector_paused, fewer_collections_from_now
from .handover import (
    HANDOFF_INTERVAL,
    PIPE_BYTES,
    Held,
    Lines,
    forked_with,
    larger_pipes,
    packed,
    quick_handoffs,
    received,
    sent,
    unpacked,
)
from .i18n import text
from .jsonline import JsonLine
from .models import ScreenResult
from .spec import NotPortableError, ScreenerSpec

__all__ = [
    "AUTO_READ_AHEAD",
    "CHUNK_SIZE",
    "FORKED_READ_AHEAD",
    "HANDOFF_INTERVAL",
    "MAX_AUTO_JOBS",
    "PIPE_BYTES",
    "ScreensRecords",
    "WorkerUnavailableError",
    "auto_jobs",
    "can_fork",
    "map_in_processes",
    "map_records",
    "quick_handoffs",
]

_log = logging.getLogger(__name__)

#: Records handed to a worker at a time.
CHUNK_SIZE = 512
#: Chunks this process may have screened ahead of the workers' results (bounds memory).
_HELD = 8
#: Records ``--jobs auto`` reads before starting workers: a smaller input is screened in
#: the calling process (a worker started fresh takes about a third of a second to start).
AUTO_READ_AHEAD = 10_000
#: The same, when the workers can be forked (:func:`can_fork`): they start at once, and two
#: processes pay from about 2,000 records on (measured in docs/performance.md).
FORKED_READ_AHEAD = 2_048
#: Processes ``--jobs auto`` screens in at most (the parent's sorting and writing keeps up with that many).
MAX_AUTO_JOBS = 8


class ScreensRecords(Protocol):
    """What a worker needs of a screener: one record in, one result out."""

    def screen(self, data: Any, index: int = 0) -> ScreenResult:
        """Screen one record."""
        ...


T = TypeVar("T")

#: What runs per record in a worker: ``job(screener, data, index)``. It must be picklable
#: (a module-level function, or an instance of a module-level class), and so must its result.
#: A job with a method ``many(screener, records, indexes)`` (a list of results) is given a
#: chunk's records at once.
Job = Callable[[Any, Any, int], T]

_worker: ScreensRecords | None = None


_worker_failure: str | None = None


class WorkerUnavailableError(Exception):
    """A worker could not build its screener; the calling process screens its chunks."""


def _start_worker(build: Callable[..., ScreensRecords], portable: bytes) -> None:
    global _worker, _worker_failure
    fewer_collections_from_now()  # a process that only screens (see riskscreen.collection)
    try:
        spec: ScreenerSpec = pickle.loads(portable)
        _worker = build(**spec.arguments())
    except Exception as exc:  # said once, by the calling process, as a worker stopping
        _worker_failure = f"{type(exc).__name__}: {exc}"


def _start_forked_worker() -> None:
    # the screener came with the fork (see _pool)
    fewer_collections_from_now()


def _each(job: Job[T], screener: ScreensRecords, records: Iterable[Any], start: int = 0) -> Iterator[T]:
    """``job`` on each of ``records`` in this process, numbered from ``start``."""
    for offset, data in enumerate(records):
        yield job(screener, data, start + offset)


def category_named(record: Any) -> str:
    """The category ``record`` names as far as can be seen without reading it ("" if unseen).

    For a :class:`JsonLine`, the first ``"category": "..."`` in its text (an attribute could
    name one first: this only orders records, it decides nothing).
    """
    if record.__class__ is JsonLine:
        return record.category() or ""
    if record.__class__ is dict:
        name = record.get("category")
        return name if name.__class__ is str else ""
    return ""


def _grouped(job: Job[T], screener: ScreensRecords, records: list[Any], start: int = 0) -> list[T]:
    """:func:`_each` on ``records``, run category by category; the results in input order.

    A category's generated rule code and validation schema stay in the CPU's caches while
    its records are screened one after another: about a fifth less time than in the mixed
    order of the input. Records are screened each on its own, so the results are the same.
    """
    order = sorted(range(len(records)), key=lambda k: category_named(records[k]))
    results: list[Any] = [None] * len(records)
    many = getattr(job, "many", None)
    # every result is kept till the chunk is done: see collector_paused
    with collector_paused():
        if many is not None:  # a job that screens several records at once (a step at a time)
            found = many(screener, [records[k] for k in order], [start + k for k in order])
            for k, result in zip(order, found, strict=True):
                results[k] = result
            return results
        for k in order:
            results[k] = job(screener, records[k], start + k)
    return results


def _grouped_chunks(
    job: Job[T], screener: ScreensRecords, records: Iterable[Any], size: int = CHUNK_SIZE
) -> Iterator[T]:
    """:func:`_grouped` a chunk of ``size`` records at a time (their results held back till then)."""
    iterator = iter(records)
    start = 0
    while chunk := list(itertools.islice(iterator, size)):
        yield from _grouped(job, screener, chunk, start)
        start += len(chunk)


def _map_chunk(job: Job[T], start: int, records: list[Any] | Lines | Held) -> bytes:
    if _worker is None:
        raise WorkerUnavailableError(_worker_failure or "worker not started")
    given = received(records)
    if records.__class__ is Held and len(given) != records.stop - records.start:
        # never expected: the calling process screens the chunk again, so nothing is lost
        raise WorkerUnavailableError("this worker does not hold the records it was sent positions of")
    return packed(_grouped(job, _worker, given, start))


def map_in_processes(
    screener: ScreensRecords,
    spec: ScreenerSpec,
    records: Iterable[Any],
    jobs: int,
    job: Job[T],
    chunk_size: int = CHUNK_SIZE,
    fork: bool = False,
) -> Iterator[T]:
    """``job(screener, record, index)`` for each record, in input order, run in ``jobs`` processes.

    Fresh workers build ``type(screener)(**spec.arguments())``. The specification is checked
    and pickled when this is called, before any record is read, so a screener they could not
    rebuild raises :class:`~riskscreen.spec.NotPortableError` whatever the input. The command
    line's job screens *and encodes* each record in the workers, so that what comes back is
    a few bytes of output rather than whole result models (see :mod:`riskscreen.cli.compact`).
    ``fork`` as for :func:`map_records`.
    """
    portable = spec.portable()
    # a list or tuple is in a forked worker's memory already: chunks of it go as ranges
    whole = records if records.__class__ is list or records.__class__ is tuple else None
    return _map(screener, portable, iter(records), jobs, job, chunk_size, fork, whole)


def map_records(
    screener: ScreensRecords,
    spec: ScreenerSpec,
    records: Iterable[Any],
    jobs: int,
    job: Job[T],
    *,
    read_ahead: int = 0,
    streaming: bool = False,
    fork: bool = False,
) -> Iterator[T]:
    """:func:`map_in_processes`, or the same job in this process when ``jobs`` is 1.

    In this process, records are screened a chunk at a time, category by category, and the
    results given in input order once their chunk is done; with ``streaming``, each result
    is given as soon as its record is screened (a pipe bringing records one by one gets
    them back as it goes).

    With ``read_ahead`` (the command line's ``--jobs auto``), up to that many records are
    read first, and workers are started only when the input holds more: starting them
    costs more than a small input takes to screen. A screener the workers could not rebuild
    is then screened here instead of raising :class:`~riskscreen.spec.NotPortableError`.

    With ``fork``, workers are forked from this process where that is safe (see the module
    documentation): for a caller that knows what its process holds, such as the command line.
    """
    if jobs > 1 and read_ahead:
        iterator = iter(records)
        head = list(itertools.islice(iterator, read_ahead))
        if len(head) == read_ahead:
            try:
                portable = spec.portable()
            except NotPortableError:
                pass
            else:
                chained = itertools.chain(head, iterator)
                return _map(screener, portable, chained, jobs, job, CHUNK_SIZE, fork)
        records = itertools.chain(head, iterator)
    elif jobs > 1:
        return map_in_processes(screener, spec, records, jobs, job, fork=fork)
    return _each(job, screener, records) if streaming else _grouped_chunks(job, screener, records)


def auto_jobs() -> int:
    """Processes for ``--jobs auto``: the CPUs this process may run on, at most :data:`MAX_AUTO_JOBS`."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every system
        available = os.cpu_count() or 1
    return max(1, min(available, MAX_AUTO_JOBS))


@dataclasses.dataclass(frozen=True)
class _Chunk(Generic[T]):
    """A chunk of records in input order: sent to a worker (its future), or screened here (its results)."""

    start: int
    records: list[Any]
    future: concurrent.futures.Future[bytes] | None
    results: list[T] | None


def can_fork() -> bool:
    """Whether workers asking for ``fork`` would be forked now: on Linux, with one thread running.

    A fork copies this process as it stands, other threads' locks included, midway; the
    pool's own threads are started after its processes.
    """
    return sys.platform == "linux" and threading.active_count() == 1


def _pool(
    screener: ScreensRecords, portable: bytes, workers: int, fork: bool, held: Sequence[Any] = ()
) -> tuple[concurrent.futures.ProcessPoolExecutor, bool]:
    """The worker processes, and whether they are forked: with ``screener`` and the ``held``
    records when ``fork`` and safe, else spawned (the records are then sent).

    The processes start at the first chunk submitted; :func:`_map` forgets ``screener`` and
    ``held`` when done.
    """
    global _worker
    forked = fork and can_fork()
    if forked:
        # nothing may wait in an output buffer, or the worker would write it again as it stops
        _worker = screener
        forked_with(held)
        sys.stdout.flush()
        sys.stderr.flush()
        pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_forked_worker,
        )
    else:
        # the class travels by reference (its module and name), so workers build the same kind
        pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(type(screener), portable),
        )
    larger_pipes(pool)
    return pool, forked


@contextlib.contextmanager
def _forgetting_what_was_forked() -> Iterator[None]:
    """Forget the screener and the records forked workers were given, once the pool is done.

    The workers have their copies; this process would otherwise keep them alive until
    its next pool (a service reloading its rules would keep the old screener).
    """
    global _worker
    try:
        yield
    finally:
        _worker = None
        forked_with(())


def _map(
    screener: ScreensRecords,
    portable: bytes,
    iterator: Iterator[Any],
    jobs: int,
    job: Job[T],
    chunk_size: int,
    fork: bool = False,
    whole: Sequence[Any] | None = None,
) -> Iterator[T]:
    """The chunks handed out and screened (see the module documentation).

    ``whole``: the whole input, when ``iterator`` runs over a list or tuple from its start.
    """
    first = list(itertools.islice(iterator, chunk_size))
    if len(first) < chunk_size:  # a small input: not worth starting processes
        yield from _grouped(job, screener, first)
        return
    workers = max(1, jobs - 1)  # this process is the last of the jobs: it screens when it would wait
    pool, forked = _pool(screener, portable, workers, fork, whole or ())
    # records past those the workers were forked with (added meanwhile) are sent themselves
    within = len(whole) if forked and whole is not None else 0
    with pool, quick_handoffs(), _forgetting_what_was_forked():
        # each chunk is kept until its results are given out: if a worker dies, the chunks
        # in flight are screened again here, so no record is lost
        pending: deque[_Chunk[T]] = deque()
        # this process screens the first chunk while the workers start on the next ones: an
        # input of a few chunks no longer waits for a worker to start and screen them all
        start = len(first)
        chunk: list[Any] = list(itertools.islice(iterator, chunk_size))
        mine: list[Any] | None = first
        held = _HELD + 4 * workers  # chunks waiting to be given out, at most
        while chunk or pending or mine is not None:
            # two chunks for each worker to work on; a finished one waiting its turn behind
            # chunks screened here does not count, so the workers never wait for this process
            working = sum(1 for e in pending if e.future is not None and not e.future.done())
            while chunk and working < 2 * workers and len(pending) < held:
                future = pool.submit(_map_chunk, job, start, sent(chunk, start, within))
                pending.append(_Chunk(start, chunk, future, None))
                working += 1
                start += len(chunk)
                chunk = list(itertools.islice(iterator, chunk_size))
            if mine is not None:
                pending.appendleft(_Chunk(0, mine, None, _grouped(job, screener, mine)))
                mine = None
            head = pending[0]
            if head.future is None:  # screened here: its results are ready
                pending.popleft()
                yield from head.results or ()
                continue
            if chunk and not head.future.done() and len(pending) < held:
                # rather than wait for a worker (one starting up, or all busy), screen the next
                # chunk here; chunks stay in input order, so the results do too
                pending.append(_Chunk(start, chunk, None, _grouped(job, screener, chunk, start)))
                start += len(chunk)
                chunk = list(itertools.islice(iterator, chunk_size))
                continue
            try:
                done = unpacked(head.future.result())
            except (BrokenProcessPool, WorkerUnavailableError) as exc:
                _log.warning(text("parallel.worker_stopped", reason=exc))
                break
            pending.popleft()
            yield from done
        else:
            return
    # the pool is gone: what was in flight, then the rest of the input, in this process
    for entry in pending:
        if entry.results is not None:
            yield from entry.results
        else:
            yield from _each(job, screener, entry.records, entry.start)
    yield from _each(job, screener, itertools.chain(chunk, iterator), start)
