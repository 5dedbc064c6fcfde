"""Translation of rule-engine's typed syntax tree into one Python expression.

Each node becomes Python source that computes exactly the value rule-engine's
``evaluate`` would, for the values this fast path accepts. Where rule-engine would check
a type, the generated code checks the class and otherwise calls ``_dev()`` (a
:class:`~riskscreen.engine.runtime.Deviation`), after which the predicate lets the
interpreter decide. Evaluation order is rule-engine's, so a value the record lacks raises
:class:`~riskscreen.engine.record.MissingValue` at the same point as it would there. A
node without a translation is evaluated by rule-engine itself, in place.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from rule_engine import ast as re_ast
from rule_engine.types import DataType

from .codegen_tables import ARITHMETIC as _ARITHMETIC
from .codegen_tables import BUILTIN_ATTRIBUTES as _BUILTIN_ATTRIBUTES
from .codegen_tables import CLASS_NAMES as _CLASS_NAMES
from .codegen_tables import FAMILY_CLASSES as _FAMILY_CLASSES
from .codegen_tables import ORDERED as _ORDERED
from .codegen_tables import REGEX as _REGEX
from .nulls import NullableAttribute, NullableSymbol, is_nullable_read
from .record import Record, read_attribute
from .runtime import (
    GROUPED_MATCH,
    PLAIN_MATCH,
    SCALAR_CLASSES,
    PathLoader,
    call_function,
    deviate,
    float_to_decimal,
    get_item,
    literal_pattern,
    load_optional,
    path_loader,
    regex_outcome,
)
from .symbols import SymbolTable

__all__ = ["Translation", "Untranslatable", "identifier", "layout", "translate"]

_NOT_IDENTIFIER = re.compile(r"[^0-9A-Za-z_]+")


def identifier(text: str) -> str:
    """``text`` as a Python identifier: ``WELL-001 when`` -> ``WELL_001_when``."""
    name = _NOT_IDENTIFIER.sub("_", text).strip("_") or "expression"
    return f"_{name}" if name[0].isdigit() else name


def layout(expression: str, indent: str) -> str:
    """Generated source with each line after the first indented by its bracket depth.

    The generator puts a line break before each ``and``/``or`` clause; this indents the
    clauses under ``indent`` so that the code reads as written by hand. String literals
    (written by ``repr``) are skipped when counting brackets.
    """
    lines = expression.split("\n")
    out = [lines[0]]
    depth = _depth_change(lines[0])
    for line in lines[1:]:
        closing = len(line) - len(line.lstrip(")]}"))
        out.append(indent + "    " * max(depth - closing, 0) + line)
        depth += _depth_change(line)
    return "\n".join(out)


def _depth_change(line: str) -> int:
    depth, quote, escaped = 0, "", False
    for char in line:
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
    return depth


class Untranslatable(Exception):
    """A node the code generator has no translation for; rule-engine evaluates it instead."""


def _family(data_type: Any) -> str:
    """The type's family name (``ARRAY`` for any array), or ``""`` when unknown or nullable."""
    if data_type == DataType.UNDEFINED or DataType.is_type(data_type, DataType.NULLABLE):
        return ""
    if DataType.is_type(data_type, DataType.ARRAY):
        return "ARRAY"
    return str(data_type.name) if data_type.is_scalar else ""


def _evaluate_node(node: Any, context: decimal.Context, record: Record) -> Any:
    """rule-engine's value for one node, under the rule's decimal context."""
    with decimal.localcontext(context):
        value = node.evaluate(record)
    if value.__class__ is Decimal and value != value:
        deviate()
    return value


