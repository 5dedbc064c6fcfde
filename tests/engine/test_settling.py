"""Settling undecided rules with generated code gives exactly kleene's tree-walking answers.

A rule that read a missing value is dropped from the undecided ones when it cannot fire
whatever the value is. Screening with the compiler answers that with a function generated
per rule (engine.settling); these tests hold it to the interpreted reading
(:func:`riskscreen.engine.kleene.cannot_fire`) on generated conditions and records, on the
shipped packs and on the benchmark's generated packs, with values left out.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import inspect
import itertools
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskscreen import Screener
from riskscreen.engine import kleene
from riskscreen.engine.compiler import Compiler
from riskscreen.engine.evaluator import ParsedExpression
from riskscreen.engine.record import Record
from riskscreen.engine.settling import compile_settling, never_settled, source_of
from riskscreen.explain.code import generated_code
from riskscreen.models import Observation
from riskscreen.packs.cache import CACHE_DIR_ENV, LazyRule
from riskscreen.packs.ruleset import CompiledRule
from tests.compiler_support import MACROS, expressions, make_table, parse, records
from tests.helpers import WritePack, observation

ROOT = Path(__file__).resolve().parents[2]
TABLE = make_table(Compiler())
MACRO_EXPRESSIONS = {name: parse(TABLE, text) for name, text in MACROS.items()}
PARSED_MACROS: dict[str, ParsedExpression] = {k: v for k, v in MACRO_EXPRESSIONS.items() if v is not None}


def _conditions() -> st.SearchStrategy[str]:
    """Conditions with and/or at the top (what settling reads), macros and nested clauses among them."""
    clause = st.one_of(expressions(2), st.sampled_from(sorted(MACROS)))
    clauses = st.lists(clause, min_size=2, max_size=4)
    operators = st.lists(st.sampled_from(["and", "or"]), min_size=3, max_size=3)
    return st.tuples(clauses, operators).map(
        lambda t: t[0][0] + "".join(f" {op} {c}" for op, c in zip(t[1], t[0][1:], strict=False))
    )


def _cannot_fire_both_ways(
    when: ParsedExpression, unless: ParsedExpression | None, symbols: dict[str, Any]
) -> tuple[bool, bool]:
    settling = compile_settling("R-1", "pack.yaml:1", when, unless, PARSED_MACROS)
    assert settling is not None, when.text
    return (
        kleene.cannot_fire(when, unless, PARSED_MACROS, Record(symbols)),
        settling(Record(symbols)),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(when=_conditions(), unless=st.one_of(st.none(), expressions(2)), symbols=records())
def test_generated_conditions_settle_as_the_trees_read_them(
    when: str, unless: str | None, symbols: dict[str, Any]
) -> None:
    parsed_when = parse(TABLE, when)
    parsed_unless = parse(TABLE, unless) if unless is not None else None
    if parsed_when is None or (unless is not None and parsed_unless is None):
        return  # ill-typed on purpose: rule-engine rejects it when loading
    interpreted, compiled = _cannot_fire_both_ways(parsed_when, parsed_unless, symbols)
    assert compiled == interpreted, (when, unless)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(when=_conditions(), symbols=records())
def test_settling_after_the_rule_ran_reads_the_same_values(when: str, symbols: dict[str, Any]) -> None:
    """Screening settles a rule on the record its compiled code has just read (values remembered)."""
    parsed = parse(TABLE, when)
    if parsed is None:
        return
    settling = compile_settling("R-1", "pack.yaml:1", parsed, None, PARSED_MACROS)
    assert settling is not None
    record = Record(symbols)
    with contextlib.suppress(Exception):  # a missing value, most often: exactly when screening settles
        Compiler().compile(parsed)(record)
    assert settling(record) == kleene.cannot_fire(parsed, None, PARSED_MACROS, Record(symbols)), when


def test_the_generated_reading_is_readable_and_named_after_the_rule() -> None:
    parsed = parse(TABLE, "attrs.b1 and attrs.n1 > 2 or m_flag")
    assert parsed is not None
    settling = compile_settling("WELL-001", "rules/well.yaml:12", parsed, None, PARSED_MACROS)
    source = inspect.getsource(settling)  # registered for tracebacks and debuggers
    assert source.startswith("def WELL_001_cannot_fire(record):")
    assert "WELL-001 settling at rules/well.yaml:12" in source
    assert "_missing(record, 'attrs.b1')" in source and "# attrs.n1 > 2" in source
    # the macro is read clause by clause, each compiled: nothing is left to rule-engine
    assert "# attrs.b1 and attrs.n1 > 2" not in source and "left to rule-engine" not in source
    assert settling(Record({"attrs": {"b1": False}})) is True  # (false and ...) or (false and ...)
    assert settling(Record({"attrs": {"n1": 3}})) is False  # attrs.b1 could make it hold


def test_a_clause_the_compiler_leaves_to_rule_engine_is_read_by_it() -> None:
    parsed = parse(TABLE, "$abs(attrs.n1) > 2 and attrs.b1")
    assert parsed is not None
    settling = compile_settling("R-2", "", parsed, None, PARSED_MACROS)
    assert "left to rule-engine" in inspect.getsource(settling)
    assert settling(Record({"attrs": {"n1": -1.5}})) is True
    assert settling(Record({"attrs": {"n1": -3.5}})) is False


def test_a_rule_nothing_can_settle_gets_no_code() -> None:
    parsed = parse(TABLE, "attrs.n1 > 2")
    assert parsed is not None
    assert compile_settling("R-3", "", parsed, None, PARSED_MACROS) is never_settled


# -- loaded packs: the shipped ones and the benchmark's generated ones ---------------------------

_QUOTED = re.compile(r"""["']([^"'\\]{1,20})["']""")


def _words(rules: tuple[CompiledRule, ...]) -> list[str]:
    """Strings the rules compare with (so generated text values sometimes match them)."""
    texts = [r.when.text for r in rules] + [r.unless.text for r in rules if r.unless is not None]
    texts += [m.text for r in rules for m in r.macros.values()]
    return sorted({w for text in texts for w in _QUOTED.findall(text)} | {"", "无"})


_NUMBERS = st.sampled_from([0, 1, 2, 3, 5, 10, 20, 30, 50, 60, 80, 100, 200, 500, 1000, 5000, 0.5, 2.5])


def _attr_value(kind: str, words: list[str]) -> st.SearchStrategy[Any]:
    scalar = {
        "bool": st.booleans(),
        "int": _NUMBERS.map(int),
        "float": _NUMBERS.map(float),
        "string": st.sampled_from(words),
        "datetime": st.sampled_from(["2026-06-30T22:00:00+08:00", "2025-01-01T08:00:00+08:00"]),
    }
    if kind.startswith("list["):
        return st.lists(scalar[kind[5:-1]], max_size=3)
    return scalar[kind]


def _settles_alike(screener: Screener, data: st.DataObject, categories: list[str]) -> None:
    """One generated observation, values left out: every candidate rule settles alike both ways."""
    registry = screener.ruleset.registry
    category = data.draw(st.sampled_from(categories), label="category")
    rules = screener.ruleset.candidates(category)
    words = _words(rules)
    attrs = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                name: _attr_value(kind.name, words) for name, kind in registry.attr_types(category).items()
            },
        ),
        label="attrs",
    )
    history = data.draw(
        st.fixed_dictionaries(
            {}, optional={"reports_7d": st.integers(0, 6), "rectified_before": st.booleans()}
        )
    )
    fields = observation(
        category=category, attrs=attrs, history=history, description=data.draw(st.sampled_from(words))
    )
    valid = screener.validate(fields)
    while not isinstance(valid, Observation):
        # a value the category's model refuses (a plugin's list of codes): leave it out too
        assert valid.field.startswith("attrs.") and attrs.pop(valid.field[6:], None) is not None, valid
        valid = screener.validate(fields)
    symbols = screener.record_for(valid).symbols
    reads = sorted({p for r in rules for p in r.reads})
    # leave out values the rules read (derived ones included), as an incomplete report would
    for path in data.draw(st.sets(st.sampled_from(reads)) if reads else st.just(set()), label="left out"):
        symbols = _without(symbols, path)
    for rule in rules:
        if rule.settling is None:
            continue
        interpreted = kleene.cannot_fire(rule.when, rule.unless, rule.macros, Record(symbols))
        assert rule.settling(Record(symbols)) == interpreted, rule.id


def _without(symbols: Any, path: str) -> Any:
    parts = path.split(".")
    symbols = copy.copy(dict(symbols))
    inner = symbols
    for part in parts[:-1]:
        if not isinstance(inner.get(part), dict):
            return symbols
        inner[part] = dict(inner[part])
        inner = inner[part]
    inner.pop(parts[-1], None)
    return symbols


def test_the_shipped_rules_are_settled_by_generated_code(shipped: Screener) -> None:
    compiled = [r for r in shipped.ruleset.rules if source_of(r.settling) is not None]
    assert compiled, "no shipped rule has an and/or or an unless to settle"
    assert all(r.settling is not None for r in shipped.ruleset.rules)


def test_show_code_prints_how_a_rule_is_settled(shipped: Screener) -> None:
    source = generated_code(shipped, "FIRE-002")  # small_venue and attrs.residents_inside
    assert source.startswith("def FIRE_002_when(record):")
    settling = source.split("\n\n")[-1]
    assert settling.startswith("def FIRE_002_cannot_fire(record):")
    assert "(in macro small_venue)" in settling
    ast.parse(source)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_shipped_rules_settle_as_the_trees_read_them(shipped: Screener, data: st.DataObject) -> None:
    categories = [c for c in shipped.ruleset.registry.names if shipped.ruleset.candidates(c)]
    _settles_alike(shipped, data, categories)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Screener:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import workload

    folder = tmp_path_factory.mktemp("settling") / "packs"
    workload.write_packs(workload.generate_rules(200, 4), folder)
    return Screener([folder], builtin=False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_packs_settle_as_the_trees_read_them(generated: Screener, data: st.DataObject) -> None:
    _settles_alike(generated, data, [f"cat_{i:03d}" for i in range(4)])


CACHED_PACK = """
pack: p
version: 1.0.0
applies_to: [well_drilling]
categories:
  well_drilling:
    attrs: {depth_m: float, has_permit: bool, note: string}
