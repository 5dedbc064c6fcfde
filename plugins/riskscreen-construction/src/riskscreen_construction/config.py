"""Local thresholds of the construction plugin, as configuration with documented defaults.

Set them through ``Settings(plugins={"construction": {...}})``; a bad value is a load error
naming the plugin. National tables (the power-line corridor, the pipeline zone, the farmland
criminal thresholds) are law, not configuration: see :mod:`riskscreen_construction.derived`
and the rule pack.
"""

from __future__ import annotations

import itertools
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from riskscreen import YearlyWindow

__all__ = [
    "DEFAULT_HOMESTEAD_CAPS",
    "CapTier",
    "ConstructionConfig",
    "ProvinceCaps",
    "SizeBracket",
]


class CapTier(BaseModel):
    """One tier of a province's homestead area standard (宅基地面积标准)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cap_m2: float = Field(gt=0, description="每户宅基地面积上限，平方米")
    label: str = Field(min_length=1, description="档次的中文说明，写入提示信息")


class SizeBracket(CapTier):
    """A tier chosen by household size: households of up to ``max_persons`` people.

    ``max_persons=None`` is the open top bracket (and above).
    """

    max_persons: int | None = Field(default=None, ge=1)


class ProvinceCaps(BaseModel):
    """A province's homestead area standard and how an observation picks its tier.

    ``basis="land_class"``: ``attrs.homestead_land_class`` names a key of ``land_classes``.
    ``basis="household_size"``: ``attrs.household_size`` picks the first bracket of
    ``size_brackets`` whose ``max_persons`` it does not exceed.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, description="省份名称，如 河南省")
    basis: Literal["land_class", "household_size"] = "land_class"
    land_classes: dict[str, CapTier] = Field(default_factory=dict)
    size_brackets: tuple[SizeBracket, ...] = ()
    reference: str = Field(min_length=1, description="地方标准的出处，写入 references")

    @model_validator(mode="after")
    def _tiers_match_basis(self) -> ProvinceCaps:
        if self.basis == "land_class" and not self.land_classes:
            raise ValueError("basis 'land_class' needs at least one entry in land_classes")
        if self.basis == "household_size":
            brackets = self.size_brackets
            if not brackets:
                raise ValueError("basis 'household_size' needs at least one entry in size_brackets")
            if brackets[-1].max_persons is not None:
                raise ValueError("the last size bracket must be open (max_persons: null)")
            bounds = [b.max_persons for b in brackets[:-1] if b.max_persons is not None]
            if len(bounds) != len(brackets) - 1:
                raise ValueError("only the last size bracket may be open (max_persons: null)")
            if any(a >= b for a, b in itertools.pairwise(bounds)):
                raise ValueError("size brackets must be in increasing order of max_persons")
        return self

    def tiers(self) -> list[CapTier]:
        """Every tier of the active basis."""
        if self.basis == "land_class":
            return list(self.land_classes.values())
        return list(self.size_brackets)


#: Shipped provincial standards (local law; verify the current text before relying on it).
DEFAULT_HOMESTEAD_CAPS: dict[str, ProvinceCaps] = {
    "henan": ProvinceCaps(
        name="河南省",
        basis="land_class",
        land_classes={
            "suburban": CapTier(cap_m2=134, label="城镇郊区和人均耕地667平方米以下的平原地区"),
            "plain": CapTier(cap_m2=167, label="人均耕地667平方米以上的平原地区"),
            "hilly": CapTier(cap_m2=200, label="山区、丘陵区"),
        },
        reference="河南省实施《中华人民共和国土地管理法》办法（宅基地面积标准）",
    ),
    "zhejiang": ProvinceCaps(
        name="浙江省",
        basis="land_class",
        land_classes={
            "cultivated": CapTier(cap_m2=125, label="使用耕地"),
            "other": CapTier(cap_m2=140, label="使用其他土地"),
            "hilly": CapTier(cap_m2=160, label="山区利用荒地、荒坡"),
        },
        reference="浙江省土地管理条例（宅基地面积标准）",
    ),
}


class ConstructionConfig(BaseModel):
    """The construction plugin's configuration (``Settings.plugins["construction"]``).

    - ``province``: the key of ``homestead_caps`` in force (default ``henan``).
    - ``homestead_caps``: provincial homestead area standards by key; the shipped ``henan``
      and ``zhejiang`` stay available, and entries given here add to or replace them.
    - ``flood_season``: the local flood season (汛期, 防洪法 第四十一条: set by each
      province), default 06-01 to 09-30; building on a levee inside it is an emergency.
    - ``repeat_reports_30d``: reports of the same site within 30 days from which an open
      violation counts as a repeat offence (屡查屡建), default 3.
    - ``repeat_after_rectification``: whether a violation at a site rectified before counts
      as a repeat offence (拆后复建), default true.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    # homestead_caps comes first so that the province can be checked against it
    homestead_caps: dict[str, ProvinceCaps] = Field(default_factory=lambda: dict(DEFAULT_HOMESTEAD_CAPS))
    province: str = "henan"
    flood_season: YearlyWindow = YearlyWindow(start="06-01", end="09-30")
    repeat_reports_30d: int = Field(default=3, ge=1)
    repeat_after_rectification: bool = True

    @field_validator("homestead_caps", mode="before")
    @classmethod
    def _over_defaults(cls, given: Any) -> Any:
        # a locality adds or replaces provinces; the shipped ones stay available
        return {**DEFAULT_HOMESTEAD_CAPS, **given} if isinstance(given, dict) else given

    @field_validator("province")
    @classmethod
    def _province_known(cls, province: str, info: ValidationInfo) -> str:
        caps = info.data.get("homestead_caps")
        if caps is not None and province not in caps:
            known = ", ".join(sorted(caps)) or "none"
            raise ValueError(f"province {province!r} has no entry in homestead_caps (known: {known})")
        return province

    @property
    def caps(self) -> ProvinceCaps:
        """The homestead standard of the configured province."""
        return self.homestead_caps[self.province]
