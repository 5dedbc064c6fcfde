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

Functions here walk rule-engine's trees. Screening with the compiler runs the same reading
as generated code instead (:mod:`~riskscreen.engine.settling`, built from :func:`plan` when
a rule is loaded), so a rule set read from the cache settles rules without parsing them.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Mapping, Sequence
from typing import Any

from . import internals
from .evaluator import ParsedExpression
from .record import MissingValueError, Record
from .symbols import READ_ROOTS

__all__ = ["AND", "LEAF", "OR", "Plan", "branches", "cannot_fire", "plan", "settled"]

_MAX_DEPTH = 50


def settled(
    expression: ParsedExpression, macros: Mapping[str, ParsedExpression], record: Record
) -> bool | None:
    """The value of ``expression`` for ``record``: ``True``, ``False`` or ``None`` (unknown)."""
    rule = expression.rule
    internals.reset_regex_groups(rule.context)
    with decimal.localcontext(rule.context.decimal_context):
        return _run(plan(expression, macros), record)


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
    if branches(when, macros) and settled(when, macros, record) is False:
        return True
    return unless is not None and settled(unless, macros, record) is True


# A plan is the condition's and/or skeleton with macros inlined, built once per expression:
# (AND, left, right), (OR, left, right) or (LEAF, node, paths the clause needs, rule, steps,
# macros), where the clause's node is found in ``rule``'s tree by following ``steps`` ("left"
# or "right") from its expression (the rule is the condition's or an inlined macro's), and
# ``macros`` names the macros it was reached through.
Plan = tuple[Any, ...]
AND, OR, LEAF = "and", "or", "leaf"
#: Plans and and/or answers by expression identity; the objects are kept so ids are not reused.
_PLANS: dict[tuple[int, int], tuple[ParsedExpression, Mapping[str, ParsedExpression], Plan]] = {}
_BRANCHES: dict[tuple[int, int], tuple[ParsedExpression, Mapping[str, ParsedExpression], bool]] = {}
_CACHE_LIMIT = 100_000  # rule sets come and go in long-lived processes


def plan(expression: ParsedExpression, macros: Mapping[str, ParsedExpression], *, keep: bool = True) -> Plan:
    """The three-valued reading of ``expression``: its and/or skeleton, macros inlined (parses it).

    ``keep``: remember it for the next call (code generated once per rule need not).
    """
    key = (id(expression), id(macros))
    entry = _PLANS.get(key)
    if entry is None or entry[0] is not expression or entry[1] is not macros:
        rule = expression.rule
        built = _build(rule.statement.expression, macros, (), 0, rule, ())
        if not keep:
            return built
        if len(_PLANS) > _CACHE_LIMIT:
            _PLANS.clear()
        entry = _PLANS[key] = (expression, macros, built)
    return entry[2]


def _build(
    node: Any,
    macros: Mapping[str, ParsedExpression],
    via: Sequence[str],
    depth: int,
    rule: Any,
    steps: tuple[str, ...],
) -> Plan:
    # imported here: screening from the cache avoids rule-engine's syntax tree classes
    from rule_engine import ast as re_ast

    from ..exprtext import node_text
    from .analysis import expression_paths

    if depth <= _MAX_DEPTH:
        if isinstance(node, re_ast.LogicExpression):
            kind = AND if node.type == "and" else OR
            return (
                kind,
                _build(node.left, macros, via, depth + 1, rule, (*steps, "left")),
                _build(node.right, macros, via, depth + 1, rule, (*steps, "right")),
            )
        if isinstance(node, re_ast.SymbolExpression) and not node.scope:
            name = str(node.name)
            macro = macros.get(name)
            if macro is not None and name not in via:
                inner = macro.rule.statement.expression
                return _build(inner, macros, [*via, name], depth + 1, macro.rule, ())
    text = node_text(node)
    # a clause that handles null itself decides on an absent value: let rule-engine say
    needed = () if any(mark in text for mark in _NULL_HANDLING) else tuple(expression_paths(node, READ_ROOTS))
    return (LEAF, node, needed, rule, steps, tuple(via))


def _run(step: Plan, record: Record) -> bool | None:
    kind = step[0]
    if kind is AND:
        left = _run(step[1], record)
        if left is False:
            return False
        right = _run(step[2], record)
        if right is False:
            return False
        return True if left is True and right is True else None
    if kind is OR:
        left = _run(step[1], record)
        if left is True:
            return True
        right = _run(step[2], record)
        if left is False:
            return right
        # unknown or true stays unknown: a rule never fires on a missing value
        return None
    for path in step[2]:
        if record.is_missing(path):
            return None  # rule-engine would stop at the missing value; asking it costs more
    try:
        return bool(step[1].evaluate(record))
    except MissingValueError:
        return None
    except Exception:  # a clause that fails otherwise settles nothing; the rule stays undecided
        return None


def branches(
    expression: ParsedExpression, macros: Mapping[str, ParsedExpression], *, keep: bool = True
) -> bool:
    """Whether a condition has an ``and`` / ``or`` (through macros) that could settle it.

    Read from the text, not the tree: a rule set from the cache parses a tree only when it
    must, and most undecided rules are a single clause. A word inside a string literal only
    costs a needless look at the tree. ``keep`` as for :func:`plan`.
    """
    key = (id(expression), id(macros))
    entry = _BRANCHES.get(key)
    if entry is None or entry[0] is not expression or entry[1] is not macros:
        found = _text_branches(expression.text, macros)
        if not keep:
            return found
        if len(_BRANCHES) > _CACHE_LIMIT:
            _BRANCHES.clear()
        entry = _BRANCHES[key] = (expression, macros, found)
    return entry[2]


_LOGIC = re.compile(r"\b(?:and|or)\b")


def _text_branches(text: str, macros: Mapping[str, ParsedExpression]) -> bool:
    pending, seen = [text], set()
    while pending:
        current = pending.pop()
        if _LOGIC.search(current):
            return True
        for name, macro in macros.items():
            if name not in seen and re.search(rf"\b{re.escape(name)}\b", current):
                seen.add(name)
                pending.append(macro.text)
    return False


_NULL_HANDLING = ("null", "??", "&.", "&[")
