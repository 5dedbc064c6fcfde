"""The ``riskscreen`` command line: exit codes, the output formats and their contracts.

Most tests run ``main([...])`` in-process with a small pack written into ``tmp_path`` and
``--no-builtin``, so they do not depend on the shipped packs; the expected scores,
priorities and deadlines are worked out from the scoring rules in docs/scoring.md:
combined score = s₁ + (100 − s₁) × 0.5 × (1 − Π over the others (1 − sᵢ/100)); P1 ≥ 80 >
P2 ≥ 60 > P3 ≥ 40 > P4; a critical finding lifts the alert to P1; respond_by = reported_at
+ the shortest of the band's deadline (P1 1h, P2 4h, P3 24h, P4 120h) and every respond_within.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from riskscreen.cli.main import main
from riskscreen.durations import parse_duration

DATA = Path(__file__).parent / "data" / "cli"
CST = timezone(timedelta(hours=8))

QUARRY_PACK = """\
pack: quarry_watch
version: 2.1.0
title: 采石场巡查
applies_to: [quarry]
categories:
  quarry:
    attrs:
      has_permit: bool
      zone: string
      volume_m3: float
      blasting: bool
      equipment: list[string]
lists:
  protected_zones: [禁采区, 水源保护区]
rules:
  - id: Q-001
    title: 无证采石
    when: not attrs.has_permit
    severity: high
    score: 70
    message: "{location.village}无证采石"
    action: 责令停工，通知自然资源部门
    escalate_to: department
    respond_within: 2h
    tags: [permit]
  - id: Q-002
    title: 保护区内采石
    when: attrs.zone in protected_zones
    severity: medium
    score: 60
    message: "{attrs.zone}内采石"
    action: 立即制止
    escalate_to: district
    respond_within: 6h
    tags: [zone]
  - id: Q-003
    title: 采石量大
    when: attrs.volume_m3 > 1000
    severity: medium
    score: 50
    message: "采石{attrs.volume_m3}立方米"
    tags: [volume]
  - id: Q-004
    title: 违规爆破
    when: attrs.blasting
    severity: critical
    score: 30
    message: 违规爆破
    tags: [blasting]
"""

BROKEN_PACK = """\
pack: broken
version: 1.0.0
applies_to: [quarry]
categories:
  quarry:
    attrs:
      depth_m: float
rules:
  - id: B-001
    title: 拼错的属性
    when: attrs.depht_m > 10
    severity: high
  - id: B-002
    title: 未知的严重度
    when: attrs.depth_m > 5
    severity: huge
  - id: B-003
    title: 语法错误
    when: attrs.depth_m >
    severity: low
  - id: B-004
    title: 拼错的键
    when: attrs.depth_m > 1
    serverity: low
