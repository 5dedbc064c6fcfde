"""Sorting more items than fit in memory: sorted runs spilled to temporary files, merged at the end.

:class:`SortedSpill` keeps at most ``run_size`` items in memory. When that many have been
added they are sorted and written to an anonymous temporary file (a *run*); reading the
spill back merges every run and the items still in memory with :func:`heapq.merge`, which
holds one block of each run at a time. When :data:`FAN_IN` runs have been written they
are merged into one longer run, so there are never more than that many to read at once:
memory is bounded by ``run_size`` items plus ``FAN_IN`` blocks, whatever the number of
items (each item is rewritten once per ``FAN_IN``-fold growth of the input).

Items are ``(key, value)`` pairs, sorted by key only; equal keys keep the order they were
added in (the merge is stable across runs because earlier runs come first). Keys and values
must be picklable; values are usually already-encoded output (a JSON line, a CSV row), so
that reading back costs one unpickling and nothing else.
"""

from __future__ import annotations

import heapq
import os
import pickle
import tempfile
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import IO, Any, Generic, TypeVar

__all__ = ["DEFAULT_RUN_SIZE", "FAN_IN", "SortedSpill", "run_size_from_environment"]

K = TypeVar("K")
V = TypeVar("V")

#: Items kept in memory before a run is written out (about 20-40 MB of encoded alerts).
DEFAULT_RUN_SIZE = 10_000
#: Items pickled together: large enough to pickle quickly, small enough to hold one per run.
_BLOCK = 32
#: Runs merged at most at once (a merge holds one block of each).
FAN_IN = 32
_FIRST = itemgetter(0)


def run_size_from_environment() -> int:
    """``$RISKSCREEN_SORT_RUN`` (items per sorted run, at least 1), else :data:`DEFAULT_RUN_SIZE`."""
    value = os.environ.get("RISKSCREEN_SORT_RUN", "")
    try:
        return max(1, int(value)) if value else DEFAULT_RUN_SIZE
    except ValueError:
        return DEFAULT_RUN_SIZE


class SortedSpill(Generic[K, V]):
    """``(key, value)`` pairs added in any order, read back sorted by key with bounded memory."""

    def __init__(self, run_size: int = DEFAULT_RUN_SIZE, directory: str | None = None) -> None:
        self._run_size = max(1, run_size)
        self._directory = directory
        self._pending: list[tuple[K, V]] = []
        self._runs: list[IO[bytes]] = []
        self._count = 0

    def __len__(self) -> int:
        return self._count

    @property
    def runs(self) -> int:
        """How many runs have been written to disk so far."""
        return len(self._runs)

    def add(self, key: K, value: V) -> None:
        """Add one item; writes a run to disk when ``run_size`` items are waiting."""
        self._pending.append((key, value))
        self._count += 1
        if len(self._pending) >= self._run_size:
            self._spill()

    def _spill(self) -> None:
        self._pending.sort(key=_FIRST)
        self._runs.append(self._write_run(self._pending))
        self._pending = []
        if len(self._runs) >= FAN_IN:
            # earlier runs first, so equal keys keep the order they were added in
            merged = heapq.merge(*(_read(run) for run in self._runs), key=_FIRST)
            longer = self._write_run(merged)
            for run in self._runs:
                run.close()
            self._runs = [longer]

    def _write_run(self, items: Iterable[tuple[K, V]]) -> IO[bytes]:
        # kept open until merged; an anonymous file, removed by the system when closed
        run = tempfile.TemporaryFile(dir=self._directory)  # noqa: SIM115
        block: list[tuple[K, V]] = []
        for item in items:
            block.append(item)
            if len(block) == _BLOCK:
                pickle.dump(block, run, protocol=pickle.HIGHEST_PROTOCOL)
                block = []
        if block:
            pickle.dump(block, run, protocol=pickle.HIGHEST_PROTOCOL)
        run.seek(0)
        return run

    def items(self) -> Iterator[tuple[K, V]]:
        """Every item, sorted by key; call once, after the last :meth:`add`."""
        self._pending.sort(key=_FIRST)
        sources: list[Iterator[tuple[K, V]]] = [_read(run) for run in self._runs]
        sources.append(iter(self._pending))
        try:
            yield from heapq.merge(*sources, key=_FIRST)
        finally:
            self.close()

    def values(self) -> Iterator[V]:
        """Every value, in the order of its key."""
        for _, value in self.items():
            yield value

    def close(self) -> None:
        """Delete the runs and forget the items (also done once :meth:`items` is exhausted)."""
        for run in self._runs:
            run.close()
        self._runs = []
        self._pending = []


def _read(run: IO[bytes]) -> Iterator[Any]:
    while True:
        try:
            block = pickle.load(run)
        except EOFError:
            return
        yield from block
