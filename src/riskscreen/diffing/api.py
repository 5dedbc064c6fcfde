"""``riskscreen.diff`` and ``riskscreen.backtest``: rule changes measured against history."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Literal, TypeVar

from ..screener import Screener
from ..settings import Settings
from .aggregate import BacktestPartial, DiffPartial, PeriodPartial, ReadCounts
from .archives import SAMPLES_PER_FILE, ArchiveReport, Item, archive_files, archive_items
from .bundle import RuleBundle, remember_screener
from .execute import PARTITION, parse_dask, run
from .failif import evaluate, parse_condition
from .models import BacktestResult, DiffResult, PeriodCounts, RuleCounts, SideSummary, UndecidedChange
from .outcome import STATES
from .ruledefs import compare_rules
from .shortcut import unchanged_categories
from .sides import RuleSide, SideError, load_side, resolve_base
from .tasks import UNKNOWN_PERIOD, BacktestTask, DiffTask

__all__ = ["backtest", "diff"]

PathLike = str | os.PathLike[str]


def _check_execution(dask: str | None, jobs: int) -> None:
    if jobs < 1:
        raise ValueError(f"jobs must be 1 or more, not {jobs}")
    if dask is not None and jobs > 1:
        raise ValueError("screen either in local processes (jobs) or on Dask (dask), not both")
    if dask is not None:
        parse_dask(dask)  # a malformed local:N is a usage error before anything is read


def _counted(records: Iterator[Item], progress: Callable[[int], None] | None, every: int) -> Iterator[Item]:
    if progress is None:
        yield from records
        return
    count = 0
    for count, record in enumerate(records, 1):
        yield record
        if count % every == 0:
            progress(count)
    progress(count)


def _fold(report: ArchiveReport, read: ReadCounts) -> None:
    """Add what the partitions' parsing of JSONL lines found to the archive's per-file counts."""
    for index, entry in enumerate(report.files):
        entry.records += read.records[index]
        entry.invalid += read.invalid[index]
        # lines found unreadable come before a truncated end, which the reader noted
        found = [f"{entry.path}: {message}" for _, message in read.samples.get(index, [])]
        entry.samples = (found + entry.samples)[:SAMPLES_PER_FILE]


Partial = TypeVar("Partial", DiffPartial, BacktestPartial)


def _screen_archive(
    task: Callable[[int, list[Item]], Partial],
    empty: Partial,
    files: list[Path],
    encoding: str,
    progress: Callable[[int], None] | None,
    *,
    dask: str | None,
    jobs: int,
    partition: int,
) -> tuple[Partial, ArchiveReport]:
    """The archive screened in partitions by ``task``: the merged aggregate and the per-file report."""
    report = ArchiveReport()
    records = _counted(archive_items(files, report, encoding=encoding), progress, partition)
    partial = run(task, records, empty, dask=dask, jobs=jobs, partition=partition)
    _fold(report, partial.read)
    return partial, report


def _archive_list(archive: PathLike | Sequence[PathLike]) -> list[str]:
    if isinstance(archive, (str, os.PathLike)):
        return [os.fspath(archive)]
    return [os.fspath(a) for a in archive]


def diff(
    archive: PathLike | Sequence[PathLike],
    *,
    base: PathLike,
    head: PathLike | None = None,
    rules: Sequence[PathLike] = (),
    builtin: bool = True,
    settings: Settings | None = None,
    disable_plugins: Sequence[str] = (),
    fail_if: Sequence[str] = (),
    dask: str | None = None,
    jobs: int = 1,
    encoding: str = "utf-8-sig",
    partition: int = PARTITION,
    progress: Callable[[int], None] | None = None,
) -> DiffResult:
    """Screen ``archive`` with the base and the head rule sets in one pass and compare.

    The head's packs are ``head`` (a file or folder) or else ``rules`` as they are in the
    working tree. ``base`` is a folder or file when one exists by that name, else a git
    ref: the head's pack paths as they were at that commit, read with git. The shipped
    packs and plugins take part on both sides unless ``builtin=False``.

    ``fail_if`` holds conditions (see :mod:`riskscreen.diffing.failif`), reported in
    ``checks``. ``jobs`` > 1 screens in that many local processes; ``dask`` is a scheduler
    address or ``local`` / ``local:N``. The archive is screened in partitions of
    ``partition`` records (the unit of work); the result is the same every way.
    ``progress``, when given, is called with the number of lines and rows read so far after
    each partition's worth.

    Raises :class:`~riskscreen.diffing.sides.SideError` when a side cannot be found or
    loaded, :class:`~riskscreen.diffing.archives.ArchiveError` for an archive argument
    naming nothing, and :class:`ValueError` for a malformed condition or missing packs.
    """
    if head is not None and rules:
        raise ValueError("give the head's packs either as rules or as head, not both")
    head_paths = tuple(Path(p) for p in ([head] if head is not None else rules))
    if not head_paths:
        raise ValueError("name the packs to compare: --rules PATH (or --head PATH)")
    _check_execution(dask, jobs)
    conditions = [parse_condition(c) for c in fail_if]
    for path in head_paths:  # a mistyped head path, before it is looked for at the base
        if not path.exists():
            raise SideError("head", os.fspath(path), "no such file or folder")
    files = archive_files(_archive_list(archive))
    settings = settings or Settings()
    head_side = RuleSide("head", ", ".join(os.fspath(p) for p in head_paths), head_paths)
    disabled = tuple(disable_plugins)
    with resolve_base(os.fspath(base), head_paths) as base_side:
        base_screener = load_side(base_side, builtin=builtin, settings=settings, disable_plugins=disabled)
        head_screener = load_side(head_side, builtin=builtin, settings=settings, disable_plugins=disabled)
        task = DiffTask(
            RuleBundle.from_paths(
                base_side.paths, builtin=builtin, settings=settings, disable_plugins=disabled
            ),
            RuleBundle.from_paths(
                head_side.paths, builtin=builtin, settings=settings, disable_plugins=disabled
            ),
            unchanged_categories(base_screener, base_side.paths, head_screener, head_side.paths),
        )
    remember_screener(task.base, base_screener)
    remember_screener(task.head, head_screener)
    partial, report = _screen_archive(
        task, DiffPartial(), files, encoding, progress, dask=dask, jobs=jobs, partition=partition
    )
    result = _diff_result(partial, report, base_side, head_side, base_screener, head_screener)
    result.checks = evaluate(conditions, result)
    return result


def _side(side: RuleSide, screener: Screener) -> SideSummary:
    return SideSummary(
        side="base" if side.name == "base" else "head",
        label=side.label,
        rules=len(screener.ruleset.rules),
        ruleset=screener.ruleset.digest,
    )


def _ids(examples: list[tuple[int, str]] | None) -> list[str]:
    return [record_id for _, record_id in examples or []]


def _diff_result(
    partial: DiffPartial,
    report: ArchiveReport,
    base_side: RuleSide,
    head_side: RuleSide,
    base: Screener,
    head: Screener,
) -> DiffResult:
    added, removed, changed = compare_rules(base.ruleset.rules, head.ruleset.rules)
    status: dict[str, Literal["added", "removed", "changed", "unchanged"]] = {
        **dict.fromkeys(added, "added"),
        **dict.fromkeys(removed, "removed"),
        **{c.rule_id: "changed" for c in changed},
    }
    rule_ids = sorted(set(partial.base_fired) | set(partial.head_fired) | set(status))
    rows = [
        RuleCounts(
            rule_id=rule_id,
            status=status.get(rule_id, "unchanged"),
            base=partial.base_fired[rule_id],
            head=partial.head_fired[rule_id],
            gained=partial.gained[rule_id],
            lost=partial.lost[rule_id],
            examples_gained=_ids(partial.examples.get(f"gained:{rule_id}")),
            examples_lost=_ids(partial.examples.get(f"lost:{rule_id}")),
        )
        for rule_id in rule_ids
    ]
    matrix = {a: {b: partial.transitions[f"{a}->{b}"] for b in STATES} for a in STATES}
    priorities = {
        "base": {a: sum(matrix[a].values()) for a in STATES},
        "head": {b: sum(matrix[a][b] for a in STATES) for b in STATES},
    }
    examples = {key: _ids(found) for key, found in sorted(partial.examples.items()) if "->" in key and found}
    return DiffResult(
        base=_side(base_side, base),
        head=_side(head_side, head),
        records=partial.records,
        archive=report,
        rules=rows,
        added=added,
        removed=removed,
        changed=changed,
        priorities=priorities,
        transitions=matrix,
        transition_examples=examples,
        undecided=UndecidedChange(
            base=partial.base_undecided,
            head=partial.head_undecided,
            newly=partial.newly_undecided,
            no_longer=partial.no_longer_undecided,
            examples=_ids(partial.examples.get("undecided")),
        ),
    )


def backtest(
    archive: PathLike | Sequence[PathLike],
    *,
    by: Literal["week", "month"] = "week",
    rules: Sequence[PathLike] = (),
    builtin: bool = True,
    settings: Settings | None = None,
    disable_plugins: Sequence[str] = (),
    dask: str | None = None,
    jobs: int = 1,
    encoding: str = "utf-8-sig",
    partition: int = PARTITION,
    progress: Callable[[int], None] | None = None,
) -> BacktestResult:
    """Screen ``archive`` with one rule set and count per ISO week or calendar month.

    Weeks and months are read in the local timezone from each report's ``reported_at``;
    records whose time cannot be read are counted under ``unknown``. Raises as :func:`diff`.
    """
    if by not in ("week", "month"):
        raise ValueError(f"by must be 'week' or 'month', not {by!r}")
    _check_execution(dask, jobs)
    if not rules and not builtin:
        raise ValueError("without the shipped packs, name the packs to screen with: --rules PATH")
    files = archive_files(_archive_list(archive))
    settings = settings or Settings()
    paths = tuple(Path(p) for p in rules)
    label = ", ".join(os.fspath(p) for p in rules) or "shipped packs"
    disabled = tuple(disable_plugins)
    if paths:
        screener = load_side(
            RuleSide("rules", label, paths), builtin=builtin, settings=settings, disable_plugins=disabled
        )
    else:
        screener = Screener((), builtin=builtin, settings=settings, disable_plugins=disabled)
    task = BacktestTask(
        RuleBundle.from_paths(paths, builtin=builtin, settings=settings, disable_plugins=disabled), by
    )
    remember_screener(task.rules, screener)
    partial, report = _screen_archive(
        task, BacktestPartial(), files, encoding, progress, dask=dask, jobs=jobs, partition=partition
    )
    order = sorted(partial.periods, key=lambda p: (p == UNKNOWN_PERIOD, p))
    periods = [_period(p, partial.periods[p]) for p in order]
    total = PeriodPartial()
    for counts in partial.periods.values():
        total.merge(counts)
    return BacktestResult(
        by=by,
        label=label,
        ruleset=screener.ruleset.digest,
        records=total.records,
        archive=report,
        periods=periods,
        total=_period("total", total),
        rule_ids=[rule for rule, _ in sorted(total.rules.items(), key=lambda item: (-item[1], item[0]))],
    )


def _period(name: str, counts: PeriodPartial) -> PeriodCounts:
    return PeriodCounts(
        period=name,
        records=counts.records,
        alerts=sum(counts.states[p] for p in ("P1", "P2", "P3", "P4")),
        undecided=counts.undecided,
        by_priority={state: counts.states[state] for state in STATES},
        rules=dict(sorted(counts.rules.items())),
    )