class Translation:
    """Generated Python for one expression and the names it refers to.

    ``source`` is a Python expression over ``record`` and ``M`` (the record's memo);
    ``names`` are the globals it needs. ``pure`` is true when the value depends on the
    record alone (no builtins, macros, functions, interpreted nodes or regex groups), so
    it may be remembered per record.
    """

    def __init__(self, context: Any, table: SymbolTable | None, zone: tzinfo, prefix: str = "expr") -> None:
        self.context = context
        self.table = table
        self.zone = zone
        # Shared helpers keep fixed names; a path's loader is named after the path (loaders
        # are shared, one per path); anything else specific to this translation is named
        # after ``prefix`` (the rule and clause), so translations fuse into one function
        # without clashes and the names are the same on every run.
        self.prefix = prefix
        self._count = 0
        self.names: dict[str, Any] = {
            "_dev": deviate,
            "_DEC": Decimal,
            "_f2d": float_to_decimal,
            "_datetime": datetime,
            "_timedelta": timedelta,
            "_gi": get_item,
            "_call": call_function,
            "_rx": regex_outcome,
            "_opt": load_optional,
        }
        # Arithmetic reads the context's decimal settings when it runs, as rule-engine does:
        # a caller may change precision or traps after loading. NaN is therefore always
        # checked for (the traps deciding whether it can arise may change), and the
        # interpreter decides what a NaN means.
        self.nan_checks = True
        self.regex_groups = "re_groups" in context.symbols
        self.pure = True
        self.interpreted = 0
        # the generated code holds syntax-tree nodes (interpreted in place, or function calls)
        self.needs_tree = False
        self.loaders: list[PathLoader] = []
        self.macro_refs: list[tuple[dict[str, Any], str]] = []
        self.source = ""
        self.context_name = self.constant(context)

    # -- helpers ------------------------------------------------------------------------

    def constant(self, value: Any) -> str:
        """A global name bound to ``value`` (literals Python spells exactly are inlined)."""
        if value is None or value is True or value is False:
            return repr(value)
        known = _CLASS_NAMES.get(value) if isinstance(value, type) else None
        if known is not None:
            return known
        if value.__class__ is str and len(value) < 200:
            return repr(value)
        if value is self.context:
            return self.bind(f"{self.prefix}_context", value)
        self._count += 1
        return self.bind(f"{self.prefix}_k{self._count}", value)

    def bind(self, name: str, value: Any) -> str:
        """A global ``name`` (or ``name_2``, ``name_3``... if taken by another value) bound to ``value``."""
        candidate, number = name, 1
        while candidate in self.names and self.names[candidate] is not value:
            number += 1
            candidate = f"{name}_{number}"
        self.names[candidate] = value
        return candidate

    def decimal_operation(self, method: str) -> str:
        """Source naming ``method`` of the rule's decimal context, looked up when it runs."""
        return f"{self.context_name}.decimal_context.{method}"

    def temp(self) -> str:
        """A fresh local name for an intermediate value (fresh within this translation)."""
        self._count += 1
        return f"_t{self._count}"

    def interpret(self, node: Any) -> str:
        """Source that asks rule-engine for this node's value."""
        self.pure = False
        self.needs_tree = True
        self.interpreted += 1
        context = self.context

        def interpreted(record: Record) -> Any:
            return _evaluate_node(node, context.decimal_context, record)

        return f"{self.constant(interpreted)}(record)"

    def load(self, path: str, expected: type | None, *, optional: bool = False) -> str:
        """Source reading ``path`` through the record's memo.

        ``optional`` where the expression handles an absent value (see
        :mod:`~riskscreen.engine.nulls`): the read gives ``None`` instead of raising.
        """
        loader = path_loader(path, self.zone, expected)
        self.loaders.append(loader)
        suffix = "" if expected is None else f"_{expected.__name__}"
        name = self.bind(f"P_{identifier(path)}{suffix}", loader)
        if optional:
            return f"(_r if (_r := M.get({name})) is not None else _opt({name}, record))"
        return f"(_r if (_r := M.get({name})) is not None else {name}(record))"

    def checked(self, source: str, cls: str) -> str:
        """``source``, deviating unless its value's class is exactly ``cls``."""
        t = self.temp()
        return f"({t} if ({t} := {source}).__class__ is {cls} else _dev())"

    def nan_checked(self, source: str) -> str:
        """``source``, deviating on NaN when the decimal context lets operations produce it."""
        if not self.nan_checks:
            return source
        t = self.temp()
        return f"({t} if ({t} := {source}) == {t} else _dev())"

    # -- nodes ----------------------------------------------------------------------------

    def expression(self, node: Any, truth: bool = False) -> str:
        """Source for ``node``; ``truth`` when only its truthiness is used."""
        try:
            return self._node(node, truth)
        except Untranslatable:
            return self.interpret(node)

    def _node(self, node: Any, truth: bool) -> str:
        kind = type(node)
        if isinstance(node, re_ast.LiteralExpressionBase):
            return self._literal(node)
        handler = _HANDLERS.get(kind)
        if handler is None:
            raise Untranslatable(kind.__name__)
        return handler(self, node, truth)

    def _literal(self, node: Any) -> str:
        if node.is_reduced:
            return self.constant(node.evaluate(None))
        if type(node) is re_ast.ArrayExpression:
            members = [self.expression(member) for member in node.value]
            return "(" + "".join(f"{m}, " for m in members) + ")"
        raise Untranslatable("literal")

    def symbol(self, node: Any, truth: bool) -> str:
        """A symbol: a list or function (constants), a macro, or an observation field."""
        table = self.table
        if node.scope is not None or table is None:
            raise Untranslatable("symbol")
        name = node.name
        if name in table.macro_names:
            self.pure = False
            self.macro_refs.append((table.macros, name))
            macros = self.bind(f"{self.prefix}_macros", table.macros)
            return self.checked(f"{macros}[{name!r}](record)", "bool")
        if name in table.lists or name in getattr(table, "functions", {}):
            return self.bind(f"{self.prefix}_{identifier(name)}", self._symbol_value(node))
        family = _family(node.result_type)
        expected = SCALAR_CLASSES.get(family)
        if expected is None:
            raise Untranslatable("symbol of a compound type")
        return self.load(name, expected, optional=is_nullable_read(node))

    def path(self, node: Any) -> str | None:
        """The dotted path of an attribute chain over an observation object, if it is one."""
        names: list[str] = []
        # a chain marked null-handling reads as one path (any absent part gives null)
        while type(node) in (re_ast.GetAttributeExpression, NullableAttribute):
            object_type = node._object_type
            if object_type is None or object_type.accessor is not read_attribute:
                return None
            names.append(node.name)
            node = node.object
        table = self.table
        if (
            type(node) not in (re_ast.SymbolExpression, NullableSymbol)
            or node.scope is not None
            or table is None
        ):
            return None
        if node.name in table.macro_names or node.name in table.lists or not names:
            return None
        return ".".join([node.name, *reversed(names)])

    def attribute(self, node: Any, truth: bool) -> str:
        path = self.path(node)
        if path is not None:
            return self.load(path, None, optional=is_nullable_read(node))
        if node.safe or node._object_type is not None or is_nullable_read(node):
            raise Untranslatable("attribute")
        family = _family(node.object.result_type)
        template = _BUILTIN_ATTRIBUTES.get((family, node.name))
        if template is None:
            raise Untranslatable("attribute")
        value = self.expression(node.object)
        t = self.temp()
        cls = self.constant(_FAMILY_CLASSES[family])
        return f"({template.format(v=t)} if ({t} := {value}).__class__ is {cls} else _dev())"

    def logic(self, node: Any, truth: bool) -> str:
        op = "and" if node.type == "and" else "or"
        # a chain of one operator is one clause per line; only truth matters inside it
        clauses: list[Any] = []
        todo = [node]
        while todo:
            current = todo.pop()
            if type(current) is re_ast.LogicExpression and current.type == node.type:
                todo += [current.right, current.left]
            else:
                clauses.append(current)
        inner = "(\n" + f"\n{op} ".join(self.expression(c, True) for c in clauses) + "\n)"
        return inner if truth else f"(True if {inner} else False)"

    def unary(self, node: Any, truth: bool) -> str:
        if node.type == "not":
            return f"(not {self.expression(node.right, True)})"
        family = _family(node.result_type)
        t = self.temp()
        operand = self.expression(node.right)
        if family == "FLOAT":
            negate = self.decimal_operation("minus")
            return self.nan_checked(f"({negate}({t}) if ({t} := {operand}).__class__ is _DEC else _dev())")
        if family == "TIMEDELTA":
            return f"(-{t} if ({t} := {operand}).__class__ is _timedelta else _dev())"
        raise Untranslatable("unary")

    @staticmethod
    def _constant_value(node: Any) -> Any:
        """The value of a literal rule-engine has already reduced, else ``None``."""
        if isinstance(node, re_ast.LiteralExpressionBase) and node.is_reduced:
            return node.evaluate(None)
        return None

    def _is_list(self, node: Any) -> bool:
        return self.table is not None and node.scope is None and node.name in self.table.lists

    def _symbol_value(self, node: Any) -> Any:
        """The value of a symbol that does not depend on the record (a list or a function)."""
        try:
            return node.evaluate(None)
        except Exception as exc:
            raise Untranslatable("symbol") from exc

    def _operands(self, node: Any) -> tuple[str, str, Any]:
        return self.expression(node.left), self.expression(node.right), self._constant_value(node.right)

    def equality(self, node: Any, truth: bool) -> str:
        left, right, constant = self._operands(node)
        a, b = self.temp(), self.temp()
        if node.type == "eq":
            if constant is not None:
                cls = self.constant(constant.__class__)
                return f"(({a} := {left}).__class__ is {cls} and {a} == {right})"
            return f"(({a} := {left}).__class__ is ({b} := {right}).__class__ and {a} == {b})"
        if constant is not None:
            cls = self.constant(constant.__class__)
            return f"(({a} := {left}).__class__ is not {cls} or {a} != {right})"
        return f"(({a} := {left}).__class__ is not ({b} := {right}).__class__ or {a} != {b})"

    def ordered(self, node: Any, truth: bool) -> str:
        op = _ORDERED[node.type]
        left, right, constant = self._operands(node)
        a, b = self.temp(), self.temp()
        if constant is not None:
            if constant.__class__ is tuple:
                raise Untranslatable("array comparison")
            cls = self.constant(constant.__class__)
            return f"(({a} {op} {right}) if ({a} := {left}).__class__ is {cls} else _dev())"
        return (
            f"(({a} {op} {b}) if ({a} := {left}).__class__ is ({b} := {right}).__class__ "
            f"is not tuple else _dev())"
        )

    def regex(self, node: Any, truth: bool) -> str:
        if not isinstance(node.right, re_ast.StringExpression):
            raise Untranslatable("regex from a value")
        # a match may be read back through $re_groups: never remember such a result
        self.pure = False
        method, positive = _REGEX[node.type]
        left = self.expression(node.left)
        t, m = self.temp(), self.temp()
        literal = literal_pattern(node.right.value, self.context.regex_flags)
        if literal is not None:
            alternatives, grouped = literal
            match = self._literal_match(t, method, alternatives, grouped)
        else:
            matcher = self.constant(getattr(node._right, method))
            match = f"{matcher}({t})"
        if positive:
            outcome = f"(({m} := {match}) is not None and _rx({self.context_name}, {m}))"
        else:
            outcome = f"(({m} := {match}) is None or not _rx({self.context_name}, {m}))"
        return f"({outcome} if ({t} := {left}).__class__ is str else _dev())"

    def _literal_match(self, t: str, method: str, alternatives: tuple[str, ...], grouped: bool) -> str:
        """A pattern of plain text (or alternatives) as a substring test: no regex engine needed.

        It gives a stand-in match object, or ``None``; the stand-in only knows its groups
        when there are none (a pattern with a group deviates if ``$re_groups`` is read).
        """
        found = self.constant(GROUPED_MATCH if grouped else PLAIN_MATCH)
        if method == "match":
            test = f"{t}.startswith({self.constant(alternatives)})"
        else:
            test = " or ".join(f"{self.constant(a)} in {t}" for a in alternatives)
        return f"({found} if ({test}) else None)"

    def arithmetic(self, node: Any, truth: bool) -> str:
        if node.type not in _ARITHMETIC:
            raise Untranslatable("arithmetic")
        function = self.decimal_operation(_ARITHMETIC[node.type])
        a, b = self.temp(), self.temp()
        left, right = self.expression(node.left), self.expression(node.right)
        inner = f"({function}({a}, {b}) if ({b} := {right}).__class__ is _DEC else _dev())"
        return self.nan_checked(f"({inner} if ({a} := {left}).__class__ is _DEC else _dev())")

    def add_or_subtract(self, node: Any, truth: bool) -> str:
        left_family, right_family = _family(node.left.result_type), _family(node.right.result_type)
        a, b = self.temp(), self.temp()
        left, right = self.expression(node.left), self.expression(node.right)
        symbol = "+" if node.type == "add" else "-"
        if left_family == right_family == "FLOAT":
            function = self.decimal_operation("add" if node.type == "add" else "subtract")
            operation, cls_left, cls_right = f"{function}({a}, {b})", "_DEC", "_DEC"
        elif left_family in ("DATETIME", "TIMEDELTA") and right_family in ("DATETIME", "TIMEDELTA"):
            cls_left = "_datetime" if left_family == "DATETIME" else "_timedelta"
            cls_right = "_datetime" if right_family == "DATETIME" else "_timedelta"
            operation = f"({a} {symbol} {b})"
        elif left_family == right_family == "STRING" and node.type == "add":
            operation, cls_left, cls_right = f"({a} + {b})", "str", "str"
        else:
            raise Untranslatable("addition")
        source = (
            f"({operation} if ({a} := {left}).__class__ is {cls_left} "
            f"and ({b} := {right}).__class__ is {cls_right} else _dev())"
        )
        return self.nan_checked(source) if cls_left == "_DEC" else source

    def contains(self, node: Any, truth: bool) -> str:
        container = node.container
        value = self._constant_value(container)
        named = ""  # a pack list keeps its name in the generated code
        if value is None and type(container) is re_ast.SymbolExpression and self._is_list(container):
            value = self._symbol_value(container)
            named = f"{self.prefix}_{identifier(container.name)}"
        if value is not None:
            member = self.expression(node.member)
            if value.__class__ is tuple:
                if value and all(item.__class__ is str for item in value):
                    members = frozenset(value)
                    return f"({member} in {self.bind(named, members) if named else self.constant(members)})"
                return f"({member} in {self.bind(named, value) if named else self.constant(value)})"
            if value.__class__ is str:
                t = self.temp()
                return f"(({t} in {self.constant(value)}) if ({t} := {member}).__class__ is str else _dev())"
            raise Untranslatable("containment")
        family = _family(container.result_type)
        c, m = self.temp(), self.temp()
        if family == "ARRAY":
            source, member = self.expression(container), self.expression(node.member)
            return f"((({m} := {member}) in {c}) if ({c} := {source}).__class__ is tuple else _dev())"
        if family == "STRING":
            source, member = self.expression(container), self.expression(node.member)
            return (
                f"(({m} in {c}) if ({c} := {source}).__class__ is str "
                f"and ({m} := {member}).__class__ is str else _dev())"
            )
        raise Untranslatable("containment")

    def ternary(self, node: Any, truth: bool) -> str:
        condition = self.expression(node.condition, True)
        return (
            f"({self.expression(node.case_true, truth)} if {condition} "
            f"else {self.expression(node.case_false, truth)})"
        )

    def coalesce(self, node: Any, truth: bool) -> str:
        t = self.temp()
        left, right = self.expression(node.left), self.expression(node.right)
        return f"({t} if ({t} := {left}) is not None else {right})"

    def item(self, node: Any, truth: bool) -> str:
        if node.safe or _family(node.container.result_type) not in ("ARRAY", "STRING"):
            raise Untranslatable("item")
        c = self.temp()
        container, item = self.expression(node.container), self.expression(node.item)
        valid = f"({c} := {container}).__class__ is tuple or {c}.__class__ is str"
        return f"(_gi({c}, {item}, {self.constant(self.zone)}) if {valid} else _dev())"

    def call(self, node: Any, truth: bool) -> str:
        self.pure = False
        self.needs_tree = True
        f = self.temp()
        function = self.expression(node.function)
        arguments = "".join(f"{self.expression(argument)}, " for argument in node.arguments)
        call = f"_call({self.bind(f'{self.prefix}_call', node)}, {f}, ({arguments}))"
        return f"({call} if callable({f} := {function}) else _dev())"


