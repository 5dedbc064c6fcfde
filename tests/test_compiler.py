"""The compiler: exact rule-engine semantics, fallbacks, remembered values, loading."""

from __future__ import annotations

import decimal
import itertools
import math
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
import rule_engine

from riskscreen import Screener
from riskscreen.engine.compiler import Compiler, source_of
from riskscreen.engine.evaluator import Interpreter, ParsedExpression
from riskscreen.engine.record import MissingValueError, Record
from riskscreen.engine.runtime import PathLoader
from riskscreen.packs.cache import CACHE_ENV
from tests.compiler_support import ZONE, Pair, make_table, parse

PAIR = Pair()

# Operands in every state a rule meets: well typed, of another type, odd, null and absent.
_STATES: dict[str, list[Any]] = {
    "n1": [Decimal("2.5"), 3, 2.5, 0.1, "abc", True, None, [1], {"x": 1}, math.nan, "ABSENT"],
    "s1": ["a", "abc", "", 5, False, None, ["a"], "ABSENT"],
    "b1": [True, False, 0, 1, "x", None, "ABSENT"],
    "t1": [datetime(2026, 7, 1, 9, tzinfo=ZONE), datetime(2026, 7, 1), "2026-07-01", 1, "ABSENT"],
    "ls": [["a", "b"], [], "a", [1], ("a",), "ABSENT"],
}
_TEMPLATES = [
    "attrs.n1 {op} attrs.n2",
    "attrs.s1 {op} attrs.s2",
    "attrs.t1 {op} attrs.t2",
    "attrs.b1 {op} attrs.b2",
]
_BINARY = ["==", "!=", "<", "<=", ">", ">="]
_OTHERS = [
    "attrs.b1 == true",
    "attrs.b1 != false",
    "attrs.n1 == 1",
    "attrs.n1 != 3",
    "attrs.n1 > 2",
    "attrs.s1 == 'a'",
    "attrs.t1 >= d'2026-07-01T09:00:00+08:00'",
    "attrs.n1 + attrs.n2 > 1",
    "attrs.n1 - attrs.n2 > 1",
    "attrs.n1 * attrs.n2 > 1",
    "attrs.n1 / attrs.n2 > 1",
    "attrs.n1 // attrs.n2 > 1",
    "attrs.n1 % attrs.n2 > 1",
    "attrs.n1 ** attrs.n2 > 1",
    "-attrs.n1 < attrs.n2",
    "attrs.s1 + attrs.s2 == 'ab'",
    "attrs.s1 in attrs.s2",
    "attrs.s1 in attrs.ls",
    "attrs.s1 in villages",
    "attrs.n1 in levels",
    "attrs.s1 =~ 'a.*'",
    "attrs.s1 =~~ 'b'",
    "attrs.s1 !~ 'a'",
    "attrs.s1 =~~ 'b|无'",
    "attrs.s1 !~~ '(ab|c)' and $re_groups == null",
    "attrs.b1 and attrs.b2",
    "attrs.b1 or attrs.b2",
    "not attrs.b1",
    "attrs.b1 ? attrs.n1 > 1 : attrs.s1 == 'a'",
    "(attrs.n1 ?? 2) > 1",
    "attrs.ls[0] == 'a'",
    "attrs.s1[0] == 'a'",
    "attrs.ls.length > 1",
    "attrs.s1.length > 1",
    "attrs.s1.as_upper == 'A'",
    "attrs.t1 - attrs.t2 > t'P1D'",
    "attrs.t1 + t'P1D' > attrs.t2",
    "attrs.t1.year == 2026",
    "attrs.t1.date == attrs.t2.date",
    "(attrs.t1 - attrs.t2).days > 1",
    "m_flag and attrs.b2",
    "m_num or m_text",
    "attrs.n1 > 1 and attrs.s1 == 'a'",
    "[attrs.n1, attrs.n2] == [1, 2]",
    "$abs(attrs.n1) > 1",
    # expressions that handle an absent value themselves
    "(attrs.n1 ?? attrs.n2) > 1",
    "attrs.n1 == null",
    "attrs.n1 != null and attrs.n1 > 1",
    "null == attrs.s1",
    "(attrs.n1 == null ? 0 : attrs.n1) > 1",
    "attrs&.s1 == 'a'",
    "(attrs&.t1 ?? attrs.t2) > attrs.t2",
    "attrs.ls&[0] == 'a'",
    "(attrs.b1 ?? attrs.b2) ?? false",
]
_PARTNER = {"n1": "n2", "s1": "s2", "b1": "b2", "t1": "t2", "ls": "ls"}


