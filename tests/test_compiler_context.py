"""The compiled code reads the decimal context and time zones the way rule-engine does.

Compiled arithmetic runs under the context the caller has when it evaluates (as the
interpreter does), not a copy taken when the rule was compiled; and a symbol table whose
default zone cannot be hashed (``dateutil.tz.tzlocal()``) is compiled, not interpreted.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import rule_engine
from dateutil import tz

from riskscreen.engine.compiler import Compiler, source_of
from riskscreen.engine.evaluator import Interpreter, ParsedExpression
from riskscreen.engine.record import Record
from riskscreen.engine.symbols import SymbolTable
from riskscreen.packs.attrtypes import AttrType

from .compiler_support import make_table, outcome


@pytest.fixture
def thread_context() -> Iterator[decimal.Context]:
    """The thread's decimal context, restored afterwards (tests change it in place)."""
    context = decimal.getcontext()
    saved = context.copy()
    yield context
    context.prec, context.rounding, context.Emin, context.Emax = (
        saved.prec,
        saved.rounding,
        saved.Emin,
        saved.Emax,
    )
    context.traps.update(saved.traps)
    context.clear_flags()


def both(text: str, record: dict[str, Any]) -> tuple[Any, Any]:
    """What the compiler and the interpreter give for ``text`` on ``record``."""
    outcomes = []
    for evaluator in (Compiler(), Interpreter()):
        table = make_table(evaluator)
        parsed = ParsedExpression(text, rule_engine.Rule(text, context=table.context), ())
        outcomes.append(outcome(evaluator.compile(parsed), Record(record)))
    return outcomes[0], outcomes[1]


def test_division_follows_the_precision_set_after_compiling(thread_context: decimal.Context) -> None:
    text = "attrs.n1 / attrs.n2 == 0.33333"
    table = make_table(Compiler())
    predicate = Compiler().compile(ParsedExpression(text, rule_engine.Rule(text, context=table.context), ()))
    record = {"attrs": {"n1": 1.0, "n2": 3.0}}
    assert predicate(Record(record)) is False  # 28 digits
    thread_context.prec = 5
    assert predicate(Record(record)) is True
    compiled, interpreted = both(text, record)
    assert compiled == interpreted == ("value", "bool", True)


@pytest.mark.parametrize("trapping_at_compile", [True, False])
def test_comparing_with_nan_under_a_non_trapping_context(
    thread_context: decimal.Context, trapping_at_compile: bool
) -> None:
    """0/0 is NaN once InvalidOperation is not trapped, whatever the traps were at compile time."""
    thread_context.traps[decimal.InvalidOperation] = trapping_at_compile
    record = {"attrs": {"n1": 0.0, "n2": 0.0, "i1": 1}}
    texts = (
        "attrs.i1 < attrs.n1 / attrs.n2",
        "attrs.n1 / attrs.n2 == attrs.n1 / attrs.n2",
        "attrs.n1 / attrs.n2 != 1",
    )
    pairs = []
    for text in texts:
        for evaluator in (Compiler(), Interpreter()):
            table = make_table(evaluator)
            parsed = ParsedExpression(text, rule_engine.Rule(text, context=table.context), ())
            pairs.append((text, evaluator.compile(parsed)))
    thread_context.traps[decimal.InvalidOperation] = False
    for i in range(0, len(pairs), 2):
        (text, compiled), (_, interpreted) = pairs[i], pairs[i + 1]
        assert outcome(compiled, Record(record)) == outcome(interpreted, Record(record)), text


def test_an_unhashable_time_zone_does_not_make_the_compiler_fall_back() -> None:
    zone = tz.tzlocal()
    table = SymbolTable(
        category="t",
        attrs={"t1": AttrType("datetime"), "n1": AttrType("float")},
        derived={},
        lists={},
        macro_names=(),
        timezone=zone,
    )
    text = 'attrs.n1 > 2 and attrs.t1 > d"2026-01-01"'
    compiler = Compiler()
    predicate = compiler.compile(ParsedExpression(text, rule_engine.Rule(text, context=table.context), ()))
    assert source_of(predicate) is not None and compiler.interpreted == 0
    record = Record({"attrs": {"n1": 3.0, "t1": datetime(2026, 3, 1, 8, 0)}})
    assert predicate(record) is True
    assert (
        Interpreter().compile(ParsedExpression(text, rule_engine.Rule(text, context=table.context), ()))(
            record
        )
        is True
    )
