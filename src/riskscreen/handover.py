"""How a chunk of records reaches a worker process, and how its results come back.

Both directions are work for the calling process, which screens chunks of its own
meanwhile (:mod:`riskscreen.parallel`), so each is made as cheap as it can be:

- records in a list or tuple the workers were forked with are already in their memory:
  a chunk of them is sent as the range of its positions (:class:`Held`), not as records
  to pickle and unpickle (a sixth of a worker's time on the benchmark's records);
- JSON lines go as three lists (:class:`Lines`), about four times quicker to pickle than
  the :class:`~riskscreen.jsonline.JsonLine` objects;
- anything else goes as it is;
- the results are pickled by the worker itself (:func:`packed`), and unpickled here with
  the cyclic collector paused (:func:`unpacked`); every object unpickled stays alive, and
  with the collector running, unpickling an alert-heavy chunk took about four times as
  long. Result models pickle as their field values (``riskscreen.models._Model``);
- the pipes hold a whole chunk (:func:`larger_pipes`), and the interpreter's lock is
  handed to the executor's threads often while workers run (:func:`quick_handoffs`).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import pickle
import sys
from collections.abc import Iterator, Sequence
from typing import Any

try:
    import fcntl
except ImportError:  # not on Windows
    fcntl = None  # type: ignore[assignment]

from .collection import collector_paused
from .jsonline import JsonLine

__all__ = [
    "HANDOFF_INTERVAL",
    "PIPE_BYTES",
    "Held",
    "Lines",
    "forked_with",
    "larger_pipes",
    "packed",
    "quick_handoffs",
    "received",
    "sent",
    "unpacked",
]

#: The interpreter's switch interval while workers run (seconds; Python's default is 0.005).
HANDOFF_INTERVAL = 0.0005

#: The records a forked worker was forked with (set in the calling process just before the
#: fork, and cleared afterwards; a worker keeps its copy).
_held: Sequence[Any] = ()


@dataclasses.dataclass(frozen=True)
class Held:
    """Records ``start`` to ``stop`` of those the worker was forked with."""

    start: int
    stop: int


@dataclasses.dataclass(frozen=True)
class Lines:
    """A chunk of JSON lines as sent to a worker: their texts, numbers and files."""

    texts: list[str]
    numbers: list[int]
    paths: list[str | None]

    def lines(self) -> list[JsonLine]:
        """The :class:`JsonLine` objects again."""
        return [JsonLine(t, n, p) for t, n, p in zip(self.texts, self.numbers, self.paths, strict=True)]


def forked_with(records: Sequence[Any]) -> None:
    """Make ``records`` what workers forked from now on hold (``()``: none)."""
    global _held
    _held = records


def sent(records: list[Any], start: int, held: int) -> list[Any] | Lines | Held:
    """``records`` (numbered from ``start``) as a worker is sent them.

    ``held`` is how many records of the input the worker was forked with (0: none): a chunk
    within them goes as a :class:`Held` range; records beyond (a list the caller added to
    meanwhile) go as themselves.
    """
    if start + len(records) <= held:
        return Held(start, start + len(records))
    for record in records:
        if record.__class__ is not JsonLine:
            return records
    return Lines([r.text for r in records], [r.number for r in records], [r.path for r in records])


def received(records: list[Any] | Lines | Held) -> list[Any]:
    """In a worker: the records :func:`sent` sent."""
    if records.__class__ is Held:
        chunk = _held[records.start : records.stop]  # a list's slice is a new list already
        return chunk if chunk.__class__ is list else list(chunk)
    if records.__class__ is Lines:
        return records.lines()
    return records  # type: ignore[return-value]


def packed(results: list[Any]) -> bytes:
    """In a worker: a chunk's results, pickled for :func:`unpacked`."""
    return pickle.dumps(results, pickle.HIGHEST_PROTOCOL)


def unpacked(data: bytes) -> list[Any]:
    """A chunk's results as a worker :func:`packed` them, unpickled with the collector paused."""
    with collector_paused():
        return pickle.loads(data)  # type: ignore[no-any-return]


#: Bytes a pipe between the processes holds (Linux; 64 KB by default, 1 MB the usual limit).
PIPE_BYTES = 1 << 20


def larger_pipes(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """Pipes that hold a whole chunk's records, or its results, at once (Linux).

    A chunk of 512 JSON lines, or its encoded alerts, is some 300 KB: through a pipe of
    64 KB it goes in pieces, and between pieces the writing thread of this process waits
    for the interpreter's lock while this process screens, and a worker writing its results
    waits with it. The pipes belong to the executor (names of its own, hence getattr):
    without them, or off Linux, the pipes stay as they are.
    """
    setting = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if setting is None:
        return
    ends = (
        getattr(getattr(pool, "_call_queue", None), "_writer", None),
        getattr(getattr(pool, "_result_queue", None), "_reader", None),
    )
    for end in ends:
        with contextlib.suppress(AttributeError, OSError, ValueError):  # not there, or not allowed
            fcntl.fcntl(end.fileno(), setting, PIPE_BYTES)  # type: ignore[union-attr]


@contextlib.contextmanager
def quick_handoffs() -> Iterator[None]:
    """The interpreter's lock handed to other threads every :data:`HANDOFF_INTERVAL` meanwhile.

    The executor's threads (sending chunks, taking results back) wait for the lock while
    this process screens a chunk itself, and a worker waits with them.
    """
    previous = sys.getswitchinterval()
    sys.setswitchinterval(min(previous, HANDOFF_INTERVAL))
    try:
        yield
    finally:
        sys.setswitchinterval(previous)
