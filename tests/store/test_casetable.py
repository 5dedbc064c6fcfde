"""The case table people read in a terminal: what they act on is never cut."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from riskscreen.cli.casetable import _WHOLE_COLUMNS, _fit, print_cases
from riskscreen.store import Case

from .conftest import PACKS
from .helpers import report

CST = timezone(timedelta(hours=8))


def test_an_80_column_terminal_shows_whole_case_ids_priorities_and_deadlines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RISKSCREEN_LANG", "zh")  # Chinese headers are the widest
    due = datetime(2026, 11, 30, 1, 0, tzinfo=CST)
    cases = [
        Case(
            id=f"C-00027{n}",
            site="g:x|1号",
            category="production_safety",
            village="河湾村",
            district="南管区",
            status="in_progress",
            priority="P1",
            escalate_to="subdistrict",
            respond_by=due,
            overdue=True,
            reports=12,
        )
        for n in range(3)
    ]
    out = io.StringIO()
    print_cases(Console(file=out, width=80, color_system=None), cases, None)
    lines = out.getvalue().splitlines()
    rows = [line for line in lines if line.startswith("C-")]
    assert len(rows) == 3
    for n, row in enumerate(rows):
        assert row.startswith(f"C-00027{n}  ")
        assert "P1" in row and " 12 " in row
        assert row.rstrip().endswith("2026-11-30 01:00 逾期")
    assert all(cell_len(line) <= 80 for line in lines)


@given(st.lists(st.integers(min_value=1, max_value=40), min_size=8, max_size=8), st.integers(20, 200))
def test_fitting_keeps_the_whole_columns_and_fits_when_the_others_can_give(
    natural: list[int], width: int
) -> None:
    fitted = _fit(natural, width)
    assert all(fitted[n] == natural[n] for n in _WHOLE_COLUMNS)
    assert all(min(natural[n], 4) <= fitted[n] <= natural[n] for n in range(8))
    room = sum(natural[n] if n in _WHOLE_COLUMNS else min(natural[n], 4) for n in range(8)) + 14
    if sum(natural) + 14 <= width:
        assert fitted == natural
    elif room <= width:
        assert sum(fitted) + 14 == width


def test_text_people_typed_is_shown_as_written_not_read_as_markup(tmp_path: Path) -> None:
    # a note, a name or an id with [/b] in it made rich raise MarkupError (a traceback)
    pack = (PACKS / "site_hazard.yaml").read_text(encoding="utf-8")
    (tmp_path / "pack.yaml").write_text(
        pack.replace("title: 一般隐患", "title: '[/b]一般隐患'"), encoding="utf-8"
    )
    broken = {"id": "[/i]e1", "category": "site_hazard", "location": {"village": "[/u]东村"}}
    records = [report("[/b]r1", "2026-11-02T09:00"), broken]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'm.db'}"
    rules = ("--no-builtin", "--rules", str(tmp_path / "pack.yaml"))

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "riskscreen", *args, "--db", db],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
        return done.stdout

    run("track", str(tmp_path / "in.jsonl"), *rules, "--by", "[/x]")
    run("cases", "update", "C-000001", "--note", "[/bold] 已通知 [red]住户", "--by", "[/x]王")
    assert "[/bold] 已通知 [red]住户" in run("cases", "show", "C-000001")
    assert "[/i]e1" in run("cases", "list", "--unscreened")
    assert "[/b]一般隐患" in run("rules", "--stats", *rules)
