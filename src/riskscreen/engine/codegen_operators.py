"""Translations of rule-engine's operator nodes: regexes, arithmetic, membership, calls.

Each function takes the :class:`~riskscreen.engine.codegen.Translation` under way and a
node, and returns Python source computing what rule-engine's ``evaluate`` would (see
:mod:`riskscreen.engine.codegen` for the rules every translation follows).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rule_engine import ast as re_ast

from . import internals
from .codegen_tables import ARITHMETIC as _ARITHMETIC
from .codegen_tables import REGEX as _REGEX
from .codegen_tables import UntranslatableError
from .codegen_tables import family as _family
from .runtime import GROUPED_MATCH, PLAIN_MATCH, CallSite, literal_pattern
from .sourcetext import identifier

if TYPE_CHECKING:
    from .codegen import Translation

__all__ = ["add_or_subtract", "arithmetic", "call", "coalesce", "contains", "item", "regex", "ternary"]


def regex(tr: Translation, node: Any, truth: bool) -> str:
    if not isinstance(node.right, re_ast.StringExpression):
        raise UntranslatableError("regex from a value")
    # a match may be read back through $re_groups: never remember such a result
    tr.pure = False
    method, positive = _REGEX[node.type]
    left = tr.expression(node.left)
    t, m = tr.temp(), tr.temp()
    literal = literal_pattern(node.right.value, tr.context.regex_flags)
    if literal is not None:
        alternatives, grouped = literal
        match = _literal_match(tr, t, method, alternatives, grouped)
    else:
        matcher = tr.constant(getattr(internals.compiled_regex(node), method))
        match = f"{matcher}({t})"
    if positive:
        outcome = f"(({m} := {match}) is not None and _rx({tr.context_name}, {m}))"
    else:
        outcome = f"(({m} := {match}) is None or not _rx({tr.context_name}, {m}))"
    return f"({outcome} if ({t} := {left}).__class__ is str else _dev())"


def _literal_match(tr: Translation, t: str, method: str, alternatives: tuple[str, ...], grouped: bool) -> str:
    """A pattern of plain text (or alternatives) as a substring test: no regex engine needed.

    It gives a stand-in match object, or ``None``; the stand-in only knows its groups
    when there are none (a pattern with a group deviates if ``$re_groups`` is read).
    """
    found = tr.constant(GROUPED_MATCH if grouped else PLAIN_MATCH)
    if method == "match":
        test = f"{t}.startswith({tr.constant(alternatives)})"
    else:
        test = " or ".join(f"{tr.constant(a)} in {t}" for a in alternatives)
    return f"({found} if ({test}) else None)"


def arithmetic(tr: Translation, node: Any, truth: bool) -> str:
    if node.type not in _ARITHMETIC:
        raise UntranslatableError("arithmetic")
    function = tr.decimal_operation(_ARITHMETIC[node.type])
    a, b = tr.temp(), tr.temp()
    left, right = tr.expression(node.left), tr.expression(node.right)
    inner = f"({function}({a}, {b}) if ({b} := {right}).__class__ is _DEC else _dev())"
    return tr.nan_checked(f"({inner} if ({a} := {left}).__class__ is _DEC else _dev())")


def add_or_subtract(tr: Translation, node: Any, truth: bool) -> str:
    left_family, right_family = _family(node.left.result_type), _family(node.right.result_type)
    a, b = tr.temp(), tr.temp()
    left, right = tr.expression(node.left), tr.expression(node.right)
    symbol = "+" if node.type == "add" else "-"
    if left_family == right_family == "FLOAT":
        function = tr.decimal_operation("add" if node.type == "add" else "subtract")
        operation, cls_left, cls_right = f"{function}({a}, {b})", "_DEC", "_DEC"
    elif left_family in ("DATETIME", "TIMEDELTA") and right_family in ("DATETIME", "TIMEDELTA"):
        cls_left = "_datetime" if left_family == "DATETIME" else "_timedelta"
        cls_right = "_datetime" if right_family == "DATETIME" else "_timedelta"
        operation = f"({a} {symbol} {b})"
    elif left_family == right_family == "STRING" and node.type == "add":
        operation, cls_left, cls_right = f"({a} + {b})", "str", "str"
    else:
        raise UntranslatableError("addition")
    source = (
        f"({operation} if ({a} := {left}).__class__ is {cls_left} "
        f"and ({b} := {right}).__class__ is {cls_right} else _dev())"
    )
    return tr.nan_checked(source) if cls_left == "_DEC" else source


def contains(tr: Translation, node: Any, truth: bool) -> str:
    container = node.container
    value = tr._constant_value(container)
    named = ""  # a pack list keeps its name in the generated code
    if value is None and type(container) is re_ast.SymbolExpression and tr._is_list(container):
        value = tr._symbol_value(container)
        named = f"{tr.prefix}_{identifier(container.name)}"
    if value is not None:
        member = tr.expression(node.member)
        if value.__class__ is tuple:
            if value and all(item.__class__ is str for item in value):
                members = frozenset(value)
                return f"({member} in {tr.bind(named, members) if named else tr.constant(members)})"
            return f"({member} in {tr.bind(named, value) if named else tr.constant(value)})"
        if value.__class__ is str:
            t = tr.temp()
            return f"(({t} in {tr.constant(value)}) if ({t} := {member}).__class__ is str else _dev())"
        raise UntranslatableError("containment")
    family = _family(container.result_type)
    c, m = tr.temp(), tr.temp()
    if family == "ARRAY":
        source, member = tr.expression(container), tr.expression(node.member)
        return f"((({m} := {member}) in {c}) if ({c} := {source}).__class__ is tuple else _dev())"
    if family == "STRING":
        source, member = tr.expression(container), tr.expression(node.member)
        return (
            f"(({m} in {c}) if ({c} := {source}).__class__ is str "
            f"and ({m} := {member}).__class__ is str else _dev())"
        )
    raise UntranslatableError("containment")


def ternary(tr: Translation, node: Any, truth: bool) -> str:
    condition = tr.expression(node.condition, True)
    return (
        f"({tr.expression(node.case_true, truth)} if {condition} "
        f"else {tr.expression(node.case_false, truth)})"
    )


def coalesce(tr: Translation, node: Any, truth: bool) -> str:
    t = tr.temp()
    left, right = tr.expression(node.left), tr.expression(node.right)
    return f"({t} if ({t} := {left}) is not None else {right})"


def item(tr: Translation, node: Any, truth: bool) -> str:
    if node.safe or _family(node.container.result_type) not in ("ARRAY", "STRING"):
        raise UntranslatableError("item")
    c = tr.temp()
    container, item = tr.expression(node.container), tr.expression(node.item)
    valid = f"({c} := {container}).__class__ is tuple or {c}.__class__ is str"
    return f"(_gi({c}, {item}, {tr.constant(tr.zone)}) if {valid} else _dev())"


def call(tr: Translation, node: Any, truth: bool) -> str:
    tr.pure = False
    f = tr.temp()
    function = tr.expression(node.function)
    arguments = "".join(f"{tr.expression(argument)}, " for argument in node.arguments)
    # the call's types, not its node: code holding no tree node can be kept in the cache
    site = CallSite(node.function.result_type, node.result_type, node.context.default_timezone)
    call = f"_call({tr.bind(f'{tr.prefix}_call', site)}, {f}, ({arguments}))"
    return f"({call} if callable({f} := {function}) else _dev())"
