"""Generated code people can read: names, lines, linecache, tracebacks, the fused plan."""

from __future__ import annotations

import ast
import inspect
import linecache
import logging
import textwrap
import traceback
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskscreen import Screener
from riskscreen.cli.main import main
from riskscreen.engine import plan, sourcetext
from riskscreen.engine.codegen import identifier, layout
from riskscreen.engine.compiler import source_of
from riskscreen.engine.record import MissingValueError
from riskscreen.explain.code import UnknownRuleError, fused_code, generated_code

PACK = """\
pack: quarry_code
version: 1.0.0
applies_to: [quarry]
categories:
  quarry:
    attrs:
      depth_m: float
      tool: string
lists:
  tools: [挖掘机, 铲车]
macros:
  deep: attrs.depth_m > 10
rules:
  - id: QC-001
    title: 深挖
    when: >-
      deep and attrs.tool in tools
      and location.village == "东村"
    unless: status == "closed"
  - id: QC-002
    title: 夜间
    when: derived.is_night or attrs.depth_m > 50
"""


@pytest.fixture
def screener(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Screener:
    monkeypatch.setenv("RISKSCREEN_CACHE", "off")
    (tmp_path / "quarry.yaml").write_text(PACK, encoding="utf-8")
    return Screener([tmp_path / "quarry.yaml"], builtin=False)


def record_of(screener: Screener, **attrs: object) -> object:
    observation = screener.validate(
        {"id": "o", "category": "quarry", "reported_at": "2026-07-01T09:00:00+08:00", "attrs": attrs}
    )
    return screener.record_for(observation)  # type: ignore[arg-type]


def test_a_rule_is_one_named_function_registered_in_linecache(screener: Screener) -> None:
    rule = screener.ruleset.rule("QC-001")
    assert rule is not None
    predicate = rule.when_predicate
    compiled = source_of(predicate)
    assert compiled is not None
    assert predicate.__name__ == "QC_001_when"
    assert compiled.filename.startswith("<riskscreen QC-001 when at ") and compiled.filename.endswith(
        "quarry.yaml:16>"
    )
    assert inspect.getsource(predicate) == compiled.source
    assert linecache.getlines(compiled.filename) == compiled.source.splitlines(keepends=True)


def test_a_traceback_through_a_compiled_rule_shows_its_generated_line(screener: Screener) -> None:
    rule = screener.ruleset.rule("QC-002")
    assert rule is not None
    with pytest.raises(MissingValueError) as caught:
        rule.when_predicate(record_of(screener))  # no depth: the second clause cannot be read
    shown = "".join(traceback.format_exception(caught.value))
    assert 'File "<riskscreen QC-002 when at ' in shown
    assert "in QC_002_when" in shown
    # the clause's own line, with the read that failed
    assert "    or ((_t2 > QC_002_when_k1) if (_t2 := " in shown and "P_attrs_depth_m(record)" in shown


def test_each_clause_is_on_its_own_line(screener: Screener) -> None:
    rule = screener.ruleset.rule("QC-001")
    assert rule is not None
    source = generated_code(screener, "QC-001")
    when = source.split("\n\n")[0]
    clauses = [line.strip() for line in when.splitlines() if line.strip().startswith("and ")]
    assert len(clauses) == 2  # deep / and tool in tools / and village
    assert any("P_location_village" in line for line in clauses)
    assert all(len(line) < 200 for line in source.splitlines())


def test_names_are_the_same_on_every_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISKSCREEN_CACHE", "off")
    (tmp_path / "quarry.yaml").write_text(PACK, encoding="utf-8")
    first = generated_code(Screener([tmp_path / "quarry.yaml"], builtin=False), "QC-001")
    second = generated_code(Screener([tmp_path / "quarry.yaml"], builtin=False), "QC-001")
    assert first == second
    assert "P_attrs_tool" in first and "QC_001_when_tools" in first  # paths and lists by name


def test_generated_code_shows_the_macros_a_rule_calls_and_parses(screener: Screener) -> None:
    source = generated_code(screener, "QC-001")
    assert "def QC_001_when(record):" in source
    assert "def QC_001_unless(record):" in source
    assert "def quarry_code_macro_deep(record):" in source
    ast.parse(source)
    with pytest.raises(UnknownRuleError, match="QC-999"):
        generated_code(screener, "QC-999")


def test_the_fused_plan_keeps_its_source(screener: Screener) -> None:
    screener.screen({"id": "o", "category": "quarry", "reported_at": "2026-07-01T09:00:00+08:00"})
    source = fused_code(screener, "quarry")
    assert source.startswith("def fused(record):\n    # fused 2 rules: QC-001, QC-002")
    assert "    attrs_depth_m = None" in source  # locals named after the paths they hold
    assert "# QC-001 at " in source
    ast.parse(source)
    fused = plan.fuse(screener.ruleset.candidates("quarry"))
    assert inspect.getsource(fused) == source


def test_a_failed_fusion_is_logged_once_and_results_do_not_change(
    screener: Screener, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    observation = {
        "id": "o",
        "category": "quarry",
        "reported_at": "2026-07-01T09:00:00+08:00",
        "location": {"village": "东村"},
        "attrs": {"depth_m": 60, "tool": "铲车"},
    }
    expected = screener.screen(observation).model_dump_json()

    def broken(rules: object) -> object:
        raise ValueError("cannot fuse")

    monkeypatch.setattr(plan, "fuse", broken)
    monkeypatch.setattr(plan, "_fallback_logged", plan.threading.Event())
    with caplog.at_level(logging.DEBUG, logger="riskscreen.engine.plan"):
        fresh = Screener(screener.spec.rules, builtin=False)
        results = [fresh.screen(observation) for _ in range(3)]
        other = Screener(screener.spec.rules, builtin=False)
        other.screen(observation)
    assert results[0].model_dump_json() == expected
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "could not fuse 2 rules (QC-001, QC-002)" in warnings[0].getMessage()
    assert "ValueError: cannot fuse" in warnings[0].getMessage()


def test_the_cli_prints_a_shipped_rules_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "--show-code", "GAS-004"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("def GAS_004_when(record):\n    # GAS-004 when at rules/gas_safety.yaml:")
    ast.parse(out)
    assert main(["explain", "--show-code", "NOPE-1"]) == 1
    assert "no loaded rule or plugin check has the id 'NOPE-1'" in capsys.readouterr().err


@given(st.text(alphabet="()[]{}'\"\\ ab", max_size=40))
def test_bracket_depth_counted_in_c_agrees_with_the_character_scan(line: str) -> None:
    # layout counts brackets with str.count outside string literals; a line whose quotes do
    # not pair up is scanned character by character, which is what the count must equal
    assert sourcetext._depth_change(line) == sourcetext._depth_change_by_character(line)


def test_identifier_and_layout() -> None:
    assert identifier("WELL-001 when") == "WELL_001_when"
    assert identifier("1st rule") == "_1st_rule"
    source = "(\na\nand (b == ')(')\n)"
    assert layout(source, "  ") == textwrap.dedent(
        """\
        (
              a
              and (b == ')(')
          )"""
    )
