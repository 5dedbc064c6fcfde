"""Rule expressions written back as text, from rule-engine's syntax tree.

rule-engine keeps no source positions in its tree, so the explanation of a rule and the
linter's messages show a clause by writing its node back in the rule language:
``attrs.depth_m > 50``, ``not attrs.has_permit``, ``attrs.zone in protected_zones``. The
text is normalised (spacing, quotes, parentheses only where needed) and parses back to
the same tree.
"""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from rule_engine import ast as re_ast

__all__ = ["literal_text", "node_text"]

# Binding strength from rule-engine's grammar: a higher number binds tighter.
_TERNARY, _OR, _AND, _NOT, _COALESCE, _EQUALITY, _COMPARE = 1, 2, 3, 4, 5, 6, 7
_BWOR, _BWXOR, _BWAND, _SHIFT, _ADD, _MUL, _UMINUS, _POW, _ATOM = 8, 9, 10, 11, 12, 13, 14, 15, 17

_BINARY: dict[str, tuple[str, int]] = {
    "and": ("and", _AND),
    "or": ("or", _OR),
    "eq": ("==", _EQUALITY),
    "ne": ("!=", _EQUALITY),
    "gt": (">", _COMPARE),
    "ge": (">=", _COMPARE),
    "lt": ("<", _COMPARE),
    "le": ("<=", _COMPARE),
    "eq_fzm": ("=~", _COMPARE),
    "eq_fzs": ("=~~", _COMPARE),
    "ne_fzm": ("!~", _COMPARE),
    "ne_fzs": ("!~~", _COMPARE),
    "add": ("+", _ADD),
    "sub": ("-", _ADD),
    "mul": ("*", _MUL),
    "tdiv": ("/", _MUL),
    "fdiv": ("//", _MUL),
    "mod": ("%", _MUL),
    "pow": ("**", _POW),
    "bwand": ("&", _BWAND),
    "bwor": ("|", _BWOR),
    "bwxor": ("^", _BWXOR),
    "bwlsh": ("<<", _SHIFT),
    "bwrsh": (">>", _SHIFT),
}


def node_text(node: Any) -> str:
    """The rule-language text of an expression node (or a whole ``Statement``)."""
    if isinstance(node, re_ast.Statement):
        node = node.expression
    return _text(node)[0]


