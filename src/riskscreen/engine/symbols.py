"""Typed symbol tables: what a rule expression may name, and the type of each name.

One table serves one pack for one category. It types the observation's fields (from the
pydantic models), the category's declared ``attrs``, the ``derived`` fields, and the
pack's lists and macros, so rule-engine rejects an unknown name or a type mismatch when
the pack is loaded, not when a record arrives.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Mapping
from datetime import tzinfo
from typing import Any

import rule_engine
from pydantic import BaseModel
from rule_engine import DataType
from rule_engine.suggestions import suggest_symbol

from ..models import History, Location, Reporter
from ..packs.attrtypes import AttrType, attr_type_from_annotation
from .record import Record, read_attribute

__all__ = ["OBJECT_ROOTS", "READ_ROOTS", "SymbolTable", "object_type"]

#: Top-level symbols whose values are typed objects read with dotted paths.
OBJECT_ROOTS = frozenset({"location", "reporter", "history", "attrs", "derived"})
#: Top-level symbols that are the observation's own fields (not lists, macros or variables):
#: the roots of the paths a rule reads.
READ_ROOTS = frozenset(
    {"id", "kind", "category", "reported_at", "occurred_at", "description", "status"} | OBJECT_ROOTS
)

_SCALARS: dict[str, Any] = {
    "id": DataType.STRING,
    "kind": DataType.STRING,
    "category": DataType.STRING,
    "reported_at": DataType.DATETIME,
    "occurred_at": DataType.DATETIME,
    "description": DataType.STRING,
    "status": DataType.STRING,
}


def object_type(name: str, attributes: Mapping[str, AttrType]) -> Any:
    """A rule-engine OBJECT type whose attributes are read from an observation's mapping."""
    return DataType.OBJECT(
        name,
        attributes={key: value.rule_type for key, value in attributes.items()},
        accessor=read_attribute,
    )


def _model_object(name: str, model: type[BaseModel]) -> Any:
    return object_type(
        name,
        {field: attr_type_from_annotation(info.annotation) for field, info in model.model_fields.items()},
    )


_MODEL_OBJECTS: dict[str, Any] = {
    "location": _model_object("location", Location),
    "reporter": _model_object("reporter", Reporter),
    "history": _model_object("history", History),
}


class SymbolTable:
    """The names one pack's expressions may use for one category, with their types."""

    def __init__(
        self,
        *,
        category: str,
        attrs: Mapping[str, AttrType],
        derived: Mapping[str, AttrType],
        lists: Mapping[str, tuple[Any, ...]],
        macro_names: tuple[str, ...],
        timezone: tzinfo,
        functions: Mapping[str, tuple[Callable[..., Any], Any]] | None = None,
    ) -> None:
        self.category = category
        self.types: dict[str, Any] = dict(_SCALARS)
        self.types.update(_MODEL_OBJECTS)
        self.types["attrs"] = object_type(f"attrs[{category}]", attrs)
        self.types["derived"] = object_type("derived", derived)
        self.lists = dict(lists)
        for name, values in self.lists.items():
            element = DataType.STRING if all(isinstance(v, str) for v in values) else DataType.FLOAT
            self.types[name] = DataType.ARRAY(element)
        for name in macro_names:
            self.types[name] = DataType.BOOLEAN
        self.macro_names = frozenset(macro_names)
        self.functions = {name: function for name, (function, _) in (functions or {}).items()}
        for name, (_, function_type) in (functions or {}).items():
            self.types.setdefault(name, function_type)
        self.macros: dict[str, Callable[[Record], Any]] = {}
        self._timezone = timezone
        self._parsed_symbols: set[str] = set()
        self._context: Any = self._new_context(timezone)
        #: The context's decimal context, also known before the context is made (see context).
        self.decimal_context: decimal.Context = self._context.decimal_context

    @property
    def context(self) -> Any:
        """rule-engine's context for this table, made when first needed.

        A table read back from the cache has none until an expression must be parsed or
        interpreted: building one imports rule-engine's parser, which screening with
        compiled rules never needs.
        """
        if self._context is None:
            self._context = self._new_context(self._timezone, self.decimal_context)
            self._context.symbols.update(self._parsed_symbols)
        return self._context

    def _new_context(self, timezone: tzinfo, decimal_context: decimal.Context | None = None) -> Any:
        return rule_engine.Context(
            type_resolver=self.type_of,
            resolver=self.resolve,
            default_timezone=timezone,
            mapping_attribute_lookup=False,
            decimal_context=decimal_context,
        )

    def __getstate__(self) -> dict[str, Any]:
        # the rule-engine context is rebuilt, not pickled; it keeps the symbols parsed with it
        state = dict(self.__dict__)
        context = state.pop("_context")
        state.pop("decimal_context")
        if context is not None:
            state["_timezone"] = context.default_timezone
            state["_parsed_symbols"] = set(context.symbols)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._context = None  # see context
        # what a context made now would take (rule-engine's default: the current decimal context)
        self.decimal_context = decimal.getcontext()

    @property
    def plain_names(self) -> frozenset[str]:
        """Symbols that are not observation fields: lists, macros and functions."""
        return frozenset(self.lists) | self.macro_names | frozenset(self.functions)

    def type_of(self, name: str) -> Any:
        """rule-engine's type resolver: the type of ``name``, or an error with a suggestion."""
        try:
            return self.types[name]
        except KeyError:
            raise rule_engine.errors.SymbolResolutionError(
                name, suggestion=suggest_symbol(name, list(self.types))
            ) from None

    def resolve(self, record: Record, name: str) -> Any:
        """rule-engine's resolver: a list, a macro's value, or the observation's field."""
        macro = self.macros.get(name)
        if macro is not None:
            return macro(record)
        if name in self.lists:
            return self.lists[name]
        function = self.functions.get(name)
        if function is not None:
            return function
        return record.get(name)
