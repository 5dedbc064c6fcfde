"""Shared pieces of the compiler tests: a typed symbol table, an expression grammar, records.

The grammar produces rule-engine text by result type (boolean, number, string, datetime,
timedelta, arrays) over the symbols of :func:`make_table`, so most generated expressions
type-check; records hold those symbols with correct, wrong, missing and odd values.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import rule_engine
from hypothesis import strategies as st

from riskscreen.engine.compiler import Compiler
from riskscreen.engine.evaluator import Evaluator, Interpreter, ParsedExpression, Predicate
from riskscreen.engine.nulls import mark_null_handling
from riskscreen.engine.record import MissingValueError, ObjectView, Record
from riskscreen.engine.symbols import SymbolTable
from riskscreen.packs.attrtypes import AttrType

ZONE = ZoneInfo("Asia/Shanghai")

ATTRS = {
    "s1": "string",
    "s2": "string",
    "n1": "float",
    "n2": "float",
    "i1": "int",
    "b1": "bool",
    "b2": "bool",
    "t1": "datetime",
    "t2": "datetime",
    "ls": "list[string]",
    "lf": "list[float]",
}
DERIVED = {"hour": "int", "night": "bool", "dist": "float"}
LISTS = {"villages": ("东村", "西村", "a"), "levels": (1, 2.5, 3)}
MACROS = {
    "m_flag": "attrs.b1 and attrs.n1 > 2",
    "m_text": 'attrs.s1 =~ "a.*"',
    "m_num": "attrs.i1 * 2 >= attrs.n2",
    "m_nested": "m_flag or not m_text",
}
REGEXES = ['"a.*"', '"^b"', '"[0-9]+"', '"(东|西)村"', '"x|y"', '""', '"(?<!无)伤亡"', '"东村"', '"ab|x y"']
REGEXES += ['"(ab|b1)"', '"b"', '"无人员伤亡"']


def make_table(evaluator: Evaluator) -> SymbolTable:
    """A symbol table with the test attributes, lists and macros compiled by ``evaluator``."""
    table = SymbolTable(
        category="t",
        attrs={k: AttrType(v) for k, v in ATTRS.items()},
        derived={k: AttrType(v) for k, v in DERIVED.items()},
        lists=LISTS,
        macro_names=tuple(MACROS),
        timezone=ZONE,
    )
    for name, text in MACROS.items():
        table.macros[name] = evaluator.compile(_rule(table, text), nested=True)
    return table


def _rule(table: SymbolTable, text: str) -> ParsedExpression:
    """``text`` parsed as the loader parses it: reads that handle null are marked."""
    rule = rule_engine.Rule(text, context=table.context)
    mark_null_handling(rule.statement, table.plain_names)
    return ParsedExpression(text, rule, ())


def parse(table: SymbolTable, text: str) -> ParsedExpression | None:
    """The parsed expression, or ``None`` when rule-engine rejects it."""
    try:
        return _rule(table, text)
    except (rule_engine.errors.EngineError, TypeError, ValueError, ArithmeticError, RecursionError):
        return None


def outcome(predicate: Predicate, record: Record) -> tuple[Any, ...]:
    """What evaluating gives: a value with its type, a missing path, or an error class."""
    try:
        value = predicate(record)
    except MissingValueError as missing:
        return ("missing", missing.path)
    except Exception as exc:
        return ("error", type(exc).__name__)
    return ("value", type(value).__name__, _comparable(value))


def _comparable(value: Any) -> Any:
    if isinstance(value, Decimal) and value.is_nan():
        return "NaN"
    if isinstance(value, ObjectView):
        return ("view", value.prefix, id(value.data))
    if isinstance(value, tuple):
        return tuple(_comparable(v) for v in value)
    return value


class Pair:
    """The same expressions through the interpreter and the compiler, with their own tables."""

    def __init__(self) -> None:
        self.compiler = Compiler()
        self.tables = (make_table(Interpreter()), make_table(self.compiler))

    def outcomes(self, text: str, symbols: dict[str, Any], nested: bool = False) -> tuple[Any, Any] | None:
        """Interpreted and compiled outcomes on fresh records, or ``None`` if it does not parse."""
        results = self.outcomes_on_one_record([text], symbols, nested)
        return None if results is None else results[0]

    def outcomes_on_one_record(
        self, texts: list[str], symbols: dict[str, Any], nested: bool = False
    ) -> list[tuple[Any, Any]] | None:
        """Each text evaluated in turn (twice) on one record per evaluator; ``None`` if one does not parse."""
        evaluators = (Interpreter(), self.compiler)
        predicates = []
        for table, evaluator in zip(self.tables, evaluators, strict=True):
            parsed = [parse(table, text) for text in texts]
            if any(p is None for p in parsed):
                return None
            predicates.append([evaluator.compile(p, nested=nested) for p in parsed if p is not None])
        per_evaluator = []
        for table, compiled in zip(self.tables, predicates, strict=True):
            # a macro runs inside a rule, which starts with no regex groups
            table.context._tls.reset()
            record = Record(symbols)
            # the second pass reads values remembered by the first
            first = [outcome(predicate, record) for predicate in compiled]
            per_evaluator.append(first + [outcome(predicate, record) for predicate in compiled])
        n = len(texts)
        interpreted, compiled_results = per_evaluator
        return [(interpreted[i], compiled_results[i]) for i in range(n)] + [
            (interpreted[n + i], compiled_results[n + i]) for i in range(n)
        ]


# -- expressions -------------------------------------------------------------------------

_NUM_ATTRS = ["attrs.n1", "attrs.n2", "attrs.i1", "derived.hour", "derived.dist", "history.reports_7d"]
_STR_ATTRS = ["attrs.s1", "attrs.s2", "status", "description", "location.village"]
_BOOL_ATTRS = ["attrs.b1", "attrs.b2", "derived.night", "history.rectified_before"]
_DT_ATTRS = ["attrs.t1", "attrs.t2", "reported_at", "occurred_at"]
_NUM_LITERALS = ["0", "1", "2", "3", "2.5", "0.1", "-1", "1e3", "0x10", "100", "0.0"]
_STR_LITERALS = ['"a"', '"东村"', '"closed"', '""', '"abc"', "'b1'"]


def _paren(text: str) -> str:
    return f"({text})"


def _level(below: dict[str, st.SearchStrategy[str]] | None) -> dict[str, st.SearchStrategy[str]]:
    """Strategies by result type whose operands come from ``below`` (leaves when ``None``)."""
    leaves = {
        "number": st.sampled_from(_NUM_ATTRS + _NUM_LITERALS),
        "string": st.sampled_from(_STR_ATTRS + _STR_LITERALS),
        "moment": st.sampled_from(
            [*_DT_ATTRS, 'd"2026-07-01"', 'd"2026-07-01T09:00:00+08:00"', 'd"2026-01-01T00:00:00Z"']
        ),
        "span": st.sampled_from(['t"P1D"', 't"PT2H"', 't"P30D"', "(attrs.t1 - attrs.t2)"]),
        "boolean": st.sampled_from([*_BOOL_ATTRS, "true", "false", *MACROS]),
    }
    if below is None:
        return leaves
    number, string, moment = below["number"], below["string"], below["moment"]
    span, boolean = below["span"], below["boolean"]
    compare = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])

    def joined(*parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.tuples(*parts).map(lambda t: _paren(" ".join(t)))

    def ternary(kind: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.tuples(boolean, kind, kind).map(lambda t: _paren(f"{t[0]} ? {t[1]} : {t[2]}"))

    return {
        "number": st.one_of(
            leaves["number"],
            joined(number, st.sampled_from(["+", "-", "*", "/", "//", "%", "**"]), number),
            number.map(lambda n: f"-{n}"),
            string.map(lambda s: f"{s}.length"),
            st.sampled_from(["attrs.ls.length", "attrs.lf.length", "attrs.lf[0]", "attrs.t1.year"]),
            st.sampled_from(["attrs.t1.hour", "(reported_at - attrs.t1).days", "(attrs.n1 ?? 1)"]),
            st.sampled_from(["$abs(attrs.n1)", "$e", "attrs.s1.to_flt", "levels[1]", "attrs.lf[1]"]),
            ternary(number),
            # null handled by the expression: an absent operand decides instead of being missing
            joined(number, st.just("??"), number),
            st.sampled_from(["(attrs&.n1 ?? 0)", "(attrs.i1 == null ? 0 : attrs.i1)", "(attrs.lf&[0] ?? 1)"]),
        ),
        "string": st.one_of(
            leaves["string"],
            joined(string, st.just("+"), string),
            string.map(lambda s: f"{s}.as_lower"),
            st.sampled_from(["attrs.ls[0]", "attrs.s1[1]", "villages[0]", "attrs.t1.weekday"]),
            ternary(string),
            joined(string, st.just("??"), string),
            st.sampled_from(['(location&.village ?? "")', "(attrs.ls&[0] ?? attrs.s1)"]),
        ),
        "moment": st.one_of(
            leaves["moment"],
            joined(moment, st.sampled_from(["+", "-"]), span),
            moment.map(lambda m: f"{m}.date"),
            ternary(moment),
        ),
        "span": st.one_of(
            leaves["span"],
            joined(moment, st.just("-"), moment),
            joined(span, st.sampled_from(["+", "-"]), span),
            span.map(lambda s: f"-{s}"),
        ),
        "boolean": st.one_of(
            leaves["boolean"],
            joined(number, compare, number),
            joined(string, compare, string),
            joined(moment, compare, moment),
            joined(span, compare, span),
            joined(boolean, compare, boolean),
            joined(string, st.sampled_from(["=~", "=~~", "!~", "!~~"]), st.sampled_from(REGEXES)),
            joined(string, st.sampled_from(["in", "not in"]), st.sampled_from(["villages", "attrs.ls"])),
            joined(
                number, st.sampled_from(["in", "not in"]), st.sampled_from(["levels", "attrs.lf", "[1, 2]"])
            ),
            joined(string, st.just("in"), string),
            joined(boolean, st.sampled_from(["and", "or"]), boolean),
            boolean.map(lambda b: f"not {b}"),
            ternary(boolean),
            st.sampled_from(["(attrs.b1 ?? false)", "attrs.ls == ['a']", "attrs.lf > [1]"]),
            st.sampled_from(['attrs.s1 =~ "(a)(b)?" and $re_groups[0] == "a"', "[attrs.n1, 1] == [1, 1]"]),
            st.sampled_from(["$re_groups.length > 0", "attrs.t1 > $now", "attrs.lf == levels"]),
            st.sampled_from(['attrs.s1 =~~ "(ab|b1)" and $re_groups.length > 0', 'attrs.s1 =~ "ab|b"']),
            st.one_of(number, string, moment, boolean).flatmap(
                lambda v: st.sampled_from([f"({v} == null)", f"({v} != null)", f"(null == {v})"])
            ),
            joined(boolean, st.just("??"), boolean),
            st.sampled_from(
                ["attrs&.b1 == true", "(attrs.n1 != null and attrs.n1 > 1)", "attrs&.s1 == null"]
            ),
            st.sampled_from(["(attrs.t1 == null ? false : attrs.t1 > reported_at)", "attrs.ls&[0] == 'a'"]),
        ),
    }


def expressions(depth: int = 3) -> st.SearchStrategy[str]:
    """Boolean expressions over the test symbols, up to ``depth`` levels of operators.

    Some are ill-typed on purpose; rule-engine rejects those when parsing.
    """
    levels = _level(None)
    for _ in range(depth):
        levels = _level(levels)
    return levels["boolean"]


# -- records ------------------------------------------------------------------------------

_AWARE = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(timezone.utc)
)
_NAIVE = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1))
_ODD = st.one_of(
    st.none(),
    st.sampled_from([math.nan, math.inf, -0.0, Decimal("NaN"), Decimal("1.5"), True, 0, "", "abc"]),
    st.lists(st.integers(-3, 3), max_size=2),
    st.dictionaries(st.sampled_from(["x", "y"]), st.integers(0, 2), max_size=2),
)
_MOMENTS = st.sampled_from(
    [
        datetime(2026, 7, 1, 9, tzinfo=ZONE),
        datetime(2026, 7, 1, 1, tzinfo=timezone.utc),
        datetime(2026, 7, 1),
        datetime(2026, 6, 1, 9, tzinfo=ZONE),
    ]
)
# small pools make equal operands (the edge of every comparison) common
_VALUES = {
    "string": st.sampled_from(["a", "abc", "b1", "东村", "", "x y", "无人员伤亡", "ab", "A"]),
    "float": st.one_of(
        st.sampled_from([0.0, 0.1, 1.0, 2.0, 2.5, 3.0, 100.0, -1.0, 1e-30]),
        st.floats(-100, 100, allow_nan=False),
    ),
    "int": st.one_of(st.sampled_from([0, 1, 2, 3, 10, 100, -1]), st.integers(-5, 100)),
    "bool": st.booleans(),
    "datetime": st.one_of(_MOMENTS, _MOMENTS, _AWARE, _NAIVE),
    "list[string]": st.lists(st.sampled_from(["a", "b", "东村"]), max_size=3),
    "list[float]": st.lists(st.one_of(st.integers(0, 3), st.sampled_from([1.0, 2.5])), max_size=3),
}


_ABSENT = object()


def _value(type_name: str) -> st.SearchStrategy[Any]:
    typed = _VALUES[type_name]
    clean = st.one_of(typed, typed, typed, typed, typed, typed, _ODD, st.just(_ABSENT))
    messy = st.one_of(typed, _ODD, st.just(_ABSENT))
    return st.one_of(clean, clean, messy)


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not _ABSENT}


def _optional_fields(fields: dict[str, str]) -> st.SearchStrategy[dict[str, Any]]:
    """Mostly values of the declared type; sometimes absent, null or of another type."""
    return st.fixed_dictionaries({name: _value(kind) for name, kind in fields.items()}).map(_present)


def records() -> st.SearchStrategy[dict[str, Any]]:
    """Record symbols: every field may be missing, null, of the declared type or of another."""
    return st.fixed_dictionaries(
        {
            "attrs": _optional_fields(ATTRS),
            "derived": _optional_fields(DERIVED),
            "history": _optional_fields({"reports_7d": "int", "rectified_before": "bool"}),
            "location": _optional_fields({"village": "string"}),
            "status": st.one_of(st.sampled_from(["new", "closed"]), _ODD, st.just(_ABSENT)),
            "description": _value("string"),
            "reported_at": st.one_of(_AWARE, _AWARE, _NAIVE, st.just(_ABSENT)),
            "occurred_at": st.one_of(_AWARE, st.none(), st.just(_ABSENT)),
        }
    ).map(_present)
