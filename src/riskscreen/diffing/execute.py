"""Running a task over an archive's partitions: here, in local processes, or on a Dask cluster.

The archive is read here, once, and cut into partitions of :data:`PARTITION` records.
On Dask the task (the rule sets' contents) is sent to every worker once; each partition
goes to a worker and only its aggregate comes back. At most two partitions per worker
are in flight, so the client's memory stays bounded whatever the archive's size.
"""

from __future__ import annotations

import concurrent.futures
import importlib
import itertools
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from typing import Any, Protocol, TypeVar

from ..errors import RiskscreenError
from .archives import Item

__all__ = ["PARTITION", "DaskError", "Mergeable", "parse_dask", "partitions", "run"]

#: Records per partition.
PARTITION = 2000


class Mergeable(Protocol):
    """An aggregate that absorbs another of its kind."""

    def merge(self, other: Any) -> Any:
        """Add ``other`` to this aggregate."""


P = TypeVar("P", bound=Mergeable)


class DaskError(RiskscreenError):
    """The cluster could not be reached or a worker failed."""


def partitions(records: Iterable[Item], size: int = PARTITION) -> Iterator[tuple[int, list[Item]]]:
    """(position of the first record, records) for consecutive slices of ``records``."""
    iterator = iter(records)
    start = 0
    while chunk := list(itertools.islice(iterator, size)):
        yield start, chunk
        start += len(chunk)


def parse_dask(address: str) -> tuple[str, int | None]:
    """``("local", N)`` for ``local`` or ``local:N`` (N: CPU count by default), else ``(address, None)``.

    Raises :class:`ValueError` for a malformed ``local:N``.
    """
    if address == "local" or address.startswith("local:"):
        count = address.partition(":")[2]
        if count and (not count.isdigit() or int(count) < 1):
            raise ValueError(f"--dask local:N needs a number of workers (1 or more), got {count!r}")
        return "local", int(count) if count else (os.cpu_count() or 1)
    return address, None


def _distributed() -> Any:
    try:
        return importlib.import_module("distributed")
    except ImportError:  # pragma: no cover - the dask extra installs it
        raise DaskError("--dask needs dask.distributed (pip install 'riskscreen[dask]')") from None


def _client(address: str) -> Any:
    distributed = _distributed()
    where, workers = parse_dask(address)
    try:
        if workers is not None:
            # processes, one thread each: screening is pure Python and holds the GIL
            cluster = distributed.LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # any free port: never clash with a running dashboard
                silence_logs=logging.CRITICAL,  # failures come back with the futures
            )
            return distributed.Client(cluster)
        return distributed.Client(where, timeout="30s")
    except OSError as exc:
        raise DaskError(f"cannot reach the Dask scheduler at {address}: {exc}") from None


def _call(task: Callable[[int, list[Item]], P], start: int, records: list[Item]) -> P:
    return task(start, records)


def _on_dask(
    task: Callable[[int, list[Item]], P],
    chunks: Iterator[tuple[int, list[Item]]],
    address: str,
) -> Iterator[P]:
    wait = _distributed().wait
    client = _client(address)
    cluster = getattr(client, "cluster", None)
    with client, cluster if cluster is not None else nullcontext():
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        shared = client.scatter(task, broadcast=True)
        pending: set[Any] = set()
        try:
            for start, records in chunks:
                pending.add(client.submit(_call, shared, start, records, pure=False))
                if len(pending) >= 2 * workers:
                    done, pending = wait(pending, return_when="FIRST_COMPLETED")
                    yield from (_result(f) for f in done)
            while pending:
                done, pending = wait(pending, return_when="FIRST_COMPLETED")
                yield from (_result(f) for f in done)
        finally:
            # released before the cluster closes, so that closing loses no data it would warn about
            client.cancel([shared, *pending])


def _result(future: Any) -> Any:
    try:
        return future.result()
    except Exception as exc:
        raise DaskError(f"a Dask worker failed on a partition: {type(exc).__name__}: {exc}") from exc


def _in_processes(
    task: Callable[[int, list[Item]], P],
    chunks: Iterator[tuple[int, list[Item]]],
    jobs: int,
) -> Iterator[P]:
    # spawned, never forked: a fork would copy the parent's locks and threads in whatever state
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending: set[concurrent.futures.Future[P]] = set()
        for start, records in chunks:
            pending.add(pool.submit(_call, task, start, records))
            if len(pending) >= 2 * jobs:
                done, pending = concurrent.futures.wait(pending, return_when="FIRST_COMPLETED")
                yield from (f.result() for f in done)
        for future in concurrent.futures.as_completed(pending):
            yield future.result()


def run(
    task: Callable[[int, list[Item]], P],
    records: Iterable[Item],
    empty: P,
    *,
    dask: str | None = None,
    jobs: int = 1,
    partition: int = PARTITION,
) -> P:
    """Every partition's aggregate merged into ``empty``.

    In this process; in ``jobs`` local worker processes; or on ``dask`` (a scheduler
    address, or ``local[:N]``). The result is the same every way.
    """
    chunks = partitions(records, partition)
    results: Iterable[P]
    if dask is not None:
        results = _on_dask(task, chunks, dask)
    elif jobs > 1:
        results = _in_processes(task, chunks, jobs)
    else:
        results = (task(start, chunk) for start, chunk in chunks)
    for partial in results:
        empty.merge(partial)
    return empty
