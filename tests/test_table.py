"""The table for people: counts first, P1 on top and repeated at the end, titles whole or
shortened with …, full dates with 逾期, errors numbered from 1 with their whole message."""

from __future__ import annotations

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console

from riskscreen.cli.main import main
from riskscreen.cli.table import write_table
from riskscreen.models import BatchResult
from riskscreen.readers import read_records
from tests.helpers import shipped_screener

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the table in its default language (the suite runs in English)."""
    monkeypatch.delenv("RISKSCREEN_LANG", raising=False)


@pytest.fixture(scope="module")
def batch() -> BatchResult:
    return shipped_screener().screen_many(read_records("examples/observations.jsonl"))


def render(batch: BatchResult, width: int, limit: int | None = None) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, highlight=False)
    write_table(
        console,
        batch.alerts,
        batch.errors,
        batch.summary,
        batch.warnings,
        batch.undecided,
        now=NOW,
        limit=limit,
    )
    return out.getvalue()


def cells(line: str) -> list[str]:
    """The cells of a table row; alert rows without the score column (narrow) get an empty one."""
    found = [c.strip() for c in line.strip("│┃").split("│")]
    if line.startswith("│P") and len(found) == 5:
        found.insert(1, "")
    return found


@pytest.mark.parametrize("width", [80, 120])
def test_counts_come_first_and_p1_is_repeated_at_the_end(batch: BatchResult, width: int) -> None:
    text = render(batch, width, limit=5)
    lines = text.splitlines()
    by = batch.summary.by_priority
    assert lines[0].startswith(
        f"共 {batch.summary.records} 条记录：预警 {batch.summary.alerts}（P1 {by['P1']}，"
    )
    assert f"待补充证据 {batch.summary.undecided}" in lines[1]
    rows = [cells(line) for line in lines if line.startswith("│P")]
    assert len(rows) == 5 and all(row[0].startswith("P1") for row in rows)
    assert f"另有 {len(batch.alerts) - 5} 条预警未显示（--limit 5" in text
    closing = text[text.rindex("汇总") :]
    first_p1 = [a.observation_id for a in batch.alerts if a.priority == "P1"][:10]
    assert all(observation_id in closing for observation_id in first_p1)
    assert all(len(line) <= width for line in lines)


@pytest.mark.parametrize("width", [80, 120])
def test_titles_are_whole_or_shortened_with_an_ellipsis(batch: BatchResult, width: int) -> None:
    text = render(batch, width)
    by_id = {a.observation_id: a for a in batch.alerts}
    rows = [cells(line) for line in text.splitlines() if line.startswith("│P")]
    assert len(rows) == len(batch.alerts)
    for row in rows:
        alert = by_id[row[2]]
        title = alert.findings[0].title
        shown = re.sub(r" 等\d+项$", "", row[5])
        if shown.endswith("…"):
            assert title.startswith(shown[:-1].rstrip()) or shown[:-1].startswith(title)
        else:
            assert shown.startswith(title)


def test_deadlines_have_a_full_date_and_an_overdue_mark(batch: BatchResult) -> None:
    text = render(batch, 120)
    for row in (cells(line) for line in text.splitlines() if line.startswith("│P")):
        alert = next(a for a in batch.alerts if a.observation_id == row[2])
        assert row[4].startswith(alert.respond_by.strftime("%Y-%m-%d %H:%M"))
        assert row[4].endswith("逾期") == (alert.respond_by < NOW)


def test_errors_are_numbered_as_records_are_counted_with_whole_messages(batch: BatchResult) -> None:
    text = render(batch, 80)
    section = text[text.index("无法筛查的记录") : text.index("汇总")]
    section = section.split("注意")[0]
    joined = re.sub(
        r"\s+", "", "".join(cells(line)[3] for line in section.splitlines() if line.startswith("│"))
    )
    for error in batch.errors:
        assert re.search(rf"│\s+{error.index + 1} │", section)
        assert re.sub(r"\s+", "", error.message) in joined


def test_the_screen_command_takes_limit_and_now(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["screen", "examples/observations.jsonl", "--limit", "3", "--now", "2026-01-01T00:00+08:00"]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "逾期" not in out.split("汇总")[0].split("待补充证据 (")[0]


def test_the_table_speaks_the_message_language(batch: BatchResult, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISKSCREEN_LANG", "en")
    text = render(batch, 80, limit=3)
    summary = batch.summary
    assert text.startswith(f"{summary.records} records: {summary.alerts} alerts (P1 ")
    english = ("prioritized alerts", "respond by", "overdue", "records with errors", "summary", "P1 first")
    for words in english:
        assert words in text
    assert "more alerts not shown (--limit 3" in text
    # the words of the interface; the data (titles, places, band names) stay as written
    interface = ("共", "预警 (", "逾期", "待补充证据 (", "无法筛查", "汇总", "注意：", "另有")
    assert not [word for word in interface if word in text]
