"""A week at one village through the command line only, on SQLite and PostgreSQL.

Repeats at one site, lat/lon neighbours, the same file twice, a close then a new report,
overdue escalation run twice, and four processes ingesting into one database at once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from .conftest import PACKS
from .helpers import report

LAT, LON = 36.60482, 116.937009
METRE = 1 / 111_195  # degrees of latitude in a metre


def write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def command(db: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "riskscreen", *args, "--db", db]


def run(db: str, *args: str) -> tuple[int, Any]:
    done = subprocess.run(command(db, *args), capture_output=True, text=True, encoding="utf-8", check=False)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout) if "json" in args else done.stdout


def track(db: str, path: Path, now: str) -> dict[str, Any]:
    code, summary = run(
        db, "track", str(path), "--no-builtin", "--rules", str(PACKS), "--now", now, "--format", "json"
    )
    assert code == (1 if summary["errors"] else 0)
    return dict(summary)


def cases(db: str, *filters: str, now: str = "2026-11-08T09:00+08:00") -> list[dict[str, Any]]:
    return list(run(db, "cases", "list", "--format", "json", "--now", now, *filters)[1]["cases"])


def test_a_week_at_one_village(tmp_path: Path, db_url: str) -> None:
    bad = report("bad-1", "2026-11-02T09:00")
    bad["location"]["lat"] = 123.0  # out of range: an error record
    week = write(
        tmp_path / "week.jsonl",
        [
            report("d1", "2026-11-02T09:00", address="东村3号"),
            report("d2", "2026-11-03T09:00", address="东村 3号"),
            report("d3", "2026-11-04T09:00", address="东村三号"),
            report("g1", "2026-11-02T10:00", address=None, grid_id=None, lat=LAT, lon=LON),
            report("g2", "2026-11-02T11:00", address=None, grid_id=None, lat=LAT + 30 * METRE, lon=LON),
            report("g3", "2026-11-02T12:00", address=None, grid_id=None, lat=LAT + 90 * METRE, lon=LON),
            report("quiet", "2026-11-02T13:00", address="东村9号", danger=0),
            bad,
        ],
    )
    first = track(db_url, week, "2026-11-05T09:00+08:00")
    assert {k: first[k] for k in ("screened", "merged", "reopened", "new", "errors", "lifted")} == {
        "screened": 7,
        "merged": 3,
        "reopened": 0,
        "new": 3,
        "errors": 1,
        "lifted": 1,
    }
    kept = run(db_url, "cases", "list", "--unscreened", "--format", "json")[1]
    assert [r["observation_id"] for r in kept["unscreened"]] == ["bad-1"]
    assert kept["unscreened"][0]["error"].startswith("location.lat")
    again = track(db_url, week, "2026-11-05T10:00+08:00")
    assert (again["screened"], again["new"], again["merged"], again["skipped"]) == (0, 0, 0, 8)

    found = {tuple(c["observation_ids"]): c for c in cases(db_url)}
    assert set(found) == {("d1", "d2", "d3"), ("g1", "g2"), ("g3",)}
    repeated = found[("d1", "d2", "d3")]
    assert (repeated["reports"], repeated["priority"], repeated["status"]) == (3, "P2", "open")
    neighbours = found[("g1", "g2")]
    assert neighbours["site"].startswith("geo:")

    # close the neighbours' case, then a new report there reopens it
    _, closed = run(
        db_url, "cases", "close", neighbours["id"], "--disposition", "confirmed", "--note", "已整改",
        "--by", "张三", "--now", "2026-11-05T12:00+08:00", "--format", "json",
    )  # fmt: skip
    assert (closed["status"], closed["disposition"]) == ("closed", "confirmed")
    refused = subprocess.run(
        command(db_url, "cases", "close", neighbours["id"], "--disposition", "confirmed"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2
    assert f"case {neighbours['id']} is already closed" in refused.stderr
    late = write(
        tmp_path / "late.jsonl",
        [report("g4", "2026-11-06T09:00", address=None, grid_id=None, lat=LAT + 10 * METRE, lon=LON)],
    )
    reopened = track(db_url, late, "2026-11-06T10:00+08:00")
    assert (reopened["reopened"], reopened["new"]) == (1, 0)
    assert [c["id"] for c in cases(db_url, "--status", "reopened")] == [neighbours["id"]]

    # P3 deadlines are 24 h after each report: by 11-08 every open case is overdue once
    overdue = {c["id"] for c in cases(db_url, "--overdue", now="2026-11-08T09:00+08:00")}
    assert overdue == {c["id"] for c in found.values()}
    _, escalated = run(db_url, "cases", "escalate", "--now", "2026-11-08T09:00+08:00", "--format", "json")
    assert escalated["count"] == 3
    assert {c["escalate_to"] for c in escalated["escalated"]} == {"district"}
    _, twice = run(db_url, "cases", "escalate", "--now", "2026-11-08T09:00+08:00", "--format", "json")
    assert twice["count"] == 0
    assert cases(db_url, "--overdue", now="2026-11-08T09:00+08:00") == []
    assert {c["escalate_to"] for c in cases(db_url)} == {"district"}
    shown = run(db_url, "cases", "show", repeated["id"], "--format", "json")[1]
    assert [r["observation_id"] for r in shown["reports"]] == ["d1", "d2", "d3"]
    assert shown["reports"][0]["findings"][0]["rule_id"] == "SITE-001"
    assert [e["what"] for e in shown["case"]["log"]] == ["opened", "merged", "merged", "lifted", "escalated"]


def test_four_processes_ingesting_at_once_lose_nothing_and_open_no_duplicate(
    tmp_path: Path, db_url: str
) -> None:
    sites = [f"南村{n}号" for n in range(1, 11)]
    shared = [report(f"s-{n}", "2026-11-02T08:00", address=a) for n, a in enumerate(sites)]
    files = []
    for p in range(4):
        own = [
            report(f"p{p}-{i}", f"2026-11-0{2 + i % 5}T{10 + p}:{i:02d}", address=sites[i % 10])
            for i in range(40)
        ]
        # every process also ingests the shared reports, in its own order
        records = own + shared[p:] + shared[:p]
        files.append(write(tmp_path / f"part{p}.jsonl", records))
    env = {**os.environ, "RISKSCREEN_CACHE": "off"}
    processes = [
        subprocess.Popen(
            command(
                db_url,
                "track",
                str(f),
                "--no-builtin",
                "--rules",
                str(PACKS),
                "--format",
                "json",
                "--now",
                "2026-11-08T09:00+08:00",
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for f in files
    ]
    summaries = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        summaries.append(json.loads(out))
    assert sum(s["screened"] for s in summaries) == 4 * 40 + 10
    assert sum(s["skipped"] for s in summaries) == 3 * 10
    assert sum(s["new"] for s in summaries) == 10
    found = cases(db_url)
    assert len(found) == 10
    assert sorted(c["reports"] for c in found) == [17] * 10
    ids = [i for c in found for i in c["observation_ids"]]
    assert len(ids) == len(set(ids)) == 170


def test_track_takes_the_site_radius_from_the_command_line(tmp_path: Path) -> None:
    # two reports 80 m apart: two sites at the default 50 m, one site at --site-radius-m 100
    records = [
        report("r-a", "2026-11-02T09:00", address=None, grid_id=None, lat=LAT, lon=LON),
        report("r-b", "2026-11-02T10:00", address=None, grid_id=None, lat=LAT + 80 * METRE, lon=LON),
    ]
    path = write(tmp_path / "two.jsonl", records)
    base = ("track", str(path), "--no-builtin", "--rules", str(PACKS), "--format", "json")
    _, default = run(f"sqlite:///{tmp_path / 'a.db'}", *base)
    _, wide = run(f"sqlite:///{tmp_path / 'b.db'}", *base, "--site-radius-m", "100")
    assert (default["new"], default["merged"]) == (2, 0)
    assert (wide["new"], wide["merged"]) == (1, 1)
    bad = subprocess.run(
        command(f"sqlite:///{tmp_path / 'c.db'}", *base, "--site-radius-m", "0"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "site_radius_m" in bad.stderr


def test_track_names_each_record_it_could_not_screen(tmp_path: Path) -> None:
    no_time = report("e-1", "2026-11-02T09:00")
    del no_time["reported_at"]
    off_the_map = report("e-2", "2026-11-02T09:00")
    off_the_map["location"]["lat"] = 123.0
    path = write(tmp_path / "mixed.jsonl", [report("ok-1", "2026-11-02T09:00"), no_time, off_the_map])
    base = ("track", str(path), "--no-builtin", "--rules", str(PACKS), "--lang", "en")
    db = f"sqlite:///{tmp_path / 'e.db'}"
    done = subprocess.run(command(db, *base, "--format", "json"), capture_output=True, text=True, check=False)
    assert done.returncode == 1
    summary = json.loads(done.stdout)
    assert summary["errors"] == 2
    assert [(e["index"], e["id"], e["field"]) for e in summary["error_records"]] == [
        (1, "e-1", "reported_at"),
        (2, "e-2", "location.lat"),
    ]
    lines = done.stderr.splitlines()
    assert lines[0].startswith("record 2 (e-1): reported_at: ")
    assert lines[1].startswith("record 3 (e-2): location.lat: ")
    table = subprocess.run(
        command(f"sqlite:///{tmp_path / 't.db'}", *base), capture_output=True, text=True, check=False
    )
    assert table.returncode == 1
    assert table.stderr.splitlines() == lines


def test_track_reads_standard_input_once(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    done = subprocess.run(
        command(db, "track", "-", "-"), input="", capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "-" in done.stderr and not (tmp_path / "s.db").exists()