"""

ALERT_KEYS = {
    "observation_id",
    "priority",
    "band",
    "color",
    "score",
    "escalate_to",
    "respond_by",
    "findings",
    "insufficient",
    "tags",
    "provenance",
}
FINDING_KEYS = {"rule_id", "pack", "severity", "score", "title", "message", "action", "source", "values"}


# -- helpers ------------------------------------------------------------------------------


def obs(
    oid: str, reported_at: str = "2026-07-01T09:00:00+08:00", village: str | None = "东村", **attrs: Any
) -> dict[str, Any]:
    record: dict[str, Any] = {"id": oid, "category": "quarry", "reported_at": reported_at, "attrs": attrs}
    if village is not None:
        record["location"] = {"district": "北管区", "village": village}
    return record


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    path = tmp_path / "quarry.yaml"
    path.write_text(QUARRY_PACK, encoding="utf-8")
    return path


@pytest.fixture
def write_input(tmp_path: Path) -> Any:
    def write(records: list[dict[str, Any]], name: str = "obs.json") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        return path

    return write


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def screen_json(
    capsys: pytest.CaptureFixture[str], pack: Path, *argv: str | Path
) -> tuple[int, dict[str, Any], str]:
    code, out, err = run(capsys, "screen", "--format", "json", "--no-builtin", "--rules", pack, *argv)
    return code, json.loads(out), err


def rule_line(rule_id: str) -> int:
    """The line of ``- id: RULE`` in QUARRY_PACK (1-based)."""
    return QUARRY_PACK.splitlines().index(f"  - id: {rule_id}") + 1


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def combined(*scores: float) -> float:
    """The documented combination with the default corroboration of 0.5."""
    strongest, *others = sorted(scores, reverse=True)
    support = 1 - math.prod(1 - s / 100 for s in others)
    return round(strongest + (100 - strongest) * 0.5 * support, 1)


# -- screen --format json -----------------------------------------------------------------


def test_json_output_is_the_documented_object(
    capsys: pytest.CaptureFixture[str], pack: Path, write_input: Any
) -> None:
    records = [
        obs("q-1", has_permit=False),
        obs(
            "q-2",
            reported_at="2026-07-01T10:00:00+08:00",
            village="西村",
            has_permit=True,
            zone="禁采区",
            volume_m3=2000,
        ),
        obs("q-3", has_permit=True),
    ]
    code, document, _ = screen_json(capsys, pack, write_input(records))
    assert code == 0
    assert set(document) == {"alerts", "undecided", "errors", "summary"}
    # Q-004 (critical) reads attrs.blasting, which no record gives: every record could be P1
    assert document["summary"] == {
        "records": 3,
        "alerts": 2,
        "no_alert": 1,
        "errors": 0,
        "undecided": 3,
        "by_priority": {"P1": 0, "P2": 2, "P3": 0, "P4": 0},
    }
    assert document["errors"] == []
    [undecided] = document["undecided"]
    assert set(undecided) == {"observation_id", "could_be", "insufficient", "warnings"}
    assert (undecided["observation_id"], undecided["could_be"]) == ("q-3", "P1")
    assert [e["rule_id"] for e in undecided["insufficient"]] == ["Q-002", "Q-003", "Q-004"]
    alerts = {a["observation_id"]: a for a in document["alerts"]}
    # both score 70 (P2): the earlier deadline first
    assert [a["observation_id"] for a in document["alerts"]] == ["q-1", "q-2"]
    for alert in document["alerts"]:
        assert set(alert) >= ALERT_KEYS
        assert {"ruleset", "packs"} <= set(alert["provenance"])
        assert alert["provenance"]["ruleset"].startswith("sha256:")
        assert alert["provenance"]["packs"] == {"quarry_watch": "2.1.0"}
        for finding in alert["findings"]:
            assert set(finding) >= FINDING_KEYS
        for entry in alert["insufficient"]:
            assert set(entry) == {"rule_id", "missing", "severity", "score"}
        assert (alert["could_be"], alert["undecided"], alert["warnings"]) == ("P1", True, [])

    # one finding of score 70 -> 70.0, P2 较大 orange; deadline = reported_at + 2h
    single = alerts["q-1"]
    assert single["score"] == 70.0
    assert (single["priority"], single["band"], single["color"]) == ("P2", "较大", "orange")
    assert single["escalate_to"] == "department"
    assert at(single["respond_by"]) == datetime(2026, 7, 1, 11, 0, tzinfo=CST)
    assert single["tags"] == ["permit"]
    [finding] = single["findings"]
    assert finding["rule_id"] == "Q-001"
    assert finding["pack"] == "quarry_watch"
    assert finding["severity"] == "high"
    assert finding["score"] == 70.0
    assert finding["title"] == "无证采石"
    assert finding["message"] == "东村无证采石"
    assert finding["action"] == "责令停工，通知自然资源部门"
    assert finding["values"] == {"attrs.has_permit": False}
    assert re.fullmatch(rf".*quarry\.yaml:{rule_line('Q-001')}", finding["source"])
    insufficient = {e["rule_id"]: e["missing"] for e in single["insufficient"]}
    assert insufficient == {
        "Q-002": ["attrs.zone"],
        "Q-003": ["attrs.volume_m3"],
        "Q-004": ["attrs.blasting"],
    }

    # findings 60 and 50 -> 60 + 40 × 0.5 × 0.5 = 70.0 -> P2 较大 orange (not 80 by noisy-OR)
    double = alerts["q-2"]
    assert double["score"] == combined(60, 50) == 70.0
    assert (double["priority"], double["band"], double["color"]) == ("P2", "较大", "orange")
    assert [f["rule_id"] for f in double["findings"]] == ["Q-002", "Q-003"]  # highest score first
    assert double["escalate_to"] == "district"  # highest of district and village
    # Q-002 allows 6h, but a P2 alert is due within the band's 4h: a rule never lengthens it
    assert at(double["respond_by"]) == datetime(2026, 7, 1, 14, 0, tzinfo=CST)
    assert double["tags"] == ["volume", "zone"]
    assert double["findings"][0]["message"] == "禁采区内采石"
    assert double["findings"][0]["values"] == {"attrs.zone": "禁采区"}
    assert double["findings"][1]["values"] == {"attrs.volume_m3": 2000}
    assert double["findings"][1]["action"] is None


def test_alerts_are_sorted_by_priority_score_deadline_and_id(
    capsys: pytest.CaptureFixture[str], pack: Path, write_input: Any
) -> None:
    records = [
        obs("s-f", has_permit=True, volume_m3=5000),  # 50 -> P3
        obs("s-a", has_permit=False),  # 70, P2, due 11:00
        obs("s-b", reported_at="2026-07-01T08:00:00+08:00", has_permit=False),  # 70, P2, due 10:00
        obs("s-g", has_permit=True, blasting=True),  # critical 30 -> P1 with score 30
        obs("s-d", has_permit=True, zone="水源保护区", volume_m3=1500),  # 60+50 -> 70, P2, due 13:00
        obs("s-0", reported_at="2026-07-01T08:00:00+08:00", has_permit=False),  # ties s-b but for the id
        obs("s-e", has_permit=False, zone="禁采区"),  # 70+60 -> 79, P2
        obs("s-n", has_permit=True),  # no alert
    ]
    code, document, _ = screen_json(capsys, pack, write_input(records))
    assert code == 0
    alerts = document["alerts"]
    assert [a["observation_id"] for a in alerts] == ["s-g", "s-e", "s-0", "s-b", "s-a", "s-d", "s-f"]
    assert [a["priority"] for a in alerts] == ["P1", "P2", "P2", "P2", "P2", "P2", "P3"]
    assert [a["score"] for a in alerts] == [30.0, combined(70, 60), 70.0, 70.0, 70.0, 70.0, 50.0]
    assert alerts[1]["score"] == 79.0
    assert alerts[-1]["band"] == "一般"
    assert alerts[-1]["color"] == "yellow"
    summary = document["summary"]
    # only s-g gave attrs.blasting (the critical Q-004): every other record could be P1
    assert summary == {
        "records": 8,
        "alerts": 7,
        "no_alert": 1,
        "errors": 0,
        "undecided": 7,
        "by_priority": {"P1": 1, "P2": 5, "P3": 1, "P4": 0},
    }
    assert summary["alerts"] + summary["no_alert"] + summary["errors"] == summary["records"]
    assert [a["undecided"] for a in alerts] == [False, True, True, True, True, True, True]


def test_same_input_gives_the_same_output(
    capsys: pytest.CaptureFixture[str], pack: Path, write_input: Any
) -> None:
    path = write_input(
        [obs("x", has_permit=False), obs("y", has_permit=True, zone="禁采区"), obs("z", has_permit=True)]
    )
    argv = ("screen", "--format", "json", "--no-builtin", "--rules", pack, path)
    first = run(capsys, *argv)
    second = run(capsys, *argv)
    assert first == second


def test_respond_by_is_an_instant_after_reported_at_in_any_offset(
    capsys: pytest.CaptureFixture[str], pack: Path, write_input: Any
) -> None:
    code, document, _ = screen_json(
        capsys, pack, write_input([obs("utc", "2026-07-01T01:00:00Z", has_permit=False)])
    )
    assert code == 0
    [alert] = document["alerts"]
    respond_by = at(alert["respond_by"])
    assert respond_by == datetime(2026, 7, 1, 3, 0, tzinfo=timezone.utc)
    assert respond_by.utcoffset() == timedelta(hours=8)  # written in the local zone, Asia/Shanghai


def test_some_errors_exit_1_and_every_record_is_counted(
    capsys: pytest.CaptureFixture[str], pack: Path, write_input: Any
) -> None:
    records: list[Any] = [
        obs("ok-1", has_permit=False),
        obs("bad-time", "2026-07-01T09:00:00", has_permit=False),
        obs("ok-2", has_permit=True),
        {
            "id": "bad-lat",
            "category": "quarry",
            "reported_at": "2026-07-01T09:00:00+08:00",
            "location": {"lat": 123},
        },
        obs("bad-type", has_permit=True, volume_m3="很多"),
    ]
    code, document, _ = screen_json(capsys, pack, write_input(records))
    assert code == 1
    summary = document["summary"]
    assert summary == {
        "records": 5,
        "alerts": 1,
        "no_alert": 1,
        "errors": 3,
        "undecided": 2,
        "by_priority": {"P1": 0, "P2": 1, "P3": 0, "P4": 0},
    }
    assert summary["alerts"] + summary["no_alert"] + summary["errors"] == summary["records"]
    errors = {e["id"]: e for e in document["errors"]}
    assert set(errors) == {"bad-time", "bad-lat", "bad-type"}
    for error in document["errors"]:
        assert set(error) == {"index", "id", "field", "message"}
        assert error["message"]
    assert (errors["bad-time"]["index"], errors["bad-time"]["field"]) == (1, "reported_at")
    assert "timezone" in errors["bad-time"]["message"]
    assert (errors["bad-lat"]["index"], errors["bad-lat"]["field"]) == (3, "location.lat")
    assert (errors["bad-type"]["index"], errors["bad-type"]["field"]) == (4, "attrs.volume_m3")


def test_empty_batch_exits_0_with_zero_counts(
    capsys: pytest.CaptureFixture[str], pack: Path, write_input: Any
) -> None:
    code, document, _ = screen_json(capsys, pack, write_input([]))
    assert code == 0
    assert document == {
        "alerts": [],
        "undecided": [],
        "errors": [],
        "summary": {
            "records": 0,
            "alerts": 0,
            "no_alert": 0,
            "errors": 0,
            "undecided": 0,
            "by_priority": {"P1": 0, "P2": 0, "P3": 0, "P4": 0},
        },
    }


def test_record_indexes_run_across_files(
    capsys: pytest.CaptureFixture[str], pack: Path, write_input: Any
) -> None:
    first = write_input([obs("f1-a", has_permit=True), obs("f1-b", has_permit=True)], "one.json")
    second = write_input([obs("f2-a", "2026-07-01T09:00:00", has_permit=True)], "two.json")
    code, document, _ = screen_json(capsys, pack, first, second)
    assert code == 1
    assert document["errors"][0]["index"] == 2
    assert document["errors"][0]["id"] == "f2-a"
    assert document["summary"]["records"] == 3


def test_an_unreadable_line_among_several_files_names_its_file(
    capsys: pytest.CaptureFixture[str], pack: Path, write_input: Any, tmp_path: Path
) -> None:
    first = write_input([obs("f1-a", has_permit=True)], "one.json")
    broken = tmp_path / "two.jsonl"
    broken.write_text('{"id": "x"\n[1]\n', encoding="utf-8")
    code, document, _ = screen_json(capsys, pack, first, broken)
    assert code == 1
    messages = [e["message"] for e in document["errors"]]
    assert messages[0].startswith(f"{broken}: line 1: invalid JSON")
    assert messages[1] == f"{broken}: line 2: expected a JSON object"
    # one file: its line numbers need no file name
    code, document, _ = screen_json(capsys, pack, broken)
    assert [e["message"] for e in document["errors"]][1] == "line 2: expected a JSON object"


def test_unreadable_lines_are_reported_in_the_message_language(
    capsys: pytest.CaptureFixture[str], pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RISKSCREEN_LANG", "en")  # restored after --lang zh changed it
    broken = tmp_path / "broken.jsonl"
    broken.write_text("[1]\n", encoding="utf-8")
    code, document, _ = screen_json(capsys, pack, "--lang", "zh", broken)
    assert code == 1
    assert document["errors"][0]["message"] == "第 1 行：应为一个 JSON 对象 {...}"


# -- naive times and --timezone -----------------------------------------------------------


def test_naive_times_are_rejected_by_default(
    capsys: pytest.CaptureFixture[str], pack: Path, write_input: Any
) -> None:
    code, document, _ = screen_json(
        capsys, pack, write_input([obs("n-1", "2026-07-01T09:00:00", has_permit=False)])
    )
    assert code == 1
    assert document["alerts"] == []
    assert document["errors"][0]["index"] == 0
    assert document["errors"][0]["id"] == "n-1"
    assert document["errors"][0]["field"] == "reported_at"


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Asia/Shanghai", datetime(2026, 7, 1, 11, 0, tzinfo=CST)),
        ("UTC", datetime(2026, 7, 1, 11, 0, tzinfo=timezone.utc)),
    ],
)
def test_naive_times_are_read_in_the_given_timezone(
    capsys: pytest.CaptureFixture[str], pack: Path, write_input: Any, zone: str, expected: datetime
) -> None:
    path = write_input([obs("n-1", "2026-07-01T09:00:00", has_permit=False)])
    code, document, _ = screen_json(capsys, pack, "--timezone", zone, path)
    assert code == 0
    assert document["errors"] == []
    [alert] = document["alerts"]
    assert at(alert["respond_by"]) == expected  # 09:00 in that zone + 2h


def test_unknown_timezone_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], pack: Path, write_input: Any
) -> None:
    code, out, err = run(
        capsys, "screen", "--no-builtin", "--rules", pack, "--timezone", "Mars/Olympus", write_input([])
    )
    assert code == 2
    assert out == ""
    assert "Mars/Olympus" in err


# -- --min-priority -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "shown"), [("P1", ["p1"]), ("P2", ["p1", "p2"]), ("P4", ["p1", "p2", "p3"])]
)
def test_min_priority_filters_alerts_but_summary_counts_all(
    capsys: pytest.CaptureFixture[str], pack: Path, write_input: Any, level: str, shown: list[str]
) -> None:
    records = [
        obs("p3", has_permit=True, zone="河滩", volume_m3=5000, blasting=False),
        obs("p2", has_permit=False, zone="河滩", volume_m3=10, blasting=False),
        obs("p1", has_permit=True, zone="禁采区", volume_m3=5000, blasting=True),
        obs("none", has_permit=True),
    ]
    code, document, _ = screen_json(capsys, pack, "--min-priority", level, write_input(records))
    assert code == 0
    assert [a["observation_id"] for a in document["alerts"]] == shown
    # "none" could be P1 (attrs.blasting is missing): it is listed at every level
    assert [u["observation_id"] for u in document["undecided"]] == ["none"]
    assert document["summary"] == {
        "records": 4,
        "alerts": 3,
        "no_alert": 1,
        "errors": 0,
        "undecided": 1,
        "by_priority": {"P1": 1, "P2": 1, "P3": 1, "P4": 0},
    }


@pytest.mark.parametrize("output", ["json", "jsonl", "csv", "table"])
def test_min_priority_keeps_an_alert_that_could_be_urgent_enough(
    capsys: pytest.CaptureFixture[str], pack: Path, write_input: Any, output: str
) -> None:
    # a P3 alert lacking attrs.blasting could be P1: P2 and up must not hide it
    records = [
        obs("p3-could-be-p1", has_permit=True, zone="河滩", volume_m3=5000),
        obs("p3", has_permit=True, zone="河滩", volume_m3=5000, blasting=False),
    ]
    code, out, _ = run(
        capsys,
        "screen",
        "--format",
        output,
        "--no-builtin",
        "--rules",
        pack,
        "--min-priority",
        "P2",
        write_input(records),
    )
    assert code == 0
    assert "p3-could-be-p1" in out
    assert '"p3"' not in out and "p3," not in out and "│ p3 " not in out


# -- other output formats -----------------------------------------------------------------


def test_jsonl_prints_one_alert_per_line_and_reports_on_stderr(
    capsys: pytest.CaptureFixture[str], pack: Path, write_input: Any
) -> None:
    records = [
        obs("l-1", has_permit=False),
        obs("l-2", has_permit=True, zone="禁采区", volume_m3=5000, blasting=True),
        obs("l-bad", "2026-07-01T09:00:00", has_permit=False),
        obs("l-3", has_permit=True),
    ]
    path = write_input(records)
    code, out, err = run(capsys, "screen", "--format", "jsonl", "--no-builtin", "--rules", pack, path)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 3
    *alerts, undecided = [json.loads(line) for line in lines]
    assert [a["observation_id"] for a in alerts] == ["l-2", "l-1"]
    for alert in alerts:
        assert set(alert) >= ALERT_KEYS
    # the no-alert record that missing evidence could make P1 follows, without a priority
    assert set(undecided) == {"observation_id", "could_be", "insufficient", "warnings"}
    assert (undecided["observation_id"], undecided["could_be"]) == ("l-3", "P1")
    assert "l-bad" in err
    assert "l-bad" not in out
    # the counts reach stderr: 4 records, 2 alerts, 1 no alert, 1 error
    assert re.search(r"\b4\b", err)
    assert "summary" not in out


def test_jsonl_stderr_gives_each_error_on_one_line(
    capsys: pytest.CaptureFixture[str], pack: Path, write_input: Any
) -> None:
    path = write_input([obs("l-bad", "2026-07-01T09:00:00", has_permit=False)])
    _, document, _ = screen_json(capsys, pack, path)
    message = document["errors"][0]["message"]
    _, _, err = run(capsys, "screen", "--format", "jsonl", "--no-builtin", "--rules", pack, path)
    # a log reader going line by line must get the whole message with the record it belongs to
    assert any("l-bad" in line and message in line for line in err.splitlines()), err


def test_csv_output_has_a_header_and_one_row_per_alert(
    capsys: pytest.CaptureFixture[str], pack: Path, write_input: Any
) -> None:
    records = [
        obs("c-1", has_permit=False),
        obs("c-2", has_permit=True, zone="禁采区", volume_m3=5000, blasting=True, village="西村"),
        obs("c-3", has_permit=True),
    ]
    code, out, err = run(
        capsys, "screen", "--format", "csv", "--no-builtin", "--rules", pack, write_input(records)
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"observation_id", "priority", "band", "color", "score", "escalate_to", "respond_by"} <= set(
        rows[0]
    )
    assert [r["observation_id"] for r in rows] == ["c-2", "c-1", "c-3"]
    first, second, third = rows
    assert (first["priority"], first["band"], first["color"]) == ("P1", "重大", "red")
    assert float(first["score"]) == combined(60, 50, 30) == 73.0  # P1 by the critical Q-004
    assert first["village"] == "西村"
    assert first["rule_ids"].split("; ") == ["Q-002", "Q-003", "Q-004"]
    assert (first["could_be"], first["undecided"], first["missing"]) == ("", "false", "")
    assert (second["priority"], float(second["score"]), second["escalate_to"]) == ("P2", 70.0, "department")
    assert at(second["respond_by"]) == datetime(2026, 7, 1, 11, 0, tzinfo=CST)
    assert second["messages"] == "东村无证采石"
    assert (second["could_be"], second["undecided"]) == ("P1", "true")
    # an undecided record without an alert gets a row of its own: no priority, what could be, what is missing
    assert (third["priority"], third["could_be"], third["undecided"]) == ("", "P1", "true")
    assert third["missing"].split("; ") == ["attrs.zone", "attrs.volume_m3", "attrs.blasting"]
    assert re.search(r"\b3\b", err)  # the summary (3 records) goes to stderr


def test_table_shows_chinese_band_names_and_ids(
    capsys: pytest.CaptureFixture[str], pack: Path, write_input: Any
) -> None:
    records = [obs("t-1", has_permit=False), obs("t-2", has_permit=True, zone="禁采区", blasting=True)]
    code, out, _ = run(
        capsys, "screen", "--format", "table", "--no-builtin", "--rules", pack, write_input(records)
    )
    assert code == 0
    assert "较大" in out
    assert "重大" in out
    assert "t-1" in out
    assert "t-2" in out
    assert out.index("t-2") < out.index("t-1")  # P1 before P2


def test_table_keeps_realistic_ids_whole(
    capsys: pytest.CaptureFixture[str], pack: Path, write_input: Any
) -> None:
    # ids as case systems issue them; two alerts must stay distinguishable in the table
    records = [obs("XC-20260701-0001", has_permit=False), obs("XC-20260701-0002", has_permit=False)]
    code, out, _ = run(
        capsys, "screen", "--format", "table", "--no-builtin", "--rules", pack, write_input(records)
    )
    assert code == 0
    assert "XC-20260701-0001" in out
    assert "XC-20260701-0002" in out


def test_table_is_the_default_format(
    capsys: pytest.CaptureFixture[str], pack: Path, write_input: Any
) -> None:
    code, out, _ = run(
        capsys, "screen", "--no-builtin", "--rules", pack, write_input([obs("t-1", has_permit=False)])
    )
    assert code == 0
    assert "较大" in out
    assert "t-1" in out


# -- inputs -------------------------------------------------------------------------------


def test_reads_standard_input(
    capsys: pytest.CaptureFixture[str], pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = "\n".join(
        json.dumps(o, ensure_ascii=False)
        for o in [obs("in-1", has_permit=False), obs("in-2", has_permit=True)]
    )
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(data.encode())))
    code, document, _ = screen_json(capsys, pack, "-")
    assert code == 0
    assert [a["observation_id"] for a in document["alerts"]] == ["in-1"]
    assert document["summary"].items() >= {"records": 2, "alerts": 1, "no_alert": 1, "errors": 0}.items()


def test_csv_input_with_dotted_columns(capsys: pytest.CaptureFixture[str], pack: Path) -> None:
    code, document, _ = screen_json(capsys, pack, DATA / "observations.csv")
    assert code == 0, document["errors"]
    assert document["summary"].items() >= {"records": 3, "alerts": 2, "no_alert": 1, "errors": 0}.items()
    # both score 70 (P2); c-1 is due first (09:00 + 2h, against 10:00 + the band's 4h)
    second, first = document["alerts"]
    assert first["observation_id"] == "c-2"
    assert first["score"] == 70.0
    assert {f["rule_id"] for f in first["findings"]} == {"Q-002", "Q-003"}
    assert first["findings"][1]["values"] == {"attrs.volume_m3": 2000}  # the CSV text "2000" typed as float
    assert second["observation_id"] == "c-1"
    assert second["findings"][0]["message"] == "东村无证采石"  # location.village from its dotted column
    assert second["findings"][0]["values"] == {"attrs.has_permit": False}  # "false" typed as bool


def test_jsonl_input_with_bad_lines(capsys: pytest.CaptureFixture[str], pack: Path) -> None:
    code, document, _ = screen_json(capsys, pack, DATA / "observations.jsonl")
    assert code == 1
    assert document["summary"].items() >= {"records": 4, "alerts": 2, "no_alert": 0, "errors": 2}.items()
    assert [e["index"] for e in document["errors"]] == [1, 2]
    assert "line 3" in document["errors"][0]["message"]
    assert "line 4" in document["errors"][1]["message"]
    assert [a["observation_id"] for a in document["alerts"]] == ["j-1", "j-2"]  # both 70, j-1 due first


def test_input_format_option_overrides_detection(
    capsys: pytest.CaptureFixture[str], pack: Path, tmp_path: Path
) -> None:
    path = tmp_path / "feed.json"  # JSONL despite the name
    path.write_text(
        json.dumps(obs("x-1", has_permit=False), ensure_ascii=False)
        + "\n"
        + json.dumps(obs("x-2", has_permit=True))
    )
    code, document, _ = screen_json(capsys, pack, "--input-format", "jsonl", path)
    assert code == 0
    assert document["summary"]["records"] == 2


def test_non_utf8_input_is_reported_not_a_crash(
    capsys: pytest.CaptureFixture[str], pack: Path, tmp_path: Path
) -> None:
    # a CSV saved by a spreadsheet in GBK, as often happens
    path = tmp_path / "gbk.csv"
    text = (
        "id,category,reported_at,location.village,attrs.has_permit\n"
        "g-1,quarry,2026-07-01T09:00:00+08:00,东村,false\n"
    )
    path.write_bytes(text.encode("gbk"))
    code, out, err = run(capsys, "screen", "--format", "json", "--no-builtin", "--rules", pack, path)
    assert code in (1, 2)
    assert "utf-8" in (out + err).lower()


# -- exit code 2 --------------------------------------------------------------------------


def test_missing_input_file_exits_2(capsys: pytest.CaptureFixture[str], pack: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    code, out, err = run(capsys, "screen", "--format", "json", "--no-builtin", "--rules", pack, missing)
    assert code == 2
    assert out == ""
    assert "nowhere.json" in err


def test_missing_rule_pack_exits_2(capsys: pytest.CaptureFixture[str], write_input: Any) -> None:
    code, out, err = run(capsys, "screen", "--no-builtin", "--rules", "no_such_pack.yaml", write_input([]))
    assert code == 2
    assert out == ""
    assert "no_such_pack.yaml" in err


def test_broken_pack_exits_2_listing_every_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, write_input: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN_PACK, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    lines = BROKEN_PACK.splitlines()

    def position(needle: str) -> str:
        """``line:col`` (1-based) of the first line containing ``needle``."""
        number = next(i for i, line in enumerate(lines) if needle in line)
        return f"{number + 1}:{lines[number].index(needle) + 1}"

    code, out, err = run(capsys, "screen", "--no-builtin", "--rules", "broken.yaml", write_input([obs("x")]))
    assert code == 2
    assert out == ""
    problems = [line for line in err.splitlines() if line.startswith("broken.yaml:")]
    for line in problems:
        assert re.match(r"broken\.yaml:\d+:\d+: \S", line), line
    expected = {
        position("depht_m"): "depht_m",  # the misspelt attribute itself
        position("huge"): "severity",
        position("serverity"): "serverity",
    }
    for where, word in expected.items():
        assert any(line.startswith(f"broken.yaml:{where}: ") and word in line for line in problems), (
            where,
            err,
        )
    syntax_line = lines.index("    when: attrs.depth_m >") + 1
    assert any(line.startswith(f"broken.yaml:{syntax_line}:") for line in problems), err
    assert len(problems) == 4


def test_rules_command_with_broken_pack_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN_PACK, encoding="utf-8")
    code, out, err = run(capsys, "rules", "--format", "json", "--no-builtin", "--rules", path)
    assert code == 2
    assert out == ""
    assert "depht_m" in err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["screen"],
        ["screen", "--format", "xml", "obs.json"],
        ["screen", "--min-priority", "P5", "obs.json"],
        ["bogus"],
        ["rules", "--format", "csv"],
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "usage" in capsys.readouterr().err


# -- rules --------------------------------------------------------------------------------


def test_rules_json_lists_packs_and_rules(
    capsys: pytest.CaptureFixture[str], pack: Path, write_input: Any
) -> None:
    code, out, _ = run(capsys, "rules", "--format", "json", "--no-builtin", "--rules", pack)
    assert code == 0
    document = json.loads(out)
    assert [(p["id"], p["version"]) for p in document["packs"]] == [("quarry_watch", "2.1.0")]
    rules = {r["id"]: r for r in document["rules"]}
    assert list(rules) == ["Q-001", "Q-002", "Q-003", "Q-004"]
    assert all(r["pack"] == "quarry_watch" for r in rules.values())
    assert (rules["Q-001"]["severity"], rules["Q-001"]["score"]) == ("high", 70)
    assert rules["Q-001"]["respond_within"] == "2h"
    assert rules["Q-004"]["severity"] == "critical"
    # the same rule set hash as the provenance of the alerts it produces
    _, screened, _ = screen_json(capsys, pack, write_input([obs("r-1", has_permit=False)]))
    assert screened["alerts"][0]["provenance"]["ruleset"] == document["ruleset"]


def test_rules_table_lists_rule_ids(capsys: pytest.CaptureFixture[str], pack: Path) -> None:
    code, out, _ = run(capsys, "rules", "--no-builtin", "--rules", pack)
    assert code == 0
    for rule_id in ("Q-001", "Q-002", "Q-003", "Q-004"):
        assert rule_id in out
    assert "quarry_watch" in out


# -- with the shipped packs ---------------------------------------------------------------


def shipped_rules(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, _ = run(capsys, "rules", "--format", "json")
    assert code == 0
    document: dict[str, Any] = json.loads(out)
    return document


def test_shipped_rules_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    document = shipped_rules(capsys)
    pack_ids = [p["id"] for p in document["packs"]]
    assert "general" in pack_ids
    assert len(pack_ids) == len(set(pack_ids))
    rule_ids = [r["id"] for r in document["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    assert all(r["pack"] in pack_ids for r in document["rules"])


def test_shipped_packs_screen_a_casualty_report(capsys: pytest.CaptureFixture[str], write_input: Any) -> None:
    listing = shipped_rules(capsys)
    rules = {r["id"]: r for r in listing["rules"]}
    versions = {p["id"]: p["version"] for p in listing["packs"]}
    report = {
        "id": "gen-1",
        "category": "other",
        "reported_at": "2026-07-01T09:00:00+08:00",
        "location": {"village": "东村"},
        "description": "施工现场有工人从高处坠落受伤",
    }
    quiet = {
        "id": "gen-2",
        "category": "other",
        "reported_at": "2026-07-01T09:00:00+08:00",
        "description": "巡查未发现异常",
    }
    code, out, _ = run(capsys, "screen", "--format", "json", write_input([report, quiet]))
    assert code == 0
    document = json.loads(out)
    # a record without history reads as "no earlier reports known": the repeat rules do not
    # leave every record undecided
    assert document["summary"] == {
        "records": 2,
        "alerts": 1,
        "no_alert": 1,
        "errors": 0,
        "undecided": 0,
        "by_priority": {"P1": 0, "P2": 1, "P3": 0, "P4": 0},
    }
    [alert] = document["alerts"]
    assert alert["observation_id"] == "gen-1"
    findings = {f["rule_id"]: f for f in alert["findings"]}
    assert "GEN-004" in findings  # casualty mentioned
    for rule_id, finding in findings.items():
        assert finding["pack"] == rules[rule_id]["pack"]
        assert finding["score"] == rules[rule_id]["score"]
    assert alert["score"] == combined(*(f["score"] for f in alert["findings"]))
    windows = [parse_duration(rules[r]["respond_within"]) for r in findings if rules[r]["respond_within"]]
    band = {"P1": "1h", "P2": "4h", "P3": "24h", "P4": "120h"}[alert["priority"]]
    windows.append(parse_duration(band))
    assert at(alert["respond_by"]) == datetime(2026, 7, 1, 9, 0, tzinfo=CST) + min(windows)
    assert alert["provenance"]["packs"] == {rules[r]["pack"]: versions[rules[r]["pack"]] for r in findings}


# -- the installed command ----------------------------------------------------------------


def test_console_script_exit_codes(tmp_path: Path, pack: Path, write_input: Any) -> None:
    good = write_input([obs("e-1", has_permit=False)], "good.json")
    naive = write_input([obs("e-2", "2026-07-01T09:00:00", has_permit=False)], "naive.json")
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN_PACK, encoding="utf-8")

    def riskscreen(*argv: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "riskscreen", *map(str, argv)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=tmp_path,
            check=False,
        )

    ok = riskscreen("screen", "--format", "json", "--no-builtin", "--rules", pack, good)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["alerts"][0]["priority"] == "P2"
    assert riskscreen("screen", "--format", "json", "--no-builtin", "--rules", pack, naive).returncode == 1
    assert riskscreen("screen", "--no-builtin", "--rules", pack, tmp_path / "missing.json").returncode == 2
    failed = riskscreen("screen", "--no-builtin", "--rules", broken, good)
    assert failed.returncode == 2
    assert "depht_m" in failed.stderr
    assert riskscreen("screen", "--format", "xml", good).returncode == 2


def test_the_program_ends_at_once_after_screen_with_all_of_its_output(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # `riskscreen screen` skips the interpreter's teardown: its output must be whole anyway
    sample = Path(__file__).parent.parent / "examples" / "observations.jsonl"
    argv = ["screen", str(sample), "--format", "jsonl", "--jobs", "1"]
    code = main(argv)
    expected = capsys.readouterr().out
    command = [sys.executable, "-m", "riskscreen", *argv]
    program = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", check=False)
    assert (program.returncode, program.stdout) == (code, expected) and expected.count("\n") > 5
    # a reader that goes away after one line: no traceback, and the usual exit code for it
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith(b"{")
    process.stdout.close()
    assert process.wait(timeout=60) == 0
    assert b"Traceback" not in process.stderr.read()


def test_progress_is_shown_when_asked_or_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from riskscreen.cli.screen import _progress_console

    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal, however pytest runs
    assert _progress_console(None) is None
    assert _progress_console(False) is None
    assert _progress_console(True) is not None
    # what makes rich take standard error for a terminal shows it too
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert _progress_console(None) is not None
    assert _progress_console(False) is None


@pytest.mark.parametrize("command", ["screen", "rules"])
def test_a_reader_going_away_from_a_table_ends_the_command_quietly_with_code_0(
    tmp_path: Path, command: str
) -> None:
    # rich ended the program with code 1 when `| head` stopped reading its table; every
    # other output stops with 0 and no word, as JSON lines always did
    sample = Path(__file__).parent.parent / "examples" / "observations.jsonl"
    lines = [line for line in sample.read_text(encoding="utf-8").splitlines() if '"reported_at"' in line]
    many = tmp_path / "many.jsonl"
    many.write_text("\n".join(lines * 8) + "\n", encoding="utf-8")  # a table far larger than a pipe holds
    argv = ["screen", str(many), "--limit", "100000", "--jobs", "1"] if command == "screen" else ["rules"]
    process = subprocess.Popen(
        [sys.executable, "-m", "riskscreen", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline()
    process.stdout.close()
    assert process.wait(timeout=120) == 0
    assert b"Traceback" not in process.stderr.read()
