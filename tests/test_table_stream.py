"""``riskscreen screen``'s table from results spilled to disk is the table of the batch in memory.

The reference is the batch API (:class:`~riskscreen.batch.BatchCollector`, as
``screen_many``) printed by :func:`~riskscreen.cli.table.write_table`; the spilled side runs
with sorted runs of a few items, so every section is many runs long and merged.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from riskscreen import Screener
from riskscreen.batch import BatchCollector
from riskscreen.cli.batchbooks import shown_from
from riskscreen.cli.main import main
from riskscreen.cli.table import write_table
from riskscreen.cli.tablestream import TableOutput
from riskscreen.models import ScreenResult
from riskscreen.readers import read_records
from tests.helpers import awkward_sample

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "observations.jsonl"
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(scope="module")
def awkward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample shuffled, with repeated ids and an unreadable record (see ``awkward_sample``)."""
    return awkward_sample(tmp_path_factory.mktemp("table"), seed=11)


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener()


@pytest.fixture(scope="module")
def results(screener: Screener, awkward: Path) -> list[ScreenResult]:
    return list(screener.iter_screen(read_records(str(awkward), None, "utf-8-sig")))


def _console(out: io.StringIO, width: int) -> Console:
    return Console(file=out, width=width, color_system=None, highlight=False)


def _in_memory(
    screener: Screener, results: list[ScreenResult], width: int, limit: int | None, least: str | None
) -> str:
    collector = BatchCollector()
    for result in results:
        collector.add(result)
    batch = collector.result()
    alerts = [a for a in batch.alerts if shown_from(least, a.priority, a.could_be)]  # type: ignore[arg-type]
    undecided = [u for u in batch.undecided if shown_from(least, None, u.could_be)]  # type: ignore[arg-type]
    out = io.StringIO()
    write_table(
        _console(out, width),
        alerts,
        batch.errors,
        batch.summary,
        batch.warnings,
        undecided,
        screener.settings,
        now=NOW,
        limit=limit,
    )
    return out.getvalue()


def _spilled(
    screener: Screener,
    results: list[ScreenResult],
    width: int,
    limit: int | None,
    least: str | None,
    run_size: int,
) -> str:
    output = TableOutput(screener.settings, min_priority=least, run_size=run_size)  # type: ignore[arg-type]
    for result in results:
        output.add(result)
    out = io.StringIO()
    summary = output.write(_console(out, width), now=NOW, limit=limit)
    assert summary == output.summary
    return out.getvalue()


@settings(max_examples=12, deadline=None)
@given(
    width=st.sampled_from([40, 80, 100, 150]),
    limit=st.one_of(st.none(), st.integers(1, 12), st.just(10_000)),
    least=st.sampled_from([None, "P1", "P2", "P3"]),
    run_size=st.integers(1, 40),
)
def test_the_spilled_table_is_the_table_in_memory(
    screener: Screener,
    results: list[ScreenResult],
    width: int,
    limit: int | None,
    least: str | None,
    run_size: int,
) -> None:
    spilled = _spilled(screener, results, width, limit, least, run_size)
    assert spilled == _in_memory(screener, results, width, limit, least)


def test_every_section_is_there(
    screener: Screener, results: list[ScreenResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RISKSCREEN_LANG", raising=False)  # the table's default language
    text = _spilled(screener, results, 80, 5, None, 3)
    for title in ("风险预警", "另有", "待补充证据", "无法筛查的记录", "汇总"):
        assert title in text
    seen: dict[str, int] = {}
    repeated = [
        r for r in results if r.observation_id and seen.setdefault(r.observation_id, r.index) != r.index
    ]
    assert repeated  # the file repeats ids on purpose: each repeat is warned about, by record
    for result in repeated:
        assert f"注意：第 {result.index + 1} 条（{result.observation_id}）" in text


def test_the_screen_command_prints_the_table_in_memory(
    screener: Screener,
    results: list[ScreenResult],
    awkward: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RISKSCREEN_SORT_RUN", "7")  # dozens of runs per section
    monkeypatch.setenv("COLUMNS", "90")
    arguments = [str(awkward), "--now", "2026-11-30T09:00+08:00", "--limit", "30", "--min-priority", "P3"]
    assert main(["screen", *arguments]) == 1  # the awkward file has error records
    assert capsys.readouterr().out == _in_memory(screener, results, 90, 30, "P3")
