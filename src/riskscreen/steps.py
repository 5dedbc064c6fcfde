"""Screening records already in memory a step at a time, with the results one by one gives.

Screening a record runs four different bodies of code one after the other: pydantic-core's
validation, the record view and the generated code of its category's rules, the
findings' data and the settling of undecided rules, then the result's models. Done record
by record, each evicts the others from the processor's caches. For a list or tuple,
:meth:`Screener.iter_screen <riskscreen.Screener.iter_screen>` runs each step over
:data:`STEP` records before the next step: about a quarter more records a second on the
benchmark workloads (``benchmarks/sidebyside.py``). The results are the same, in the same
order; what is held meanwhile is a few records' worth. Records from other iterables are
screened one by one, so that a slow source never has its results held back.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .engine.plan import Outcome
from .engine.record import Record
from .models import ErrorRecord, Insufficient, Observation, PluginFailure, ScreenResult

if TYPE_CHECKING:
    from .screener import RecordInput, Screener

__all__ = ["STEP", "Decided", "Fired", "Results", "plain_in_steps", "screen_in_steps"]

#: Records per step: enough for a step's code to stay in the caches over them, few enough
#: for their data to fit beside it (8 to 32 measured alike; 256 slower than one by one).
STEP = 16

#: The record view, each rule that fired or could not be decided, plugin enrichment's failures.
Fired = tuple[Record, list[Outcome], list[PluginFailure]]
#: What the rules found for an observation: the findings' data, the undecided entries,
#: plugin failures, warnings.
Decided = tuple[list[dict[str, Any]], list[Insufficient], list[PluginFailure], list[str]]


def screen_in_steps(
    screener: Screener, records: Sequence[RecordInput], *, indexes: Sequence[int] | None = None
) -> Iterator[ScreenResult]:
    """``screener``'s results for ``records``, in input order, :data:`STEP` records a step at a time.

    Records are numbered from 0, or by ``indexes`` (one per record). Plugins are called for
    a record before the results of the earlier records of its step are given. The length
    is read again for each step: a list the caller adds to while reading the results is
    screened to its end.
    """
    steps = _steps(screener, records, plain=False, indexes=indexes)
    return steps  # type: ignore[return-value]  # results only, not plain


class Results:
    """The job :func:`riskscreen.parallel.map_records` runs for each record's result.

    Given a chunk at once (``many``), it screens it a step at a time; in a worker process
    too (it pickles by reference).
    """

    def __call__(self, screener: Screener, data: RecordInput, index: int) -> ScreenResult:
        return screener.screen(data, index)

    def many(
        self, screener: Screener, records: Sequence[RecordInput], indexes: Sequence[int]
    ) -> list[ScreenResult]:
        """Each record's result, numbered by ``indexes``, screened a step at a time."""
        return list(screen_in_steps(screener, records, indexes=indexes))


def plain_in_steps(
    screener: Screener, records: Sequence[RecordInput], *, indexes: Sequence[int] | None = None
) -> list[ScreenResult | dict[str, Any]]:
    """What :meth:`Screener.screen_plain <riskscreen.Screener.screen_plain>` gives for each of
    ``records`` (numbered from 0, or by ``indexes``, one per record), screened :data:`STEP`
    records a step at a time."""
    return list(_steps(screener, records, plain=True, indexes=indexes))


def _steps(
    screener: Screener,
    records: Sequence[RecordInput],
    *,
    plain: bool,
    indexes: Sequence[int] | None = None,
) -> Iterator[ScreenResult | dict[str, Any]]:
    """The steps (see the module documentation); an alert as its data when ``plain``.

    Records are numbered from 0, or by ``indexes`` (one per record).
    """
    position = 0
    while position < len(records):
        step = records[position : position + STEP]
        numbers = (
            indexes[position : position + len(step)]
            if indexes is not None
            else range(position, position + len(step))
        )
        validated = [screener.validate(data, number) for data, number in zip(step, numbers, strict=True)]
        # the rules run over the step's records (unknown attributes, record views, fused rules)
        checked: list[tuple[Observation, ScreenResult | tuple[list[str], Fired]] | None] = [
            None
            if isinstance(observation, ErrorRecord)
            else (observation, screener._checked(observation, number))
            for observation, number in zip(validated, numbers, strict=True)
        ]
        # what they found is put together (findings' data, settling, plugin checks)
        decided: list[ScreenResult | Decided | None] = []
        for item in checked:
            if item is None:
                decided.append(None)
            else:
                observed, part = item
                decided.append(part if isinstance(part, ScreenResult) else screener._found(observed, part))
        # the results, in input order
        for observation, outcome, number in zip(validated, decided, numbers, strict=True):
            if isinstance(observation, ErrorRecord) or outcome is None:
                yield screener._screened(observation, number)
            elif isinstance(outcome, ScreenResult):
                yield outcome  # --strict's error for unknown attributes
            else:
                concluded = screener._concluded(observation, number, outcome)
                yield concluded if plain else screener._result(observation, number, concluded)
        position += len(step)
