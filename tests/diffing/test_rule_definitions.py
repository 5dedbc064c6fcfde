"""Which parts of a rule's definition the diff reports as changed."""

from __future__ import annotations

from pathlib import Path

import riskscreen
from riskscreen import Screener
from riskscreen.diffing.ruledefs import FieldChange, compare_rules

PACK = """\
pack: quarry
version: 1.0.0
applies_to: [quarry]
categories:
  quarry:
    attrs:
      has_permit: bool
rules:
  - id: Q-001
    title: 无证采石
    when: not attrs.has_permit
    severity: high
    escalate_to: district
"""

REPORT = (
    '{"id": "q-1", "category": "quarry", "reported_at": "2026-07-01T09:00:00+08:00", '
    '"attrs": {"has_permit": false}}\n'
)


def _sides(tmp_path: Path) -> tuple[Path, Path]:
    base, head = tmp_path / "base", tmp_path / "head"
    base.mkdir()
    head.mkdir()
    (base / "quarry.yaml").write_text(PACK, encoding="utf-8")
    moved = PACK.replace("escalate_to: district", "escalate_to: subdistrict")
    (head / "quarry.yaml").write_text(moved, encoding="utf-8")
    return base, head


def test_a_new_escalation_tier_is_a_changed_definition(tmp_path: Path) -> None:
    base, head = _sides(tmp_path)
    before = Screener([base], builtin=False).ruleset.rules
    after = Screener([head], builtin=False).ruleset.rules
    added, removed, changed = compare_rules(before, after)
    assert (added, removed) == ([], [])
    assert [c.rule_id for c in changed] == ["Q-001"]
    assert changed[0].changes == [FieldChange(field="escalation", base="district", head="subdistrict")]


def test_the_diff_reports_the_rule_as_changed_though_no_priority_moves(tmp_path: Path) -> None:
    base, head = _sides(tmp_path)
    archive = tmp_path / "reports.jsonl"
    archive.write_text(REPORT, encoding="utf-8")
    result = riskscreen.diff(archive, base=base, head=head, builtin=False)
    assert result.transitions["P2"]["P2"] == 1
    assert [(rule.rule_id, rule.status) for rule in result.rules] == [("Q-001", "changed")]
