"""Can a condition ever hold? A small abstract evaluation of rule-engine's syntax tree.

Each condition comes out as always true, always false or "depends on the observation",
with the reason for the first two. It follows macros, folds ``and``/``or``/``not``, knows
the values a closed field can take (``status``, ``kind``, ``reporter.role``, ``category``
within the pack's ``applies_to``, attributes a plugin types with ``Literal``), and looks
across the conjuncts of an ``and`` for bounds and equalities on one field that cannot
all hold (``attrs.depth_m > 50 and attrs.depth_m < 30``). It errs on the side of
"depends": a condition it calls impossible is impossible.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rule_engine import ast as re_ast

from ..exprtext import literal_text, node_text

__all__ = ["Analyzer", "Verdict"]

_FLIP = {"gt": "lt", "ge": "le", "lt": "gt", "le": "ge", "eq": "eq", "ne": "ne"}
_NEGATE = {
    "gt": "le",
    "ge": "lt",
    "lt": "ge",
    "le": "gt",
    "eq": "ne",
    "ne": "eq",
    "in": "notin",
    "notin": "in",
}


@dataclass(frozen=True)
class Verdict:
    """``holds`` is True (always), False (never) or None (depends); ``reason`` explains the first two."""

    holds: bool | None
    reason: str = ""


@dataclass(frozen=True)
class _Atom:
    path: str
    op: str  # eq ne gt ge lt le in notin
    value: Any  # a literal, or a frozenset for in / notin
    text: str


@dataclass
class _Facts:
    """What the conjuncts so far say about one field, each fact with the clause that said it."""

    equal: tuple[Any, str] | None = None
    unequal: list[tuple[Any, str]] = field(default_factory=list)
    within: tuple[frozenset[Any], str] | None = None
    excluded: list[tuple[frozenset[Any], str]] = field(default_factory=list)
    lower: tuple[Any, bool, str] | None = None  # value, inclusive, clause
    upper: tuple[Any, bool, str] | None = None


def _path(node: Any) -> str | None:
    if isinstance(node, re_ast.SymbolExpression) and not node.scope:
        return str(node.name)
    if isinstance(node, re_ast.GetAttributeExpression) and not getattr(node, "safe", False):
        parent = _path(node.object)
        return f"{parent}.{node.name}" if parent else None
    return None


def _literal(node: Any) -> tuple[bool, Any]:
    if isinstance(node, (re_ast.FloatExpression, re_ast.StringExpression, re_ast.BooleanExpression)):
        return True, node.value
    return False, None


def _number(value: Any) -> bool:
    return isinstance(value, decimal.Decimal) and not value.is_nan()


class Analyzer:
    """Decides conditions for one pack: its macros, lists and the closed fields' values."""

    def __init__(
        self,
        macros: Mapping[str, Any],
        lists: Mapping[str, frozenset[Any]],
        domains: Mapping[str, frozenset[str]],
    ) -> None:
        self.macros = macros
        self.lists = lists
        self.domains = domains
        self._active: set[str] = set()

    def verdict(self, node: Any) -> Verdict:
        """Whether ``node`` always holds, never holds, or depends on the observation."""
        if node is None:
            return Verdict(None)
        if isinstance(node, re_ast.BooleanExpression):
            return Verdict(bool(node.value), f"`{literal_text(bool(node.value))}` is a constant")
        if isinstance(node, re_ast.LogicExpression):
            return self._and(node) if node.type == "and" else self._or(node)
        if isinstance(node, re_ast.UnaryExpression) and node.type == "not":
            inner = self.verdict(node.right)
            if inner.holds is None:
                return inner
            return Verdict(not inner.holds, inner.reason)
        macro = self._macro(node)
        if macro is not None:
            name, tree = macro
            self._active.add(name)
            try:
                inner = self.verdict(tree)
            finally:
                self._active.discard(name)
            return Verdict(inner.holds, f"{inner.reason} (in macro {name})" if inner.reason else "")
        atom = self.atom(node)
        if atom is not None:
            return self._closed(atom)
        return Verdict(None)

    def _macro(self, node: Any) -> tuple[str, Any] | None:
        if isinstance(node, re_ast.SymbolExpression) and not node.scope:
            name = str(node.name)
            if name in self.macros and name not in self._active and self.macros[name] is not None:
                return name, self.macros[name]
        return None

    def _or(self, node: Any) -> Verdict:
        left, right = self.verdict(node.left), self.verdict(node.right)
        if left.holds is True or right.holds is True:
            return left if left.holds is True else right
        if left.holds is False and right.holds is False:
            return Verdict(False, f"neither alternative can hold: {left.reason}; {right.reason}")
        return Verdict(None)

    def _and(self, node: Any) -> Verdict:
        parts = self._conjuncts(node)
        verdicts = [self.verdict(part) for part in parts]
        for verdict in verdicts:
            if verdict.holds is False:
                return verdict
        facts: dict[str, _Facts] = {}
        for part in parts:
            atom = self.atom(part)
            if atom is not None:
                clash = _add(facts.setdefault(atom.path, _Facts()), atom)
                if clash is not None:
                    return Verdict(False, f"`{clash}` and `{atom.text}` cannot both hold")
        if all(v.holds is True for v in verdicts):
            return Verdict(True, "; ".join(v.reason for v in verdicts))
        return Verdict(None)

    def _conjuncts(self, node: Any) -> list[Any]:
        if isinstance(node, re_ast.LogicExpression) and node.type == "and":
            return self._conjuncts(node.left) + self._conjuncts(node.right)
        macro = self._macro(node)
        if macro is not None:
            name, tree = macro
            self._active.add(name)
            try:
                return self._conjuncts(tree)
            finally:
                self._active.discard(name)
        return [node]

    def atom(self, node: Any) -> _Atom | None:
        """``node`` as a fact about one field (``attrs.x > 3``, ``status in [...]``, ``not attrs.ok``)."""
        text = node_text(node)
        if isinstance(node, re_ast.UnaryExpression) and node.type == "not":
            inner = self.atom(node.right)
            if inner is None:
                return None
            return _Atom(inner.path, _NEGATE[inner.op], inner.value, text)
        if isinstance(node, re_ast.ComparisonExpression) and node.type in _FLIP:
            left, right = _path(node.left), _path(node.right)
            is_literal, value = _literal(node.right)
            if left is not None and is_literal and left not in self.macros:
                return _Atom(left, node.type, value, text)
            is_literal, value = _literal(node.left)
            if right is not None and is_literal and right not in self.macros:
                return _Atom(right, _FLIP[node.type], value, text)
            return None
        if isinstance(node, re_ast.ContainsExpression):
            member = _path(node.member)
            values = self._values(node.container)
            if member is not None and values is not None and member not in self.macros:
                return _Atom(member, "in", values, text)
            return None
        path = _path(node)
        if path is not None and path not in self.macros and path not in self.lists:
            return _Atom(path, "eq", True, text)  # a bare boolean field
        return None

    def _values(self, node: Any) -> frozenset[Any] | None:
        if isinstance(node, re_ast.ArrayExpression):
            found = [_literal(v) for v in node.value]
            return frozenset(v for ok, v in found) if all(ok for ok, _ in found) else None
        name = _path(node)
        return self.lists.get(name) if name is not None else None

    def _closed(self, atom: _Atom) -> Verdict:
        domain = self.domains.get(atom.path)
        if domain is None:
            return Verdict(None)
        allowed = ", ".join(sorted(domain))
        if atom.op == "eq" and isinstance(atom.value, str) and atom.value not in domain:
            return Verdict(False, f"`{atom.text}` is never true: {atom.path} is one of {allowed}")
        if atom.op == "in" and not (atom.value & domain):
            return Verdict(False, f"`{atom.text}` is never true: {atom.path} is one of {allowed}")
        return Verdict(None)


