"""Alerts, explain and ``riskscreen rules`` show a rule's references the same way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskscreen import Screener
from riskscreen.cli.main import main

PACK = """\
pack: cite_forms
applies_to: [quarry]
categories:
  quarry:
    attrs:
      depth_m: float
rules:
  - id: CF-001
    title: 管网覆盖区新打自备井
    when: attrs.depth_m > 0
    references:
      - {law: 取水许可和水资源费征收管理条例, article: 20, item: 5}
      - 土地管理法第六十二条
      - 突发事件应对法（2024年修订） 第六十条
"""
SHOWN = [
    "取水许可和水资源费征收管理条例 第二十条第（五）项",
    "土地管理法 第六十二条",
    "突发事件应对法（2024） 第六十条",
]
OBSERVATION = {
    "id": "w-1",
    "kind": "patrol",
    "category": "quarry",
    "reported_at": "2026-07-01T09:00:00+08:00",
    "attrs": {"depth_m": 80},
}


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    pack = tmp_path / "cite_forms.yaml"
    pack.write_text(PACK, encoding="utf-8")
    data = tmp_path / "obs.json"
    data.write_text(json.dumps([OBSERVATION], ensure_ascii=False), encoding="utf-8")
    return pack, data


def test_the_alert_carries_the_display_form(files: tuple[Path, Path]) -> None:
    pack, _ = files
    result = Screener([pack], builtin=False).screen(OBSERVATION)
    assert result.alert is not None
    [finding] = result.alert.findings
    assert finding.references == SHOWN
    assert finding.model_dump(mode="json")["references"] == SHOWN


def test_screen_explain_and_rules_print_the_same_references(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    pack, data = files
    common = ["--rules", str(pack), "--no-builtin"]
    main(["screen", str(data), *common, "--format", "json"])
    alert = json.loads(capsys.readouterr().out)["alerts"][0]
    assert alert["findings"][0]["references"] == SHOWN

    main(["explain", str(data), "--id", "w-1", *common, "--format", "json"])
    explained = json.loads(capsys.readouterr().out)
    rule = next(r for r in explained["rules"] if r["rule_id"] == "CF-001")
    assert rule["references"] == SHOWN

    main(["explain", str(data), "--id", "w-1", *common])
    assert f"references: {'; '.join(SHOWN)}" in capsys.readouterr().out

    main(["rules", *common, "--format", "json"])
    listed = json.loads(capsys.readouterr().out)
    assert next(r for r in listed["rules"] if r["id"] == "CF-001")["references"] == SHOWN


def test_plugin_checks_references_are_shown_in_the_display_form() -> None:
    screener = Screener()
    result = screener.screen(
        {
            "id": "s-1",
            "kind": "patrol",
            "category": "sand_digging",
            "reported_at": "2026-07-20T23:30:00+08:00",
            "attrs": {"sand_permit": "none", "value_cny": 600_000, "penalties_2y": 0},
        }
    )
    assert result.alert is not None
    for finding in result.alert.findings:
        for text in finding.references:
            assert "第三项" not in text  # 法释〔2016〕25号 第三条第一款第三项 is shown as 第（三）项
