"""Which clause of a condition decided it, found by walking rule-engine's syntax tree.

``a and b`` is decided by its first false side, ``a or b`` by its first true side, and
when every side had to be looked at, by all of them. Macros are followed into their own
expressions, so a rule written ``unpermitted and deep`` is explained by the clause inside
``unpermitted`` that held or failed. Each clause is evaluated on its own against the same
record the screener used, with the same "missing value" rule: a value the observation
lacks leaves the clause undecided rather than false.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rule_engine import ast as re_ast

from ..engine import internals
from ..engine.analysis import expression_paths
from ..engine.evaluator import ParsedExpression
from ..engine.record import MissingValueError, Record
from ..engine.symbols import READ_ROOTS
from ..exprtext import node_text
from .model import Clause

__all__ = ["Decision", "Tracer", "plain_value"]

_MAX_DEPTH = 50


@dataclass
class Decision:
    """What a condition came to (``None``: undecided) and the clauses that decided it."""

    holds: bool | None
    clauses: list[Clause] = field(default_factory=list)


def plain_value(value: Any) -> Any:
    """A value as JSON and people read it: Decimals become numbers, mappings stay mappings."""
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (list, tuple)):
        return [plain_value(v) for v in value]
    return value


class Tracer:
    """Decides conditions clause by clause for one record."""

    def __init__(self, record: Record, macros: Mapping[str, ParsedExpression]) -> None:
        self.record = record
        self.macros = macros

    def decide(self, expression: ParsedExpression) -> Decision:
        """The decision for a whole ``when`` or ``unless`` expression."""
        rule = expression.rule
        internals.reset_regex_groups(rule.context)
        with decimal.localcontext(rule.context.decimal_context):
            return self._decide(rule.statement.expression, (), 0)

    def _decide(self, node: Any, via: Sequence[str], depth: int) -> Decision:
        if depth > _MAX_DEPTH:
            return self._leaf(node, via)
        if isinstance(node, re_ast.LogicExpression):
            # ``and`` is settled by a false side, ``or`` by a true one. An undecided side
            # leaves it undecided unless the other side of an ``and`` is false: then it
            # cannot hold whatever the missing value is (engine.kleene, as screening reads it).
            settles = node.type != "and"
            left = self._decide(node.left, via, depth + 1)
            if left.holds is settles:
                return left
            right = self._decide(node.right, via, depth + 1)
            if left.holds is None:
                return right if right.holds is False and not settles else left
            if right.holds is None or right.holds is settles:
                return right
            return Decision(right.holds, left.clauses + right.clauses)
        if isinstance(node, re_ast.SymbolExpression) and not node.scope:
            macro = self.macros.get(str(node.name))
            if macro is not None and str(node.name) not in via:
                inner = macro.rule.statement.expression
                return self._decide(inner, [*via, str(node.name)], depth + 1)
        return self._leaf(node, via)

    def _leaf(self, node: Any, via: Sequence[str]) -> Decision:
        text = node_text(node)
        paths = expression_paths(node, READ_ROOTS)
        values = {p: plain_value(self.record.lookup(p)) for p in paths if not self.record.is_missing(p)}
        missing = [p for p in paths if self.record.is_missing(p)]
        try:
            holds: bool | None = bool(node.evaluate(self.record))
            error = None
        except MissingValueError as exc:
            holds, error = None, None
            if exc.path not in missing:
                missing.append(exc.path)
        except Exception as exc:  # a failing clause is reported, not raised
            holds, error = None, str(getattr(exc, "message", "") or exc) or type(exc).__name__
        clause = Clause(text=text, holds=holds, macros=list(via), values=values, missing=missing, error=error)
        return Decision(holds, [clause])