_HANDLERS: dict[type, Callable[[Translation, Any, bool], str]] = {
    re_ast.SymbolExpression: Translation.symbol,
    NullableSymbol: Translation.symbol,
    re_ast.GetAttributeExpression: Translation.attribute,
    NullableAttribute: Translation.attribute,
    re_ast.LogicExpression: Translation.logic,
    re_ast.UnaryExpression: Translation.unary,
    re_ast.ComparisonExpression: Translation.equality,
    re_ast.ArithmeticComparisonExpression: Translation.ordered,
    re_ast.FuzzyComparisonExpression: Translation.regex,
    re_ast.ArithmeticExpression: Translation.arithmetic,
    re_ast.AddExpression: Translation.add_or_subtract,
    re_ast.SubtractExpression: Translation.add_or_subtract,
    re_ast.ContainsExpression: Translation.contains,
    re_ast.TernaryExpression: Translation.ternary,
    re_ast.CoalesceExpression: Translation.coalesce,
    re_ast.GetItemExpression: Translation.item,
    re_ast.FunctionCallExpression: Translation.call,
}


def translate(
    expression_node: Any, context: Any, table: SymbolTable | None, zone: tzinfo, prefix: str = "expr"
) -> Translation:
    """Translate the expression under a rule's statement; ``source`` holds the result.

    ``prefix`` (an identifier naming the rule and clause) names the translation's globals.
    """
    translation = Translation(context, table, zone, prefix)
    translation.source = translation.expression(expression_node)
    return translation
