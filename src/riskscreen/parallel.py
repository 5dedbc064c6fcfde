"""Screening a large input with several processes, with exactly the serial results.

Each worker process builds its own :class:`~riskscreen.Screener` from the arguments the
original was built with (the rule-set cache makes that quick) and screens chunks of
records; the parent hands out chunks as they are read and yields the results in input
order. Every record is screened on its own, so the results, their order and everything
built from them (sorted alerts, summaries) are those of serial screening. At most two
chunks per worker are in flight, so memory stays bounded on any input size. An input
smaller than one chunk is screened in the calling process.

Workers are started fresh (``spawn``), never forked: a fork would copy locks and thread
pools of the parent in whatever state they were in. A program that asks for several jobs
must therefore be importable without side effects (the usual
``if __name__ == "__main__":`` guard).
"""

from __future__ import annotations

import concurrent.futures
import importlib
import itertools
import multiprocessing
import pickle
import types
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .models import ScreenResult

if TYPE_CHECKING:
    from .screener import RecordInput, Screener

__all__ = ["CHUNK_SIZE", "portable_arguments", "screen_in_processes"]

#: Records handed to a worker at a time.
CHUNK_SIZE = 512

_worker: Screener | None = None


def _module(name: str) -> types.ModuleType:
    return importlib.import_module(name)


def portable_arguments(arguments: Mapping[str, Any]) -> bytes:
    """The screener's constructor arguments, pickled for a worker (plugin modules by name).

    Raises :class:`ValueError` when something cannot be sent to another process.
    """

    class _Pickler(pickle.Pickler):
        def reducer_override(self, obj: Any) -> Any:
            if isinstance(obj, types.ModuleType):
                return (_module, (obj.__name__,))
            return NotImplemented

    import io

    buffer = io.BytesIO()
    try:
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(dict(arguments))
    except Exception as exc:
        raise ValueError(
            f"screening with several processes needs a screener they can rebuild: {exc}"
        ) from None
    return buffer.getvalue()


def _start_worker(arguments: bytes) -> None:
    global _worker
    from .screener import Screener

    _worker = Screener(**pickle.loads(arguments))


def _screen_chunk(start: int, records: list[RecordInput]) -> list[ScreenResult]:
    assert _worker is not None, "worker not started"
    return [_worker.screen(data, start + offset) for offset, data in enumerate(records)]


def screen_in_processes(
    screener: Screener,
    arguments: Mapping[str, Any],
    records: Iterable[RecordInput],
    jobs: int,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[ScreenResult]:
    """One result per record, in input order, screened by ``jobs`` worker processes."""
    iterator = iter(records)
    first = list(itertools.islice(iterator, chunk_size))
    if len(first) < chunk_size:  # a small input: not worth starting processes
        for offset, data in enumerate(first):
            yield screener.screen(data, offset)
        return
    portable = portable_arguments(arguments)
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=(portable,)
    ) as pool:
        pending: deque[concurrent.futures.Future[list[ScreenResult]]] = deque()
        start = 0
        chunk: list[RecordInput] = first
        while chunk or pending:
            while chunk and len(pending) < 2 * jobs:
                pending.append(pool.submit(_screen_chunk, start, chunk))
                start += len(chunk)
                chunk = list(itertools.islice(iterator, chunk_size))
            yield from pending.popleft().result()
