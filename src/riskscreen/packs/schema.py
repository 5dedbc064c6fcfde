"""The rule-pack file format as pydantic models.

These models are the single definition of the YAML format: the loader validates with
them and ``riskscreen schema rules`` derives the editors' JSON Schema from them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    field_validator,
)

from ..durations import format_duration, parse_duration
from ..laws.reference import Reference
from ..models import DEFAULT_SCORES, Severity, Tier
from .attrtypes import parse_attr_type

__all__ = [
    "DEFAULT_SCORES",
    "AttrSpec",
    "CategorySpec",
    "OverrideSpec",
    "PackSpec",
    "RuleSpec",
    "ValidityDate",
]

_ID = r"^[A-Za-z][A-Za-z0-9_.-]*$"
_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")

JurisdictionLevel = Literal["street", "district", "village", "grid_id"]


class ValidityDate(BaseModel):
    """A validity bound: a calendar date, or a month and day that recurs every year."""

    model_config = ConfigDict(frozen=True)

    year: int | None
    month: int
    day: int

    def key(self) -> tuple[int, int]:
        """(month, day), for comparing recurring bounds."""
        return (self.month, self.day)

    def __str__(self) -> str:
        prefix = f"{self.year:04d}-" if self.year is not None else ""
        return f"{prefix}{self.month:02d}-{self.day:02d}"


def _validity(value: Any) -> ValidityDate | None:
    if value is None or isinstance(value, ValidityDate):
        return value
    if isinstance(value, date):
        return ValidityDate(year=value.year, month=value.month, day=value.day)
    if isinstance(value, str):
        match = _MONTH_DAY.match(value.strip())
        if match:
            month, day = int(match.group(1)), int(match.group(2))
            date(2024, month, day)  # a leap year, so 02-29 is accepted; raises on 13-01
            return ValidityDate(year=None, month=month, day=day)
        try:
            parsed = date.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            return ValidityDate(year=parsed.year, month=parsed.month, day=parsed.day)
    raise ValueError(f"expected a date YYYY-MM-DD or a yearly MM-DD, got {value!r}")


class _Spec(BaseModel):
    # strict: ``score: "80"`` is a mistake the JSON Schema rejects, so the loader rejects it
    # too (no quietly read text as a number, a number as text or 1 as true)
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _type_name(value: Any) -> str:
    return parse_attr_type(value).name


TypeName = Annotated[str, BeforeValidator(_type_name)]

AttrName = Annotated[str, StringConstraints(pattern=_NAME)]


class AttrSpec(_Spec):
    """An attribute declared with what a person needs to report it: type, meaning, unit."""

    type: TypeName = Field(description="string, int, float, bool, datetime or list[...] of those")
    description: str | None = Field(default=None, description="属性含义（中文）/ what the attribute means")
    unit: str | None = Field(default=None, description="计量单位，如 m、kV、%LEL / unit of measure")


def _declaration_form(value: Any) -> str:
    return "type" if isinstance(value, str) else "spec"


#: An attribute declaration: ``float``, or ``{type: float, description: ..., unit: m}``.
AttrDeclaration = Annotated[
    Annotated[TypeName, Tag("type")] | Annotated[AttrSpec, Tag("spec")],
    Discriminator(_declaration_form),
]


class CategorySpec(_Spec):
    """A category's attributes: each a type name, or a type with its description and unit."""

    attrs: dict[AttrName, AttrDeclaration] = Field(
        default_factory=dict,
        description="attribute name -> type (string, int, float, bool, datetime, list[...]) "
        "or {type, description, unit}",
    )
    description: str | None = None


class _RuleFields(_Spec):
    """Fields a rule has and an override may change."""

    title: str | None = None
    severity: Severity | None = None
    score: float | None = Field(default=None, ge=0, le=100)
    message: str | None = None
    action: str | None = None
    escalate_to: Tier | None = None
    respond_within: str | None = Field(default=None, description="e.g. 30m, 2h, 1h30m, 15d")
    tags: list[str] | None = None
    # a plain string is read by Reference itself, so both forms give one Reference
    references: list[Reference] | None = Field(
        default=None,
        description="法规依据：字符串（地下水管理条例 第三十五条）或 {law, article, ...} 映射 "
        "/ legal basis, as text or as a mapping",
    )
    enabled: bool | None = None
    valid_from: ValidityDate | None = Field(default=None, description="YYYY-MM-DD or yearly MM-DD, inclusive")
    valid_until: ValidityDate | None = Field(
        default=None, description="YYYY-MM-DD or yearly MM-DD, inclusive"
    )
    jurisdiction: dict[JurisdictionLevel, list[str]] | None = None
    description: str | None = None

    @field_validator("respond_within", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        if value is None:
            return None
        # normalise (a bare number means hours) so the loader reads back what was checked
        return format_duration(parse_duration(value))

    @field_validator("valid_from", "valid_until", mode="before")
    @classmethod
    def _dates(cls, value: Any) -> Any:
        return _validity(value)


class RuleSpec(_RuleFields):
    """One rule as written in a pack."""

    id: str = Field(pattern=_ID, max_length=100)
    title: str = Field(min_length=1)
    when: str = Field(min_length=1)
    unless: str | None = None


class OverrideSpec(_RuleFields):
    """Local tuning of a rule loaded from another pack, found by id."""

    id: str = Field(pattern=_ID, max_length=100)


class PackSpec(_Spec):
    """A rule-pack file."""

    pack: str = Field(pattern=_NAME, max_length=100)
    version: str = "0.0.0"
    title: str | None = None
    description: str | None = None
    applies_to: list[str] | None = None
    categories: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")], CategorySpec] = Field(
        default_factory=dict, description="category name (snake_case) -> its attributes"
    )
    lists: dict[str, list[str] | list[float]] = Field(default_factory=dict)
    macros: dict[str, str] = Field(default_factory=dict)
    rules: list[RuleSpec] = Field(default_factory=list)
    overrides: list[OverrideSpec] = Field(default_factory=list)

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: Any) -> Any:
        # YAML reads ``version: 1.0`` as a float; the author meant the text.
        return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value

    @field_validator("lists", "macros")
    @classmethod
    def _symbol_names(cls, value: dict[str, Any]) -> dict[str, Any]:
        for name in value:
            if not re.match(_NAME, name):
                raise ValueError(f"name {name!r} must be letters, digits and _, not starting with a digit")
        return value
