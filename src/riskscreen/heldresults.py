"""Holding many results without making Python's cyclic garbage collector scan them again and again.

A batch keeps every alert until it is sorted: tens of tracked objects per alert (the models,
their lists and dicts). Each time the collector's oldest generation is examined it walks
all of them, although screening creates no reference cycles; on the alert-heavy benchmark
that was a fifth of ``screen_many``'s time. :func:`held_results` moves what has been
collected so far out of the collector's reach (:func:`gc.freeze`) every few thousand
results, and puts it back (:func:`gc.unfreeze`) when the batch is done, so the objects are
collected normally afterwards. When something else already froze objects (a server that
freezes before forking its workers), nothing is done: unfreezing would undo its work.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator

__all__ = ["held_results"]

#: Results between two freezes: often enough that the collector never walks many of them.
EVERY = 2048


@contextlib.contextmanager
def held_results(every: int = EVERY) -> Iterator[Callable[[], None]]:
    """A context giving a function to call once per result held."""
    if gc.get_freeze_count() or not gc.isenabled():
        yield _nothing
        return
    count = 0

    def held() -> None:
        nonlocal count
        count += 1
        if count % every == 0:
            gc.freeze()

    try:
        yield held
    finally:
        gc.unfreeze()


def _nothing() -> None:
    return None
