"""Aggregates of a diff or a backtest over one partition, and how partitions merge.

A partition's aggregate holds counts and at most :data:`EXAMPLES` example ids per change,
never the records. Merging is associative and commutative: examples are the ones with the
smallest archive position, so the merged result is the same whatever order partitions
finish in, on one machine or on a cluster.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .outcome import Outcome

__all__ = ["EXAMPLES", "BacktestPartial", "DiffPartial", "Examples", "PeriodPartial", "ReadCounts"]

#: Example ids kept per change.
EXAMPLES = 5

#: (archive position, observation id), kept sorted by position.
Examples = list[tuple[int, str]]


def _note(examples: dict[str, Examples], key: str, seq: int, record_id: str) -> None:
    found = examples.setdefault(key, [])
    # positions arrive in increasing order within a partition: the first ones are the smallest
    if len(found) < EXAMPLES:
        found.append((seq, record_id))


def _merge_examples(mine: dict[str, Examples], theirs: dict[str, Examples]) -> None:
    for key, found in theirs.items():
        mine[key] = sorted({*mine.get(key, []), *found})[:EXAMPLES]


@dataclass
class ReadCounts:
    """What parsing JSONL lines gave, per archive file (by index): records, unreadable lines, samples."""

    records: Counter[int] = field(default_factory=Counter)
    invalid: Counter[int] = field(default_factory=Counter)
    samples: dict[int, list[tuple[int, str]]] = field(default_factory=dict)

    def unreadable(self, file: int, seq: int, message: str) -> None:
        """Count one line that is not a record, keeping the first few messages."""
        self.invalid[file] += 1
        found = self.samples.setdefault(file, [])
        if len(found) < EXAMPLES:
            found.append((seq, message))

    def merge(self, other: ReadCounts) -> None:
        """Add ``other``'s counts and samples."""
        self.records.update(other.records)
        self.invalid.update(other.invalid)
        for file, found in other.samples.items():
            self.samples[file] = sorted({*self.samples.get(file, []), *found})[:EXAMPLES]


@dataclass
class DiffPartial:
    """Base against head over some records: rules fired, transitions, undecided, examples."""

    records: int = 0
    base_fired: Counter[str] = field(default_factory=Counter)
    head_fired: Counter[str] = field(default_factory=Counter)
    gained: Counter[str] = field(default_factory=Counter)  # fired in head, not in base
    lost: Counter[str] = field(default_factory=Counter)  # fired in base, not in head
    transitions: Counter[str] = field(default_factory=Counter)  # "P3->P1"
    base_undecided: int = 0
    head_undecided: int = 0
    newly_undecided: int = 0
    no_longer_undecided: int = 0
    examples: dict[str, Examples] = field(default_factory=dict)  # "gained:R", "lost:R", "P3->P1", "undecided"
    read: ReadCounts = field(default_factory=ReadCounts)

    def add(self, seq: int, record_id: str, base: Outcome, head: Outcome) -> None:
        """Count one record screened on both sides."""
        self.records += 1
        self.base_fired.update(base.rules)
        self.head_fired.update(head.rules)
        if base.rules != head.rules:
            for rule in head.rules - base.rules:
                self.gained[rule] += 1
                _note(self.examples, f"gained:{rule}", seq, record_id)
            for rule in base.rules - head.rules:
                self.lost[rule] += 1
                _note(self.examples, f"lost:{rule}", seq, record_id)
        transition = f"{base.state}->{head.state}"
        self.transitions[transition] += 1
        if base.state != head.state:
            _note(self.examples, transition, seq, record_id)
        self.base_undecided += base.undecided
        self.head_undecided += head.undecided
        if head.undecided and not base.undecided:
            self.newly_undecided += 1
            _note(self.examples, "undecided", seq, record_id)
        elif base.undecided and not head.undecided:
            self.no_longer_undecided += 1

    def merge(self, other: DiffPartial) -> DiffPartial:
        """Add ``other``'s counts and examples to this aggregate; returns it."""
        self.records += other.records
        for mine, theirs in (
            (self.base_fired, other.base_fired),
            (self.head_fired, other.head_fired),
            (self.gained, other.gained),
            (self.lost, other.lost),
            (self.transitions, other.transitions),
        ):
            mine.update(theirs)
        self.base_undecided += other.base_undecided
        self.head_undecided += other.head_undecided
        self.newly_undecided += other.newly_undecided
        self.no_longer_undecided += other.no_longer_undecided
        _merge_examples(self.examples, other.examples)
        self.read.merge(other.read)
        return self


@dataclass
class PeriodPartial:
    """Counts for one week or month."""

    records: int = 0
    undecided: int = 0
    states: Counter[str] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)

    def merge(self, other: PeriodPartial) -> None:
        """Add ``other``'s counts."""
        self.records += other.records
        self.undecided += other.undecided
        self.states.update(other.states)
        self.rules.update(other.rules)


@dataclass
class BacktestPartial:
    """Per-period rule counts and priority states over some records."""

    periods: dict[str, PeriodPartial] = field(default_factory=dict)
    read: ReadCounts = field(default_factory=ReadCounts)

    def add(self, period: str, outcome: Outcome) -> None:
        """Count one screened record in its period."""
        counts = self.periods.get(period)
        if counts is None:
            counts = self.periods[period] = PeriodPartial()
        counts.records += 1
        counts.undecided += outcome.undecided
        counts.states[outcome.state] += 1
        counts.rules.update(outcome.rules)

    def merge(self, other: BacktestPartial) -> BacktestPartial:
        """Add ``other``'s periods to this aggregate; returns it."""
        for period, counts in other.periods.items():
            self.periods.setdefault(period, PeriodPartial()).merge(counts)
        self.read.merge(other.read)
        return self
