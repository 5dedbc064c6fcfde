"""The attribute reference: every category, and what each attribute means, in what unit.

Rule packs declare attributes in YAML (``name: {type: float, description: ..., unit: m}``)
and plugins with pydantic models (``Field(description=..., json_schema_extra={"unit": "m"})``).
:func:`category_reference` gathers both from a loaded rule set; ``riskscreen categories``
prints it as a table, JSON or Markdown (``docs/categories.md`` is that Markdown), and
:func:`attrs_schema` describes a category's ``attrs`` in the observation's JSON Schema.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from .packs.categories import CategoryRegistry

__all__ = ["AttributeInfo", "CategoryInfo", "attrs_schema", "category_reference", "example_value"]

#: How each type is written in a report, for people.
TYPE_TEXT: dict[str, str] = {
    "string": "文字",
    "int": "整数",
    "float": "数字",
    "bool": "是否",
    "datetime": "时间（带时区）",
}
_JSON_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "datetime": {"type": "string", "format": "date-time"},
}
_EXAMPLES: dict[str, Any] = {
    "string": "…",
    "int": 1,
    "float": 1.5,
    "bool": True,
    "datetime": "2026-07-01T09:00:00+08:00",
}


@dataclass(frozen=True)
class AttributeInfo:
    """One attribute of a category: its type, meaning, unit, allowed values and source."""

    name: str
    type: str
    description: str | None
    unit: str | None
    values: tuple[str, ...] = ()
    source: str = ""

    def type_text(self) -> str:
        """The type as a person reads it: ``数字``, ``文字列表`` ..."""
        if self.type.startswith("list["):
            return f"{TYPE_TEXT[self.type[5:-1]].split(' ')[0].split('（')[0]}列表"
        return TYPE_TEXT[self.type]

    def as_dict(self) -> dict[str, Any]:
        """The attribute as JSON: name, type, description, unit, values, source."""
        return {
            "name": self.name,
            "type": self.type,
            "description": self.description,
            "unit": self.unit,
            "values": list(self.values),
            "source": self.source,
        }


@dataclass(frozen=True)
class CategoryInfo:
    """A category: its name, Chinese title and attributes (sorted by name)."""

    name: str
    title: str | None
    attributes: tuple[AttributeInfo, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        """The category as JSON."""
        return {
            "name": self.name,
            "title": self.title,
            "attributes": [a.as_dict() for a in self.attributes],
        }


def _allowed_values(model: type[BaseModel] | None, name: str) -> tuple[str, ...]:
    """The values a plugin model's ``Literal[...]`` attribute accepts (empty otherwise)."""
    if model is None or name not in model.model_fields:
        return ()
    annotation: Any = model.model_fields[name].annotation
    found: list[str] = []
    pending = [annotation]
    while pending:
        current = pending.pop()
        origin = typing.get_origin(current)
        if origin is Literal:
            found.extend(str(v) for v in typing.get_args(current))
        elif origin in (typing.Union, types.UnionType, list):
            pending.extend(typing.get_args(current))
    return tuple(found)


def category_reference(registry: CategoryRegistry, names: list[str] | None = None) -> list[CategoryInfo]:
    """Every category (or those in ``names``) with its described attributes, sorted by name."""
    chosen = registry.names if names is None else [n for n in registry.names if n in names]
    found = []
    for category in chosen:
        model = registry.models.get(category)
        attributes = tuple(
            AttributeInfo(
                name=name,
                type=declaration.type.name,
                description=declaration.description,
                unit=declaration.unit,
                values=_allowed_values(model, name),
                source=declaration.source,
            )
            for name, declaration in sorted(registry.attrs.get(category, {}).items())
        )
        found.append(CategoryInfo(category, registry.titles.get(category), attributes))
    return found


def example_value(attribute: AttributeInfo) -> Any:
    """A value of the attribute's type for an example report (its first allowed value if any)."""
    if attribute.values:
        first = attribute.values[0]
        return [first] if attribute.type.startswith("list[") else first
    if attribute.type.startswith("list["):
        return [_EXAMPLES[attribute.type[5:-1]]]
    return _EXAMPLES[attribute.type]


def attrs_schema(category: CategoryInfo) -> dict[str, Any]:
    """The JSON Schema of a category's ``attrs``: typed, described, with units (``x-unit``)."""
    properties: dict[str, Any] = {}
    for attribute in category.attributes:
        if attribute.type.startswith("list["):
            schema: dict[str, Any] = {"type": "array", "items": dict(_JSON_TYPES[attribute.type[5:-1]])}
        else:
            schema = dict(_JSON_TYPES[attribute.type])
        if attribute.values:
            target = schema.get("items", schema)
            target["enum"] = list(attribute.values)
        text = attribute.description or ""
        if attribute.unit:
            schema["x-unit"] = attribute.unit
            text = f"{text}（单位：{attribute.unit}）" if text else f"单位：{attribute.unit}"
        if text:
            schema["description"] = text
        properties[attribute.name] = {"anyOf": [schema, {"type": "null"}]}
    title = f"{category.name}（{category.title}）的属性" if category.title else f"{category.name} 的属性"
    return {"type": "object", "description": title, "properties": properties, "additionalProperties": True}
