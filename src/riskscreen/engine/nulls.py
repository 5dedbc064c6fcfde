"""Reads that handle an absent value themselves: ``??``, ``&.``, ``== null``, ``!= null``.

A value the observation lacks normally makes a rule *insufficient*: the read raises
:class:`~riskscreen.engine.record.MissingValueError`. An expression that says what to do
without the value decides instead, reading it as ``null``:

- the left operand of ``??`` (``attrs.depth_m ?? 0``), and its right operand when the
  ``??`` itself sits in such a place (``attrs.a ?? attrs.b ?? 0``);
- safe navigation, ``x&.y`` and ``x&[i]``: ``x`` may be absent, and ``x&.y`` is null when
  ``y`` is;
- an operand compared with the ``null`` literal by ``==`` or ``!=``;
- a branch of a ternary that sits in such a place (the condition is an ordinary read, so
  ``attrs.x == null ? 0 : attrs.x`` decides through its ``== null``).

Everywhere else a read still needs the value. :func:`mark_null_handling` marks the reads
in those places once per parsed rule by switching their class to a subclass whose
``evaluate`` turns ``MissingValueError`` into ``None``; the interpreter, the compiler's
in-place nodes and its generated code (which loads such paths with
:func:`~riskscreen.engine.runtime.load_optional`) therefore agree.
"""

from __future__ import annotations

from typing import Any

from rule_engine import ast as re_ast

from .analysis import _children
from .record import MissingValueError

__all__ = ["NullableAttribute", "NullableSymbol", "is_nullable_read", "mark_null_handling"]


class NullableSymbol(re_ast.SymbolExpression):  # type: ignore[misc]
    """An observation field read where an absent value is null, not missing."""

    __slots__ = ()

    def evaluate(self, thing: Any) -> Any:
        """The field's value, or ``None`` when the observation lacks it."""
        try:
            return super().evaluate(thing)
        except MissingValueError:
            return None


class NullableAttribute(re_ast.GetAttributeExpression):  # type: ignore[misc]
    """An attribute read (``attrs.x``, ``attrs&.x``) where an absent value is null."""

    __slots__ = ()

    def evaluate(self, thing: Any) -> Any:
        """The attribute's value, or ``None`` when any part of the path is absent."""
        try:
            return super().evaluate(thing)
        except MissingValueError:
            return None


def is_nullable_read(node: Any) -> bool:
    """Whether ``node`` is a read marked to give null for an absent value."""
    return isinstance(node, (NullableSymbol, NullableAttribute))


def _is_null(node: Any) -> bool:
    return isinstance(node, re_ast.NullExpression)


def mark_null_handling(statement: Any, plain_names: frozenset[str] = frozenset()) -> None:
    """Mark the reads of a parsed rule that handle an absent value themselves.

    ``plain_names`` are top-level symbols that are not observation fields (lists, macros,
    functions): reading them never gives null.
    """
    _mark(statement.expression, False, plain_names)


def _mark(node: Any, tolerant: bool, plain: frozenset[str]) -> None:
    kind = type(node)
    if kind is re_ast.SymbolExpression:
        if tolerant and node.scope is None and node.name not in plain:
            node.__class__ = NullableSymbol
        return
    if kind is re_ast.GetAttributeExpression:
        if tolerant or node.safe:
            node.__class__ = NullableAttribute
        _mark(node.object, bool(node.safe), plain)
        return
    if kind is re_ast.CoalesceExpression:
        _mark(node.left, True, plain)
        _mark(node.right, tolerant, plain)
        return
    if kind is re_ast.ComparisonExpression and (_is_null(node.left) or _is_null(node.right)):
        _mark(node.left, True, plain)
        _mark(node.right, True, plain)
        return
    if kind is re_ast.TernaryExpression:
        _mark(node.condition, False, plain)
        _mark(node.case_true, tolerant, plain)
        _mark(node.case_false, tolerant, plain)
        return
    if kind is re_ast.GetItemExpression and node.safe:
        _mark(node.container, True, plain)
        _mark(node.item, False, plain)
        return
    for child in _children(node):
        for item in child if isinstance(child, (list, tuple)) else (child,):
            if isinstance(item, re_ast.ASTNodeBase):
                _mark(item, False, plain)
