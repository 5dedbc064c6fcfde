"""Partition aggregates merge to the same result in any grouping and order (what makes Dask runs equal)."""

from __future__ import annotations

import itertools
import random

from hypothesis import given
from hypothesis import strategies as st

from riskscreen.diffing.aggregate import EXAMPLES, BacktestPartial, DiffPartial
from riskscreen.diffing.outcome import STATES, Outcome

RULES = ["R1", "R2", "R3", "R4"]

outcomes = st.builds(
    Outcome,
    state=st.sampled_from(STATES),
    rules=st.frozensets(st.sampled_from(RULES)),
    undecided=st.booleans(),
)
records = st.lists(st.tuples(outcomes, outcomes), max_size=60)


def _diff(pairs: list[tuple[Outcome, Outcome]], start: int = 0) -> DiffPartial:
    partial = DiffPartial()
    for offset, (base, head) in enumerate(pairs):
        partial.add(start + offset, f"r{start + offset}", base, head)
    return partial


@given(records, st.lists(st.integers(0, 60), max_size=6), st.randoms(use_true_random=False))
def test_diff_partials_merge_like_one_pass(
    pairs: list[tuple[Outcome, Outcome]], cuts: list[int], shuffle: random.Random
) -> None:
    bounds = sorted({0, len(pairs), *(c for c in cuts if c < len(pairs))})
    parts = [_diff(pairs[a:b], a) for a, b in itertools.pairwise(bounds)]
    shuffle.shuffle(parts)  # workers finish in any order
    merged = DiffPartial()
    for part in parts:
        merged.merge(part)
    assert merged == _diff(pairs)
    assert merged.records == sum(merged.transitions.values()) == len(pairs)
    assert all(len(found) <= EXAMPLES for found in merged.examples.values())


@given(st.lists(st.tuples(st.sampled_from(["2026-01", "2026-02", "unknown"]), outcomes), max_size=40))
def test_backtest_partials_merge_like_one_pass(items: list[tuple[str, Outcome]]) -> None:
    whole, halves = BacktestPartial(), [BacktestPartial(), BacktestPartial()]
    for index, (period, outcome) in enumerate(items):
        whole.add(period, outcome)
        halves[index % 2].add(period, outcome)
    assert halves[1].merge(halves[0]) == whole


def test_examples_are_the_earliest_records_of_each_change() -> None:
    p3, p1 = Outcome("P3", frozenset(), False), Outcome("P1", frozenset({"R1"}), False)
    late = _diff([(p3, p1)] * 10, start=100)
    early = _diff([(p3, p1)] * 3, start=0)
    merged = late.merge(early)
    assert [record_id for _, record_id in merged.examples["P3->P1"]] == ["r0", "r1", "r2", "r100", "r101"]
    assert merged.gained["R1"] == 13
