"""Static facts about a parsed expression: the symbols and dotted paths it reads.

The paths name what a rule needs (``attrs.depth_m``); they are reported as *missing* when
an observation lacks them and as the *values read* on a finding.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rule_engine import ast as re_ast

from . import internals

__all__ = ["expression_paths", "expression_symbols", "iter_nodes"]

_SKIP = frozenset({"context", internals.OBJECT_TYPE_ATTRIBUTE, "result_type", "comment"})


def _children(node: Any) -> Iterator[Any]:
    seen: set[str] = set()
    for cls in type(node).__mro__:
        for slot in getattr(cls, "__slots__", ()):
            if slot in _SKIP or slot in seen:
                continue
            seen.add(slot)
            yield getattr(node, slot, None)
    for name, value in getattr(node, "__dict__", {}).items():
        if name not in _SKIP and name not in seen:
            yield value


def iter_nodes(node: Any) -> Iterator[Any]:
    """Every AST node under ``node`` (a Statement or an expression), depth first."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (re_ast.ASTNodeBase,)):
            yield current
            stack.extend(reversed(list(_children(current))))
        elif isinstance(current, (list, tuple)):
            stack.extend(reversed(current))


def _path_of(node: Any) -> str | None:
    if isinstance(node, re_ast.SymbolExpression):
        return None if node.scope else str(node.name)
    if isinstance(node, re_ast.GetAttributeExpression):
        parent = _path_of(node.object)
        if parent is None or internals.object_type(node) is None:
            # a builtin attribute of a value (``.length``, ``.days``) reads only the value
            return parent
        return f"{parent}.{node.name}"
    return None


def expression_symbols(statement: Any) -> set[str]:
    """Names of the top-level symbols an expression refers to (no builtins)."""
    return {
        str(n.name) for n in iter_nodes(statement) if isinstance(n, re_ast.SymbolExpression) and not n.scope
    }


def expression_paths(statement: Any, known_roots: frozenset[str]) -> list[str]:
    """The longest dotted paths read from the observation, in the order they appear.

    ``attrs.depth_m > 3`` reads ``attrs.depth_m``; a bare ``category`` reads ``category``.
    Roots outside ``known_roots`` (lists, macros, comprehension variables) are left out.
    """
    paths: list[str] = []
    inner: set[int] = set()
    for node in iter_nodes(statement):
        if id(node) in inner:
            continue
        path = _path_of(node)
        if path is None:
            continue
        # mark the parents of this chain as covered so only the longest path is kept
        child = node
        while isinstance(child, re_ast.GetAttributeExpression):
            child = child.object
            inner.add(id(child))
        if path.split(".", 1)[0] in known_roots and path not in paths:
            paths.append(path)
    return paths
