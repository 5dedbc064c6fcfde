"""Settling a condition that read a missing value, when the values it has already decide it.

rule-engine stops at the first missing value it reads, so ``a and b`` with ``a`` missing is
undecided even when ``b`` is false. Such a rule cannot fire whatever ``a`` turns out to be
(false ``and`` anything is false), so it must not make a record undecided: people would be
sent to collect a value that changes nothing.

This module reads ``and`` / ``or`` (through macros) with three values — true, false and
unknown — but only ever concludes *cannot fire*: an ``or`` whose known side is true while
the other is unknown stays unknown, so a rule never fires on a value the report lacks.
It runs only for rules that already hit a missing value, so screening complete reports
costs nothing more. :class:`~riskscreen.explain.trace.Tracer` follows the same reading, so
``explain`` names the false clause that settled the rule.
"""

from __future__ import annotations

import decimal
import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

from . import internals
from .evaluator import ParsedExpression
from .record import MissingValueError, Record

__all__ = ["cannot_fire", "settled"]

_MAX_DEPTH = 50


def settled(
    expression: ParsedExpression, macros: Mapping[str, ParsedExpression], record: Record
) -> bool | None:
    """The value of ``expression`` for ``record``: ``True``, ``False`` or ``None`` (unknown)."""
    rule = expression.rule
    internals.reset_regex_groups(rule.context)
    with decimal.localcontext(rule.context.decimal_context):
        return _value(rule.statement.expression, macros, record, (), 0)


def cannot_fire(
    when: ParsedExpression,
    unless: ParsedExpression | None,
    macros: Mapping[str, ParsedExpression],
    record: Record,
) -> bool:
    """Whether a rule is certain not to fire on ``record`` although it read a missing value.

    A rule fires when ``when`` holds and ``unless`` does not: it cannot fire when its
    ``when`` is false, or when its ``unless`` holds, whatever the missing value is.
    """
    macro_texts = tuple(sorted((name, macro.text) for name, macro in macros.items()))
    if _branches(when.text, macro_texts) and settled(when, macros, record) is False:
        return True
    return unless is not None and settled(unless, macros, record) is True


_LOGIC = re.compile(r"\b(?:and|or)\b")


@functools.lru_cache(maxsize=4096)
def _branches(text: str, macros: tuple[tuple[str, str], ...]) -> bool:
    """Whether a condition's text has an ``and`` / ``or`` (through macros) that could settle it.

    Read from the text, not the tree: a rule set from the cache parses a tree only when it
    must, and most undecided rules are a single clause. A word inside a string literal only
    costs a needless look at the tree.
    """
    pending, seen = [text], set()
    while pending:
        current = pending.pop()
        if _LOGIC.search(current):
            return True
        for name, macro_text in macros:
            if name not in seen and re.search(rf"\b{re.escape(name)}\b", current):
                seen.add(name)
                pending.append(macro_text)
    return False


def _value(
    node: Any, macros: Mapping[str, ParsedExpression], record: Record, via: Sequence[str], depth: int
) -> bool | None:
    from rule_engine import ast as re_ast  # imported here: screening from the cache avoids it

    if depth <= _MAX_DEPTH:
        if isinstance(node, re_ast.LogicExpression):
            left = _value(node.left, macros, record, via, depth + 1)
            if node.type == "and":
                if left is False:
                    return False
                right = _value(node.right, macros, record, via, depth + 1)
                if right is False:
                    return False
                return True if left is True and right is True else None
            if left is True:
                return True
            right = _value(node.right, macros, record, via, depth + 1)
            if left is False:
                return right
            # unknown or true stays unknown: a rule never fires on a missing value
            return False if right is False and left is False else None
        if isinstance(node, re_ast.SymbolExpression) and not node.scope:
            name = str(node.name)
            macro = macros.get(name)
            if macro is not None and name not in via:
                inner = macro.rule.statement.expression
                return _value(inner, macros, record, [*via, name], depth + 1)
    try:
        return bool(node.evaluate(record))
    except MissingValueError:
        return None
    except Exception:  # a clause that fails otherwise settles nothing; the rule stays undecided
        return None
