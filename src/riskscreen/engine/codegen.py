"""Translation of rule-engine's typed syntax tree into one Python expression.

Each node becomes Python source that computes exactly the value rule-engine's
``evaluate`` would, for the values this fast path accepts. Where rule-engine would check
a type, the generated code checks the class and otherwise calls ``_dev()`` (a
:class:`~riskscreen.engine.runtime.DeviationError`), after which the predicate lets the
interpreter decide. Evaluation order is rule-engine's, so a value the record lacks raises
:class:`~riskscreen.engine.record.MissingValueError` at the same point as it would there. A
node without a translation is evaluated by rule-engine itself, in place.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from rule_engine import ast as re_ast

from . import codegen_operators as operators
from . import internals
from .codegen_tables import BUILTIN_ATTRIBUTES as _BUILTIN_ATTRIBUTES
from .codegen_tables import CLASS_NAMES as _CLASS_NAMES
from .codegen_tables import FAMILY_CLASSES as _FAMILY_CLASSES
from .codegen_tables import ORDERED as _ORDERED
from .codegen_tables import UntranslatableError
from .codegen_tables import family as _family
from .nulls import NullableAttribute, NullableSymbol, is_nullable_read
from .record import Record, read_attribute
from .runtime import (
    SCALAR_CLASSES,
    PathLoader,
    call_function,
    deviate,
    float_to_decimal,
    get_item,
    load_optional,
    path_loader,
    regex_outcome,
)
from .sourcetext import identifier, layout
from .symbols import SymbolTable

__all__ = ["Translation", "UntranslatableError", "identifier", "layout", "translate"]


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
        except UntranslatableError:
            return self.interpret(node)

    def _node(self, node: Any, truth: bool) -> str:
        kind = type(node)
        if isinstance(node, re_ast.LiteralExpressionBase):
            return self._literal(node)
        handler = _HANDLERS.get(kind)
        if handler is None:
            raise UntranslatableError(kind.__name__)
        return handler(self, node, truth)

    def _literal(self, node: Any) -> str:
        if node.is_reduced:
            return self.constant(node.evaluate(None))
        if type(node) is re_ast.ArrayExpression:
            members = [self.expression(member) for member in node.value]
            return "(" + "".join(f"{m}, " for m in members) + ")"
        raise UntranslatableError("literal")

    def symbol(self, node: Any, truth: bool) -> str:
        """A symbol: a list or function (constants), a macro, or an observation field."""
        table = self.table
        if node.scope is not None or table is None:
            raise UntranslatableError("symbol")
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
            raise UntranslatableError("symbol of a compound type")
        return self.load(name, expected, optional=is_nullable_read(node))

    def path(self, node: Any) -> str | None:
        """The dotted path of an attribute chain over an observation object, if it is one."""
        names: list[str] = []
        # a chain marked null-handling reads as one path (any absent part gives null)
        while type(node) in (re_ast.GetAttributeExpression, NullableAttribute):
            object_type = internals.object_type(node)
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
        if node.safe or internals.object_type(node) is not None or is_nullable_read(node):
            raise UntranslatableError("attribute")
        family = _family(node.object.result_type)
        template = _BUILTIN_ATTRIBUTES.get((family, node.name))
        if template is None:
            raise UntranslatableError("attribute")
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
        raise UntranslatableError("unary")

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
            raise UntranslatableError("symbol") from exc

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
                raise UntranslatableError("array comparison")
            cls = self.constant(constant.__class__)
            return f"(({a} {op} {right}) if ({a} := {left}).__class__ is {cls} else _dev())"
        return (
            f"(({a} {op} {b}) if ({a} := {left}).__class__ is ({b} := {right}).__class__ "
            f"is not tuple else _dev())"
        )


_HANDLERS: dict[type, Callable[[Translation, Any, bool], str]] = {
    re_ast.SymbolExpression: Translation.symbol,
    NullableSymbol: Translation.symbol,
    re_ast.GetAttributeExpression: Translation.attribute,
    NullableAttribute: Translation.attribute,
    re_ast.LogicExpression: Translation.logic,
    re_ast.UnaryExpression: Translation.unary,
    re_ast.ComparisonExpression: Translation.equality,
    re_ast.ArithmeticComparisonExpression: Translation.ordered,
    re_ast.FuzzyComparisonExpression: operators.regex,
    re_ast.ArithmeticExpression: operators.arithmetic,
    re_ast.AddExpression: operators.add_or_subtract,
    re_ast.SubtractExpression: operators.add_or_subtract,
    re_ast.ContainsExpression: operators.contains,
    re_ast.TernaryExpression: operators.ternary,
    re_ast.CoalesceExpression: operators.coalesce,
    re_ast.GetItemExpression: operators.item,
    re_ast.FunctionCallExpression: operators.call,
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