def _add(facts: _Facts, atom: _Atom) -> str | None:
    """Record ``atom``; return the earlier clause it contradicts, if any."""
    value = atom.value
    if atom.op == "eq":
        if facts.equal is not None and facts.equal[0] != value:
            return facts.equal[1]
        for other, text in facts.unequal:
            if other == value:
                return text
        if facts.within is not None and value not in facts.within[0]:
            return facts.within[1]
        clash = _outside_bounds(facts, value)
        if clash is not None:
            return clash
        facts.equal = (value, atom.text)
    elif atom.op == "ne":
        if facts.equal is not None and facts.equal[0] == value:
            return facts.equal[1]
        facts.unequal.append((value, atom.text))
    elif atom.op == "in":
        if facts.equal is not None and facts.equal[0] not in value:
            return facts.equal[1]
        allowed = value if facts.within is None else facts.within[0] & value
        if not allowed and facts.within is not None:
            return facts.within[1]
        for excluded, text in facts.excluded:
            allowed = allowed - excluded
            if not allowed:
                return text
        facts.within = (allowed, atom.text)
    elif atom.op == "notin":
        if facts.equal is not None and facts.equal[0] in value:
            return facts.equal[1]
        if facts.within is not None and facts.within[0] <= value:
            return facts.within[1]
        facts.excluded.append((value, atom.text))
    elif _number(value):
        return _bound(facts, atom)
    return None


def _outside_bounds(facts: _Facts, value: Any) -> str | None:
    if not _number(value):
        return None
    if facts.lower is not None:
        low, inclusive, text = facts.lower
        if value < low or (value == low and not inclusive):
            return text
    if facts.upper is not None:
        high, inclusive, text = facts.upper
        if value > high or (value == high and not inclusive):
            return text
    return None


def _bound(facts: _Facts, atom: _Atom) -> str | None:
    value, inclusive = atom.value, atom.op in ("ge", "le")
    if atom.op in ("gt", "ge"):
        if facts.lower is None or value > facts.lower[0] or (value == facts.lower[0] and not inclusive):
            facts.lower = (value, inclusive, atom.text)
    elif facts.upper is None or value < facts.upper[0] or (value == facts.upper[0] and not inclusive):
        facts.upper = (value, inclusive, atom.text)
    if facts.lower is not None and facts.upper is not None:
        low, low_in, low_text = facts.lower
        high, high_in, high_text = facts.upper
        if low > high or (low == high and not (low_in and high_in)):
            return low_text if atom.text == high_text else high_text
    if facts.equal is not None and _outside_bounds(facts, facts.equal[0]) is not None:
        return facts.equal[1]
    return None
