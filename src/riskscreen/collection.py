"""How often Python's cyclic garbage collector runs in the processes riskscreen runs itself.

Screening allocates many short-lived objects (each record's values, findings, encoded
alerts) and creates next to no reference cycles, so collecting the youngest generation
every 700 allocations (Python's default) mostly walks objects about to be freed anyway.
The command line, while a command runs, and the worker processes of ``jobs`` collect it
every :data:`YOUNG_COLLECTED_AFTER` allocations instead: about 7% less CPU screening
20,000 alert-heavy records with ``--jobs 1``, the same peak memory. A program that calls
the API keeps its own setting, except that :func:`collector_paused` holds the collector
off while a chunk of results it keeps is made.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["YOUNG_COLLECTED_AFTER", "collector_paused", "fewer_collections", "fewer_collections_from_now"]

#: Allocations (less deallocations) before the youngest generation is collected.
YOUNG_COLLECTED_AFTER = 10_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """The youngest generation collected every :data:`YOUNG_COLLECTED_AFTER` allocations meanwhile."""
    previous = gc.get_threshold()
    fewer_collections_from_now()
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def fewer_collections_from_now() -> None:
    """:func:`fewer_collections` for the rest of this process (a worker that only screens)."""
    gc.set_threshold(YOUNG_COLLECTED_AFTER, *gc.get_threshold()[1:])


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off meanwhile, if it was on: for making results that are all kept.

    Screening a chunk of records whose results are held until the chunk is done (worker
    processes' chunks, ``jobs``, ``screen_many``) or unpickling a worker's results makes
    thousands of objects that all stay alive. The collector, started every few hundred of
    them, walked them again each time, and its oldest generation (the rule set, the caller's
    records) every few thousand: screening a chunk of 512 records took nearly twice as long
    (docs/performance.md). Nothing is lost by waiting: screening makes no reference cycles,
    and what it drops is freed as it goes. The collector is turned back on afterwards, so it
    is off for a chunk at a time, a few hundredths of a second, in the whole process.
    """
    if not gc.isenabled():  # the caller's own choice, kept
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