def _texts() -> list[str]:
    texts = [t.format(op=op) for t in _TEMPLATES for op in _BINARY]
    return texts + _OTHERS


def _symbols(first: str, first_value: Any, second_value: Any) -> dict[str, Any]:
    attrs: dict[str, Any] = {"n1": 2, "n2": 1.5, "s1": "a", "s2": "abc", "b1": True, "b2": False}
    attrs.update({"t1": datetime(2026, 7, 2, tzinfo=ZONE), "t2": datetime(2026, 6, 1, tzinfo=ZONE)})
    attrs["ls"] = ["a", "b"]
    for name, value in ((first, first_value), (_PARTNER[first], second_value)):
        if value == "ABSENT" and isinstance(value, str):
            attrs.pop(name, None)
        else:
            attrs[name] = value
    return {"attrs": attrs, "status": "new"}


@pytest.mark.parametrize("text", _texts())
def test_every_operand_state_gives_the_interpreters_outcome(text: str) -> None:
    """Each operator with each operand well typed, mistyped, odd, null or absent, on both sides."""
    names = [n for n in _STATES if f"attrs.{n}" in text] or ["n1"]
    compared = 0
    for name in names:
        for left, right in itertools.product(_STATES[name], repeat=2):
            results = PAIR.outcomes(text, _symbols(name, left, right))
            assert results is not None, text
            assert results[1] == results[0], (text, left, right)
            compared += 1
    assert compared > 10


def test_shipped_rules_compile_without_interpreted_nodes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, "off")  # compile now, with this compiler
    compiler = Compiler()
    screener = Screener(evaluator=compiler)
    assert compiler.compiled > 0 and compiler.interpreted == 0
    for rule in screener.ruleset.rules:
        source = source_of(rule.when_predicate)
        assert source is not None and source.interpreted == 0, rule.id


def test_an_expression_the_compiler_cannot_build_falls_back_to_the_interpreter() -> None:
    table = make_table(Interpreter())
    # deeper than Python's parser accepts for one expression
    text = "not " * 400 + "attrs.b1"
    parsed = parse(table, text)
    assert parsed is not None
    compiler = Compiler()
    predicate = compiler.compile(parsed)
    assert compiler.interpreted == 1 and source_of(predicate) is None
    assert predicate(Record({"attrs": {"b1": True}})) is True


def test_nodes_without_a_translation_are_interpreted_in_place() -> None:
    table = make_table(Compiler())
    parsed = parse(table, "$abs(attrs.n1 - 5) > 1 and [x for x in attrs.ls if x == 'a'].length == 1")
    assert parsed is not None
    predicate = Compiler().compile(parsed)
    source = source_of(predicate)
    assert source is not None and source.interpreted >= 1
    assert predicate(Record({"attrs": {"n1": 1, "ls": ["a", "b"]}})) is True
    with pytest.raises(MissingValueError) as missing:
        predicate(Record({"attrs": {"ls": ["a"]}}))
    assert missing.value.path == "attrs.n1"


def test_values_are_read_once_per_record_and_shared_between_rules() -> None:
    table = make_table(Compiler())
    compiler = Compiler()
    first = compiler.compile(_parsed(table, "attrs.n1 > 1"))
    second = compiler.compile(_parsed(table, "attrs.n1 < 10"))
    record = Record({"attrs": {"n1": 2.5}})
    assert first(record) is True and second(record) is True
    assert list(record.memo.values()) == [Decimal("2.5")]


def test_a_macro_is_evaluated_once_per_record() -> None:
    table = make_table(Compiler())
    predicate = Compiler().compile(_parsed(table, "m_flag or attrs.b2"))
    symbols: dict[str, Any] = {"attrs": {"b1": True, "n1": 3, "b2": False}}
    record = Record(symbols)
    assert predicate(record) is True
    remembered = [key for key in record.memo if not isinstance(key, PathLoader)]
    assert len(remembered) == 1 and record.memo[remembered[0]] is True
    # the second evaluation reads the remembered result instead of the (changed) record
    symbols["attrs"] = {"b1": False, "n1": 3, "b2": False}
    assert predicate(record) is True
    assert predicate(Record(symbols)) is False


