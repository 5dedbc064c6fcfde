"""``riskscreen report``, ``rules --stats`` and ``lint --db`` over a real history store (SQLite)."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from riskscreen import Screener
from riskscreen.cli.main import main
from riskscreen.report import WeeklyReport
from riskscreen.report.tables import format_cell, report_tables
from riskscreen.store import Case, Tracker

from .histories import W48, ZONE
from .tables_of import html_tables, plain, xlsx_sheets

SAMPLE = Path(__file__).parents[2] / "examples" / "observations.jsonl"
RULES = Path(__file__).parents[2] / "rules"
#: The PostgreSQL server the store's tests use; this module makes a database of its own there.
PG_ENV = "RISKSCREEN_TEST_PG_URL"
NOW = "2026-12-01T09:00:00+08:00"
WEEK_END = W48 + timedelta(days=7)


def sample_records(count: int) -> list[dict[str, Any]]:
    """The first valid records of the bundled sample, two weeks' worth: W47 and W48, four a day."""
    records = []
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
            datetime.fromisoformat(record["reported_at"])
        except (ValueError, KeyError, TypeError):
            continue
        records.append(record)
    chosen = []
    for i, record in enumerate(records[:count]):
        day = W48 - timedelta(days=7) + timedelta(days=i // 4)
        when = datetime.combine(day.date(), time(8 + 3 * (i % 4)), tzinfo=ZONE)
        moved = dict(record, reported_at=when.isoformat())
        moved.pop("history", None)
        moved.pop("occurred_at", None)
        chosen.append(moved)
    # a repeat report about the first site, in W48
    repeat = dict(chosen[0], id="repeat-1", reported_at=(W48 + timedelta(hours=10)).isoformat())
    return [*chosen, repeat]


def postgres_url() -> str:
    """A database of its own beside the store tests' (they wipe theirs), emptied; or a skip."""
    from sqlalchemy import create_engine, text

    base = os.environ.get(PG_ENV)
    if not base:
        if os.environ.get("RISKSCREEN_REQUIRE_PG") == "1":
            pytest.fail(f"{PG_ENV} is not set but RISKSCREEN_REQUIRE_PG=1: PostgreSQL tests must run")
        pytest.skip(f"PostgreSQL tests need {PG_ENV}=postgresql://USER:PASSWORD@HOST/DB")
    server, _, name = base.rpartition("/")
    url = f"{server}/{name}_report"
    engine = create_engine(
        base.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": f"{name}_report"}
        )
        if exists.first() is None:
            connection.execute(text(f'CREATE DATABASE "{name}_report"'))
    engine.dispose()
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store with two weeks of sample reports; some cases worked on and closed."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'cases.db'}"
    else:
        url = postgres_url()
    records = sample_records(56)
    with Tracker(Screener(), url) as tracker:
        for record in records:
            at = datetime.fromisoformat(record["reported_at"]) + timedelta(minutes=5)
            tracker.ingest([record], now=at)
        cases = tracker.cases(now=WEEK_END)
        for i, case in enumerate(cases):
            assert case.opened_at is not None
            at = case.opened_at + timedelta(days=2)
            if at >= WEEK_END:
                continue
            if i % 3 == 0:
                tracker.update(case.id, status="in_progress", now=at)
            elif i % 3 == 1:
                disposition = "false_alarm" if i % 2 else "confirmed"
                tracker.close_case(case.id, disposition, now=at)  # type: ignore[arg-type]
    return url


def cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def store_cases(url: str) -> list[Case]:
    with Tracker(None, url) as tracker:
        return tracker.cases()


def test_weekly_json_counts_the_cases_the_store_made(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    document = cli_json(
        capsys, "report", "--db", store, "--week", "2026-W48", "--now", NOW, "--format", "json"
    )
    cases = store_cases(store)
    assert cases, "the sample should open cases"
    opened = [c for c in cases if c.opened_at is not None and W48 <= c.opened_at < WEEK_END]
    totals = document["totals"]
    assert totals["new"] == len(opened)
    assert document["previous"]["new"] == len(cases) - len(opened)
    # nothing changed after the week: what is open now was open at its end
    assert totals["in_progress"] == sum(c.status in ("open", "in_progress", "reopened") for c in cases)
    assert totals["merged"] == 1
    assert totals["resolved"] == sum(
        c.status == "closed" and c.closed_at is not None and c.closed_at >= W48 for c in cases
    )
    assert sum(totals["by_priority"].values()) == totals["new"]
    assert sum(row["new"] for row in document["by_village"]) == totals["new"]
    for row in (*document["by_district"], *document["by_category"], totals):
        assert row["in_progress"] == row["open_at_start"] + row["new"] + row["reopened"] - row["resolved"]


def test_html_xlsx_and_json_of_one_week_agree(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["report", "--db", store, "--week", "2026-W48", "--now", NOW]
    report = WeeklyReport.model_validate(cli_json(capsys, *base, "--format", "json"))
    assert main([*base, "-o", str(tmp_path / "week.xlsx")]) == 0
    assert main([*base, "-o", str(tmp_path / "week.html")]) == 0
    assert "2026-W48" in capsys.readouterr().err
    sheets = xlsx_sheets((tmp_path / "week.xlsx").read_bytes())
    shown = html_tables((tmp_path / "week.html").read_text(encoding="utf-8"))
    for table in report_tables(report):
        total = table.total if table.rows else None
        body = table.rows + ([total] if total else [])
        assert plain(sheets[table.title][1:]) == plain([[None if c == "" else c for c in r] for r in body])
        assert shown[table.id][1:] == [
            [format_cell(c, k) for c, k in zip(r, table.kinds, strict=True)] for r in body
        ]
    assert sheets["汇总"][2][:2] == ["新增", report.totals.new]


def test_rule_precision_agrees_between_rules_stats_and_the_report(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    stats = cli_json(capsys, "rules", "--stats", "--db", store, "--format", "json")
    report = cli_json(capsys, "report", "--db", store, "--week", "2026-W49", "--now", NOW, "--format", "json")
    assert stats["rules"] == report["precision"]
    closed = [c for c in store_cases(store) if c.status == "closed"]
    assert sum(r["dispositions"] for r in stats["rules"]) == sum(len(set(c.rule_ids)) for c in closed)
    for row in stats["rules"]:
        if row["precision"] is not None:
            assert row["low"] <= row["precision"] <= row["high"]
            assert row["precision"] == row["confirmed"] / (row["confirmed"] + row["false_alarm"])


def test_lint_warns_about_rules_below_the_precision(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    stats = cli_json(capsys, "rules", "--stats", "--db", store, "--format", "json")
    below = {r["rule_id"] for r in stats["rules"] if r["precision"] is not None and r["precision"] < 0.5}
    main(["lint", "--db", store, "--min-precision", "50%", "--min-dispositions", "1", "--format", "json"])
    problems = json.loads(capsys.readouterr().out)["problems"]
    warned = {p["message"].split(":")[0].removeprefix("rule ") for p in problems if p["code"] == "RS510"}
    # lint points at the linted packs (here the shipped ones); plugins' rules are not among them
    shipped = "\n".join(p.read_text(encoding="utf-8") for p in RULES.glob("*.yaml"))
    in_linted_packs = {r for r in below if f"id: {r}\n" in shipped}
    assert in_linted_packs, "the fixture closes some cases as false alarms"
    assert warned == in_linted_packs
    main(["lint", "--db", store, "--min-dispositions", "1000", "--format", "json"])
    assert not [p for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "RS510"]


def test_an_empty_week_is_a_report_that_says_so(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--db", store, "--week", "2025-W10", "--now", NOW, "--format", "md"]) == 0
    assert "本期（2025-W10）没有案件活动" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--week", "2026-48"], "write it as YYYY-Www, e.g. 2026-W48"),
        (["--week", "2026-W60"], "2026 has weeks 1 to 53"),
        (["--from", "30/11/2026"], "write it as YYYY-MM-DD, e.g. 2026-11-23"),
        (["--from", "2026-11-30", "--to", "2026-11-01"], "ends (2026-11-01) before it starts"),
        (["--week", "2026-W48", "--from", "2026-11-01"], "either --week or --from/--to"),
        (["--week", "2026-W48", "--format", "xlsx"], "give --output FILE"),
        (["--week", "2026-W48", "-o", "week.pdf"], "cannot tell the format"),
    ],
)
def test_usage_errors_say_what_to_write(
    argv: list[str], message: str, store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:  # argparse exits for option values
        code = main(["report", "--db", store, *argv])
        raise SystemExit(code)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_a_store_at_an_older_schema_asks_for_db_upgrade(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.db"
    Tracker.upgrade(f"sqlite:///{old}")  # a new store at the current schema
    with sqlite3.connect(old) as connection:
        connection.execute("DELETE FROM alembic_version")  # as if written before migrations were tracked
    for argv in (["report", "--week", "2026-W48"], ["rules", "--stats"], ["lint"]):
        assert main([*argv, "--db", f"sqlite:///{old}"]) == 2
        assert "riskscreen db upgrade --db" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["report", "--week", "2026-W48"], ["rules", "--stats"], ["lint"]])
def test_a_missing_store_file_is_an_error_not_an_empty_report(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo.db"
    assert main([*argv, "--db", f"sqlite:///{missing}"]) == 2
    assert f"no history store at {missing}" in capsys.readouterr().err
    assert not missing.exists()


def test_the_default_period_is_the_last_full_week(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    # Tuesday of W49: the report a Monday meeting reads covers W48
    document = cli_json(capsys, "report", "--db", store, "--now", NOW, "--format", "json")
    assert document["period"] == "2026-W48"
    ranged = cli_json(
        capsys, "report", "--db", store, "--from", "2026-11-16", "--now", NOW, "--format", "json"
    )
    assert ranged["period"] == "2026-11-16..2026-12-01"
    week = cli_json(capsys, "report", "--db", store, "--week", "2026-W48", "--now", NOW, "--format", "json")
    assert ranged["totals"]["new"] >= week["totals"]["new"] > 0


def test_report_and_rule_stats_speak_chinese_by_default(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RISKSCREEN_LANG", "zh")
    assert main(["rules", "--stats", "--db", store, "--now", NOW]) == 0
    table = capsys.readouterr().out
    assert "规则准确率" in table and "准确率 = 属实 ÷（属实 + 误报）" in table
    assert "precision" not in table and "100.…" not in table  # a percentage is never cut
    assert main(["report", "--db", store, "--week", "2026-W48", "--format", "xlsx"]) == 2
    assert "xlsx 是二进制文件" in capsys.readouterr().err
    assert main(["report", "--db", f"sqlite:///{tmp_path / 'typo.db'}", "--week", "2026-W48"]) == 2
    assert "处没有历史库" in capsys.readouterr().err
    written = tmp_path / "w48.html"
    assert main(["report", "--db", store, "--week", "2026-W48", "--now", NOW, "-o", str(written)]) == 0
    assert "（新增" in capsys.readouterr().err


@pytest.mark.parametrize("where", ["missing/week.html", "."])
def test_an_output_that_cannot_be_written_is_a_usage_error_leaving_nothing(
    where: str, store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / where
    argv = ["report", "--db", store, "--week", "2026-W48", "--format", "html", "-o", str(output)]
    assert main(argv) == 2
    assert f"cannot write {output}" in capsys.readouterr().err
    assert not list(tmp_path.parent.glob(".*.partial")) and not list(tmp_path.glob(".*.partial"))
