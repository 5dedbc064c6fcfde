"""Attribute type names used in rule packs, and what they mean to pydantic and rule-engine.

A pack declares ``depth_m: float``; the same declaration validates incoming records
(through a pydantic model) and types rule expressions (through a rule-engine data type),
so what a rule may say and what a record may hold can never drift apart.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rule_engine import DataType

__all__ = ["SCALAR_TYPES", "AttrType", "attr_type_from_annotation", "parse_attr_type"]

SCALAR_TYPES: dict[str, tuple[Any, Any]] = {
    "string": (str, DataType.STRING),
    "int": (int, DataType.FLOAT),
    "float": (float, DataType.FLOAT),
    "bool": (bool, DataType.BOOLEAN),
    # naive times are accepted here and then given the configured default timezone (or
    # rejected) by the record validator, as for reported_at
    "datetime": (datetime, DataType.DATETIME),
}

_LIST = re.compile(r"^list\[\s*([a-z]+)\s*\]$")


@dataclass(frozen=True)
class AttrType:
    """A declared attribute type, e.g. ``float`` or ``list[string]``."""

    name: str

    @property
    def python_type(self) -> Any:
        """The annotation pydantic validates record values with."""
        match = _LIST.match(self.name)
        if match:
            return list[SCALAR_TYPES[match.group(1)][0]]  # type: ignore[misc]
        return SCALAR_TYPES[self.name][0]

    @property
    def rule_type(self) -> Any:
        """The rule-engine data type expressions see."""
        match = _LIST.match(self.name)
        if match:
            return DataType.ARRAY(SCALAR_TYPES[match.group(1)][1])
        return SCALAR_TYPES[self.name][1]

    def __str__(self) -> str:
        return self.name


def parse_attr_type(text: object) -> AttrType:
    """Read a type name; raise :class:`ValueError` naming the accepted types otherwise."""
    if not isinstance(text, str):
        raise ValueError(f"a type name must be a string such as 'float', got {text!r}")
    name = text.strip()
    match = _LIST.match(name)
    inner = match.group(1) if match else name
    if inner in SCALAR_TYPES:
        return AttrType(f"list[{inner}]" if match else inner)
    known = [*SCALAR_TYPES, *(f"list[{t}]" for t in SCALAR_TYPES)]
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise ValueError(f"unknown type {name!r}{hint} (types: {', '.join(known)})")


def attr_type_from_annotation(annotation: Any) -> AttrType:
    """The attribute type of a pydantic field annotation (``float``, ``list[str]``, ``X | None``)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return attr_type_from_annotation(args[0])
    if origin is typing.Literal:
        values = typing.get_args(annotation)
        if all(isinstance(v, str) for v in values):
            return AttrType("string")
    if origin is list:
        (inner,) = typing.get_args(annotation) or (str,)
        return AttrType(f"list[{attr_type_from_annotation(inner).name}]")
    for name, (python_type, _) in SCALAR_TYPES.items():
        if annotation is python_type:
            return AttrType(name)
    if isinstance(annotation, type) and issubclass(annotation, str):
        return AttrType("string")
    raise ValueError(f"cannot map annotation {annotation!r} to a riskscreen attribute type")
