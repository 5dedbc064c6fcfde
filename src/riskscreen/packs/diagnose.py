"""Where in an expression rule-engine's positionless errors are, and what to change.

rule-engine reports a type mismatch as ``data type mismatch`` with no position, and an
invalid regular expression without saying what is wrong with it. These helpers find the
smallest part of the expression that fails (``attrs.cylinders > "2"``), say which types
met (a number and a string), and point at it, so the rule author is told exactly where
to look and what to change.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import rule_engine
from rule_engine import ast as re_ast

from ..engine.analysis import iter_nodes
from ..exprtext import node_text

__all__ = ["describe_engine_error"]


@functools.cache
def _plain() -> rule_engine.Context:
    """An untyped context, made on first use (rule-engine's parser is built only when needed)."""
    return rule_engine.Context()


_KINDS = {
    "FLOAT": "a number",
    "STRING": "a string",
    "BOOLEAN": "true/false",
    "DATETIME": "a date-time",
    "TIMEDELTA": "a duration",
    "NULL": "null",
    "ARRAY": "a list",
    "SET": "a set",
    "MAPPING": "a mapping",
}

_OPERATORS = re.compile(r"==|!=|>=|<=|=~~|=~|!~~|!~|[<>+\-*/%&|^]|\bin\b|\band\b|\bor\b")


def _kind(text: str, context: Any) -> str | None:
    """What kind of value ``text`` gives in ``context`` (None when it does not parse alone)."""
    try:
        result = rule_engine.Rule(text, context=context).statement.expression.result_type
    except Exception:
        return None
    name = getattr(result, "name", "")
    return _KINDS.get(str(name).upper(), str(name).lower() or None)


def _fails(text: str, context: Any) -> bool:
    try:
        rule_engine.Rule(text, context=context)
    except rule_engine.errors.EvaluationError:
        return True
    except Exception:
        return False
    return False


def _position(text: str, part: Any) -> int:
    """Where ``part`` is written in ``text``: its own text, else its left side before its operator."""
    written = node_text(part)
    found = text.find(written)
    if found >= 0:
        return found
    left = getattr(part, "left", None) or getattr(part, "member", None)
    if left is not None:
        left_text = node_text(left)
        for match in re.finditer(re.escape(left_text), text):
            rest = text[match.end() :].lstrip()
            if _OPERATORS.match(rest):
                return match.start()
    return 0


def _mismatch(text: str, context: Any) -> tuple[int, str] | None:
    try:
        tree = rule_engine.Rule(text, context=_plain()).statement.expression
    except Exception:
        return None
    candidates = [
        n
        for n in iter_nodes(tree)
        if isinstance(n, (re_ast.BinaryExpressionBase, re_ast.ContainsExpression, re_ast.UnaryExpression))
    ]
    # the innermost failing part: iter_nodes goes depth first, so test the deepest first
    for node in reversed(candidates):
        written = node_text(node)
        if not _fails(written, context):
            continue
        sides = [(getattr(node, a, None)) for a in ("left", "right", "member", "container")]
        kinds = [(node_text(s), _kind(node_text(s), context)) for s in sides if s is not None]
        described = " and ".join(f"{t} is {k}" for t, k in kinds if k is not None)
        detail = f": {described}" if described else ""
        message = (
            f"type mismatch in `{written}`{detail}; compare or combine values of the same type "
            "(quote text, leave numbers bare, check the declared attribute types)"
        )
        return _position(text, node), message
    return None


def _regex(text: str, exc: Any) -> tuple[int, str]:
    pattern = str(getattr(exc, "value", "") or "")
    error = getattr(exc, "error", None)
    reason = getattr(error, "msg", None) or str(error or "")
    at = getattr(error, "pos", None)
    start = text.find(pattern) if pattern else -1
    offset = start + (at or 0) if start >= 0 else 0
    where = f" at position {at}" if at is not None else ""
    return offset, f"invalid regular expression {pattern!r}: {reason}{where}"


def describe_engine_error(text: str, context: Any, exc: Exception) -> tuple[int, str] | None:
    """``(offset in text, message)`` for an error rule-engine raised without a position, or None."""
    if isinstance(exc, rule_engine.errors.RegexSyntaxError):
        return _regex(text, exc)
    if isinstance(exc, rule_engine.errors.EvaluationError) and "mismatch" in str(
        getattr(exc, "message", exc)
    ):
        return _mismatch(text, context)
    return None