lists:
  deep_words: [深井, 机井]
macros:
  unpermitted: not attrs.has_permit
rules:
  - id: R-1
    title: 无证打井
    when: unpermitted and attrs.depth_m > 10
    unless: status == "closed" and attrs.note in deep_words
  - id: R-2
    title: 描述
    when: attrs.depth_m > 30 and mentions(description, ["打井"], [], [])
"""


def test_a_rule_set_read_from_the_cache_settles_as_a_fresh_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_pack: WritePack
) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    path = write_pack(CACHED_PACK)
    fresh, cached = Screener([path]), Screener([path])
    assert isinstance(cached.ruleset.rules[0].when.rule, LazyRule)  # read back, not parsed again
    choices = {
        "has_permit": (None, True, False),
        "depth_m": (None, 5.0, 50.0),
        "note": (None, "深井", "浅"),
    }
    settled = set()
    for values in itertools.product(*choices.values(), (None, "closed"), (None, "有人打井", "无")):
        attrs = {k: v for k, v in zip(choices, values, strict=False) if v is not None}
        symbols = {"attrs": attrs, "status": values[3], "description": values[4]}
        for rule in fresh.ruleset.rules:
            again = cached.ruleset.rule(rule.id)
            assert again is not None and rule.settling is not None and again.settling is not None
            expected = kleene.cannot_fire(rule.when, rule.unless, rule.macros, Record(symbols))
            assert rule.settling(Record(symbols)) == expected, (rule.id, symbols)
            assert again.settling(Record(symbols)) == expected, (rule.id, symbols)
            if expected:
                settled.add(rule.id)
    assert {"R-1", "R-2"} <= settled  # (the shipped rules are compared too)
    # the function call is compiled too (its types kept, not its node): the cached rules
    # settled every record without being parsed again
    compiled = source_of(getattr(cached.ruleset.rule("R-2"), "settling", None))
    assert compiled is not None and "left to rule-engine" not in compiled.source
    assert "_call(" in compiled.source
    assert all(rule.when.rule._rule is None for rule in cached.ruleset.rules)
