"""The evaluator interface, and the interpreter that implements it with rule-engine.

Rules are parsed and type-checked once at load time into :class:`ParsedExpression`.
An :class:`Evaluator` turns each into a :data:`Predicate`, a plain callable on a
:class:`~riskscreen.engine.record.Record`. The interpreter walks rule-engine's tree; a
compiler can replace it without touching loading or scoring.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from .record import Record

__all__ = ["Evaluator", "Interpreter", "ParsedExpression", "Predicate"]

#: A compiled expression: its value for one record. Raises
#: :class:`~riskscreen.engine.record.MissingValueError` when it reads a value the record lacks.
Predicate = Callable[[Record], Any]


@dataclass(frozen=True)
class ParsedExpression:
    """An expression parsed and type-checked by rule-engine.

    ``paths`` are the observation paths it reads, including those read through macros.
    ``name`` says what it is (``WELL-001 when``, ``macro unpermitted``) and ``location``
    where it is written (``rules/well_drilling.yaml:12``); compiled code is named after them.
    """

    text: str
    rule: Any
    paths: tuple[str, ...]
    name: str = ""
    location: str = ""


class Evaluator(Protocol):
    """Turns parsed expressions into predicates."""

    name: str

    def compile(self, expression: ParsedExpression, *, nested: bool = False) -> Predicate:
        """A predicate for ``expression``; ``nested`` for macros evaluated inside a rule."""
        ...


class Interpreter:
    """Evaluates by walking rule-engine's syntax tree."""

    name = "interpreter"

    def compile(self, expression: ParsedExpression, *, nested: bool = False) -> Predicate:
        """A predicate that asks rule-engine for the value of the expression."""
        rule = expression.rule
        if nested:
            # Rule.evaluate resets per-thread state (comprehension scopes) that the
            # enclosing rule is still using, so a macro evaluates its statement directly.
            return rule.statement.evaluate  # type: ignore[no-any-return]
        return rule.evaluate  # type: ignore[no-any-return]
