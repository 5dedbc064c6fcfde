"""Categories and the types of their attributes, gathered from every source.

Packs declare categories in YAML; plugins register pydantic models. Each attribute has
exactly one type: a second source that declares it differently is a load error naming
both sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict

from .attrtypes import AttrType, attr_type_from_annotation

__all__ = [
    "BUILTIN_CATEGORIES",
    "CATEGORY_TITLES",
    "CategoryRegistry",
    "Declaration",
    "declaration_of",
    "model_declarations",
]

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


#: Chinese names of the built-in categories, for the attribute reference.
CATEGORY_TITLES: dict[str, str] = {
    "construction": "房屋建设",
    "machinery": "机械施工",
    "sand_digging": "挖砂动土",
    "well_drilling": "打井",
    "fire_safety": "消防安全",
    "gas_safety": "燃气安全",
    "flood": "防汛",
    "production_safety": "安全生产",
    "dispute": "矛盾纠纷",
    "environment": "生态环境",
    "other": "其他",
}


@dataclass(frozen=True)
class Declaration:
    """One source's statement that ``category.attrs.name`` has type ``type``.

    ``description`` (Chinese) and ``unit`` tell a person what to report; the first source
    that gives them is the one shown.
    """

    type: AttrType
    source: str
    description: str | None = None
    unit: str | None = None


def declaration_of(declared: Any, source: str) -> Declaration:
    """A pack's declaration (``float`` or an :class:`~riskscreen.packs.schema.AttrSpec`) as a Declaration."""
    if isinstance(declared, str):
        return Declaration(AttrType(declared.strip()), source)
    return Declaration(AttrType(declared.type.strip()), source, declared.description, declared.unit)


def model_declarations(
    model: type[BaseModel], source: str, *, only: str | None = None
) -> dict[str, Declaration]:
    """The attributes of a plugin's pydantic model, described and with units where it gives them.

    A field's ``description`` is the attribute's description and ``json_schema_extra={"unit": "m"}``
    its unit. Raises ``ValueError`` naming the attribute whose annotation has no riskscreen type.
    """
    declarations: dict[str, Declaration] = {}
    for name, info in model.model_fields.items():
        if only is not None and name != only:
            continue
        try:
            attr_type = attr_type_from_annotation(info.annotation)
        except ValueError as exc:
            raise ValueError(f"attribute {name!r}: {exc}") from None
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        unit = extra.get("unit")
        declarations[name] = Declaration(attr_type, source, info.description, str(unit) if unit else None)
    return declarations


@dataclass
class CategoryRegistry:
    """Every known category and its typed attributes."""

    attrs: dict[str, dict[str, Declaration]] = field(
        default_factory=lambda: {name: {} for name in BUILTIN_CATEGORIES}
    )
    models: dict[str, type[BaseModel]] = field(default_factory=dict)
    #: category -> what it is, in Chinese (packs' ``description``, else the built-in title)
    titles: dict[str, str] = field(default_factory=lambda: dict(CATEGORY_TITLES))
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
        if earlier.type != declaration.type:
            return earlier
        if (earlier.description is None and declaration.description) or (
            earlier.unit is None and declaration.unit
        ):
            # a later source may describe what an earlier one only typed
            known[name] = Declaration(
                earlier.type,
                earlier.source,
                earlier.description or declaration.description,
                earlier.unit or declaration.unit,
            )
        return None

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
