"""RS503: an override's message naming a field observations of the rule's categories lack."""

from __future__ import annotations

from pathlib import Path

from riskscreen.lint import lint

BASE = """\
pack: quarry_base
version: 1.0.0
applies_to: [quarry]
categories:
  quarry:
    attrs:
      depth_m: float
rules:
  - id: QB-001
    title: 深挖
    when: attrs.depth_m > 10
    message: "{location.village}采坑深{attrs.depth_m}米"
"""

LOCAL = """\
pack: quarry_local
version: 1.0.0
overrides:
  - id: QB-001
    message: "{location.vilage}采坑深{attrs.deptth_m}米，{derived.is_night}"
"""


def test_an_override_message_with_unknown_fields_warns_at_each_with_a_suggestion(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "local.yaml").write_text(LOCAL, encoding="utf-8")
    report = lint([tmp_path])
    found = [p for p in report.problems if p.code == "RS503"]
    assert [p.location.path.endswith("local.yaml") for p in found] == [True, True]
    assert [p.message for p in found] == [
        "message names {location.vilage}, but location has no field 'vilage'; did you mean 'village'?",
        "message names {attrs.deptth_m}, but no attribute 'deptth_m' is declared for the rule's categories; "
        "did you mean 'depth_m'?",
    ]
    assert all(p.location.line == 5 for p in found)  # at the override's message


def test_a_message_with_known_fields_is_quiet(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "local.yaml").write_text(
        LOCAL.replace("vilage", "village").replace("deptth", "depth"), encoding="utf-8"
    )
    assert [p for p in lint([tmp_path]).problems if p.code == "RS503"] == []