def literal_text(value: Any) -> str:
    """A Python value as a rule-language literal (strings quoted, ``true``/``false``/``null``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, decimal.Decimal)):
        return _number(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, datetime.datetime):
        return f'd"{value.isoformat()}"'
    if isinstance(value, datetime.timedelta):
        return f't"{_duration(value)}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal_text(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(literal_text(v) for v in value)) + "}"
    return repr(value)


def _number(value: int | float | decimal.Decimal) -> str:
    number = decimal.Decimal(value) if not isinstance(value, decimal.Decimal) else value
    if number.is_nan():
        return "nan"
    if number.is_infinite():
        return "inf" if number > 0 else "-inf"
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def _string(value: str) -> str:
    if "\\" in value and '"' not in value and "\n" not in value:
        return f'r"{value}"'  # a regular expression reads best as written
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def _duration(value: datetime.timedelta) -> str:
    days, seconds = value.days, value.seconds
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = "P" + (f"{days}D" if days else "")
    time = "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M"), (secs, "S")) if n)
    return text + ("T" + time if time else "") if (days or time) else "PT0S"


def _wrap(part: tuple[str, int], needed: int) -> str:
    text, strength = part
    return f"({text})" if strength < needed else text


def _text(node: Any) -> tuple[str, int]:
    """``(text, binding strength)`` of ``node``."""
    if isinstance(node, re_ast.LiteralExpressionBase):
        return _literal_node(node), _ATOM
    if isinstance(node, re_ast.SymbolExpression):
        return (f"${node.name}" if node.scope else str(node.name)), _ATOM
    if isinstance(node, re_ast.GetAttributeExpression):
        dot = "&." if getattr(node, "safe", False) else "."
        return f"{_wrap(_text(node.object), _ATOM)}{dot}{node.name}", _ATOM
    if isinstance(node, re_ast.GetItemExpression):
        bracket = "&[" if getattr(node, "safe", False) else "["
        return f"{_wrap(_text(node.container), _ATOM)}{bracket}{node_text(node.item)}]", _ATOM
    if isinstance(node, re_ast.GetSliceExpression):
        bracket = "&[" if getattr(node, "safe", False) else "["
        start = node_text(node.start) if node.start is not None else ""
        stop = node_text(node.stop) if node.stop is not None else ""
        return f"{_wrap(_text(node.container), _ATOM)}{bracket}{start}:{stop}]", _ATOM
    if isinstance(node, re_ast.ContainsExpression):
        member = _wrap(_text(node.member), _COMPARE + 1)
        container = _wrap(_text(node.container), _COMPARE + 1)
        return f"{member} in {container}", _COMPARE
    if isinstance(node, re_ast.UnaryExpression):
        return _unary(node)
    if isinstance(node, re_ast.CoalesceExpression):
        left = _wrap(_text(node.left), _COALESCE + 1)
        return f"{left} ?? {_wrap(_text(node.right), _COALESCE)}", _COALESCE
    if isinstance(node, re_ast.BinaryExpressionBase):
        return _binary(node)
    if isinstance(node, re_ast.TernaryExpression):
        condition = _wrap(_text(node.condition), _TERNARY + 1)
        true_case = _wrap(_text(node.case_true), _TERNARY + 1)
        return f"{condition} ? {true_case} : {_wrap(_text(node.case_false), _TERNARY)}", _TERNARY
    if isinstance(node, re_ast.ComprehensionExpression):
        text = f"[{node_text(node.result)} for {node.variable} in {node_text(node.iterable)}"
        if node.condition is not None:
            text += f" if {node_text(node.condition)}"
        return text + "]", _ATOM
    if isinstance(node, re_ast.FunctionCallExpression):
        arguments = ", ".join(node_text(a) for a in node.arguments)
        return f"{_wrap(_text(node.function), _ATOM)}({arguments})", _ATOM
    return f"<{type(node).__name__}>", _ATOM


def _literal_node(node: Any) -> str:
    value = node.value
    if isinstance(node, re_ast.ArrayExpression):
        return "[" + ", ".join(node_text(v) for v in value) + "]"
    if isinstance(node, re_ast.SetExpression):
        return "{" + ", ".join(sorted(node_text(v) for v in value)) + "}"
    if isinstance(node, re_ast.MappingExpression):
        pairs = (f"{node_text(k)}: {node_text(v)}" for k, v in value)
        return "{" + ", ".join(pairs) + "}"
    return literal_text(value)


def _unary(node: Any) -> tuple[str, int]:
    if node.type == "not":
        inner = node.right
        if isinstance(inner, re_ast.ContainsExpression):
            member = _wrap(_text(inner.member), _COMPARE + 1)
            container = _wrap(_text(inner.container), _COMPARE + 1)
            return f"{member} not in {container}", _COMPARE
        return f"not {_wrap(_text(inner), _NOT)}", _NOT
    return f"-{_wrap(_text(node.right), _UMINUS)}", _UMINUS


def _binary(node: Any) -> tuple[str, int]:
    operator, strength = _BINARY.get(node.type, (node.type, _COMPARE))
    right_assoc = node.type == "pow"
    nonassoc = strength in (_EQUALITY, _COMPARE)
    left_needed = strength + 1 if (right_assoc or nonassoc) else strength
    right_needed = strength if right_assoc else strength + 1
    left = _wrap(_text(node.left), left_needed)
    right = _wrap(_text(node.right), right_needed)
    return f"{left} {operator} {right}", strength
