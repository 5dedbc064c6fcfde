"""Categories and the types of their attributes, gathered from every source.

Packs declare categories in YAML; plugins register pydantic models. Each attribute has
exactly one type: a second source that declares it differently is a load error naming
both sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict

from .attrtypes import AttrType

__all__ = ["BUILTIN_CATEGORIES", "CategoryRegistry", "Declaration"]

#: Categories every screener knows, with or without declared attributes.
BUILTIN_CATEGORIES: tuple[str, ...] = (
    "construction",
    "machinery",
    "sand_digging",
    "well_drilling",
    "fire_safety",
    "gas_safety",
    "flood",
    "production_safety",
    "dispute",
    "environment",
    "other",
)


@dataclass(frozen=True)
class Declaration:
    """One source's statement that ``category.attrs.name`` has type ``type``."""

    type: AttrType
    source: str


@dataclass
class CategoryRegistry:
    """Every known category and its typed attributes."""

    attrs: dict[str, dict[str, Declaration]] = field(
        default_factory=lambda: {name: {} for name in BUILTIN_CATEGORIES}
    )
    models: dict[str, type[BaseModel]] = field(default_factory=dict)
    _validators: dict[str, type[BaseModel]] = field(default_factory=dict, repr=False)

    def add_category(self, category: str) -> None:
        """Make ``category`` known even if it declares no attributes."""
        self.attrs.setdefault(category, {})

    def declare(self, category: str, name: str, declaration: Declaration) -> Declaration | None:
        """Record a declaration; return the earlier, conflicting one if the types differ."""
        known = self.attrs.setdefault(category, {})
        earlier = known.get(name)
        if earlier is None:
            known[name] = declaration
            return None
        return earlier if earlier.type != declaration.type else None

    @property
    def names(self) -> list[str]:
        """Known category names, sorted."""
        return sorted(self.attrs)

    def attr_types(self, category: str) -> dict[str, AttrType]:
        """The typed attributes of one category (empty for an unknown one)."""
        return {name: d.type for name, d in self.attrs.get(category, {}).items()}

    def shared_attr_types(self) -> dict[str, AttrType]:
        """Attributes typed the same wherever declared: what category-independent rules may read."""
        merged: dict[str, AttrType] = {}
        conflicting: set[str] = set()
        for declarations in self.attrs.values():
            for name, declaration in declarations.items():
                if name in merged and merged[name] != declaration.type:
                    conflicting.add(name)
                merged.setdefault(name, declaration.type)
        return {k: v for k, v in merged.items() if k not in conflicting}

    def validator(self, category: str) -> type[BaseModel]:
        """A pydantic model that checks typed attributes and keeps unknown ones.

        A plugin's model for the category is the base (its constraints apply); attributes
        declared only in packs are added as optional typed fields.
        """
        model = self._validators.get(category)
        if model is None:
            base = self.models.get(category, BaseModel)
            extra = {
                name: d.type.python_type | None
                for name, d in self.attrs.get(category, {}).items()
                if name not in base.model_fields
            }
            namespace: dict[str, Any] = {
                "__annotations__": extra,
                "__module__": __name__,
                "model_config": ConfigDict(extra="allow", allow_inf_nan=False, frozen=True),
                **dict.fromkeys(extra),
            }
            model = type(f"Attrs_{category}", (base,), namespace)
            self._validators[category] = model
        return model