def test_regex_groups_follow_the_match_as_in_rule_engine() -> None:
    results = PAIR.outcomes('attrs.s1 =~ "(a)(b)?" and $re_groups[0] == "a"', {"attrs": {"s1": "abc"}})
    assert results is not None and results[0] == results[1] == ("value", "bool", True)


def test_arithmetic_uses_the_rules_decimal_context() -> None:
    table = make_table(Interpreter())
    context = decimal.Context(prec=3, traps=[decimal.InvalidOperation, decimal.DivisionByZero])
    rule_context = rule_engine.Context(
        type_resolver=table.type_of, resolver=table.resolve, default_timezone=ZONE, decimal_context=context
    )
    text = "attrs.n1 * attrs.n2 == 3.33"
    rule = rule_engine.Rule(text, context=rule_context)
    parsed = ParsedExpression(text, rule, ())
    record = {"attrs": {"n1": 1.11111, "n2": 3}}
    assert Compiler().compile(parsed)(Record(record)) is True
    assert Interpreter().compile(parsed)(Record(record)) is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(attrs.n1 ?? 0) > 5", False),
        ("(attrs.n1 ?? 9) > 5", True),
        ("attrs.n1 == null", True),
        ("attrs.n1 != null", False),
        ("attrs.n1 != null and attrs.n1 > 5", False),
        ("(attrs.n1 == null ? 0 : attrs.n1) > 5", False),
        ("attrs&.s1 == 'a'", False),
        ("(attrs.ls&[0] ?? 'a') == 'a'", True),
        ("(attrs.n1 ?? attrs.n2 ?? 7) > 5", True),
    ],
)
def test_an_expression_handling_null_decides_on_an_absent_value(text: str, expected: bool) -> None:
    results = PAIR.outcomes(text, {"attrs": {}})
    assert results is not None and results[0] == results[1] == ("value", "bool", expected)


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("attrs.n1 > 5", "attrs.n1"),
        ("(attrs.n1 ?? attrs.n2) > 5", "attrs.n2"),
        ("attrs.n1 == 5", "attrs.n1"),
        ("attrs.b1 ? true : false", "attrs.b1"),
        ("attrs.n1 == null and attrs.s1 == 'a'", "attrs.s1"),
    ],
)
def test_a_read_that_needs_the_value_is_still_missing(text: str, path: str) -> None:
    # a null value and an absent one are the same to a rule
    results = PAIR.outcomes(text, {"attrs": {"n1": None}})
    assert results is not None and results[0] == results[1] == ("missing", path)


def test_null_handling_reads_are_compiled_not_interpreted() -> None:
    table = make_table(Compiler())
    for text in (
        "(attrs.n1 ?? 0) > 5",
        "attrs.n1 == null",
        "attrs&.s1 == 'a'",
        "(attrs.n1 == null ? 0 : attrs.n1) > 1",
    ):
        source = source_of(Compiler().compile(_parsed(table, text)))
        assert source is not None and source.interpreted == 0, text


def test_missing_values_are_reported_where_rule_engine_reports_them() -> None:
    results = PAIR.outcomes("attrs.b1 and attrs.n1 > 2", {"attrs": {"b1": True}})
    assert results is not None and results[0] == results[1] == ("missing", "attrs.n1")
    results = PAIR.outcomes("attrs.b1 and attrs.n1 > 2", {"attrs": {"b1": False}})
    assert results is not None and results[0] == results[1] == ("value", "bool", False)


def test_screening_with_the_compiler_gives_the_interpreters_output() -> None:
    from riskscreen.readers import read_records

    records = list(read_records("examples/observations.jsonl"))
    compiled = Screener(evaluator=Compiler()).screen_many(records)
    interpreted = Screener(evaluator=Interpreter()).screen_many(records)
    assert compiled.model_dump_json() == interpreted.model_dump_json()
    assert compiled.summary.alerts > 0


def _parsed(table: Any, text: str) -> ParsedExpression:
    parsed = parse(table, text)
    assert parsed is not None
    return parsed
