"""Local configuration of the sand plugin: ``Settings(plugins={"sand": {...}})``.

Every figure a province or county sets lives here with a documented default; none is a
constant in code. A value outside what national law allows is a load error naming the
plugin, e.g. ``plugin sand: configuration serious_value_cny: ...``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from riskscreen import YearlyWindow

from .law import RESTRICTED_VALUE_RANGE_CNY, SERIOUS_VALUE_RANGE_CNY
from .models import StructureType

__all__ = ["DEFAULT_CLOSED_SEASONS", "DEFAULT_STRUCTURE_DISTANCES_M", "SandConfig"]

#: The default closed season (禁采期): 1 July to 15 August, the main flood months.
DEFAULT_CLOSED_SEASONS: tuple[YearlyWindow, ...] = (YearlyWindow(start="07-01", end="08-15"),)

#: Default minimum distances (m) between sand digging and protected works. They are
#: placeholders to be replaced by the locally delineated protection ranges:
#: - 堤坝 200 m: the management range of a large dam measured from its foot;
#: - 水库 200 m: as for dams (水库大坝安全管理条例 第十三条 bans digging in the range);
#: - 桥梁 500 m: the upstream limit for every bridge size (公路安全保护条例 第二十条;
#:   downstream it is 1,000-3,000 m by bridge size);
#: - 水源地 500 m: local drinking-water source protection.
DEFAULT_STRUCTURE_DISTANCES_M: dict[StructureType, float] = {
    "堤坝": 200.0,
    "水库": 200.0,
    "桥梁": 500.0,
    "水源地": 500.0,
}


class SandConfig(BaseModel):
    """Local thresholds for sand digging; the defaults are the documented ones.

    - ``closed_seasons``: yearly closed seasons (禁采期), each ``{"start": "MM-DD", "end":
      "MM-DD"}`` with both days inclusive; a window may wrap over the year end. An empty
      list means no closed season.
    - ``serious_value_cny``: the province's "情节严重" value, within 100,000–300,000 CNY
      (法释〔2016〕25号 第三条); default the low end.
    - ``serious_value_cny_restricted``: the same inside a no-mining zone or closed season,
      within 50,000–150,000 CNY; default the low end. It may not exceed ``serious_value_cny``.
    - ``structure_distances_m``: minimum distance per protected structure type; entries
      given are merged into the defaults, so setting only ``桥梁`` keeps the others.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    closed_seasons: tuple[YearlyWindow, ...] = DEFAULT_CLOSED_SEASONS
    serious_value_cny: float = Field(
        default=SERIOUS_VALUE_RANGE_CNY[0], ge=SERIOUS_VALUE_RANGE_CNY[0], le=SERIOUS_VALUE_RANGE_CNY[1]
    )
    serious_value_cny_restricted: float = Field(
        default=RESTRICTED_VALUE_RANGE_CNY[0],
        ge=RESTRICTED_VALUE_RANGE_CNY[0],
        le=RESTRICTED_VALUE_RANGE_CNY[1],
    )
    structure_distances_m: dict[StructureType, float] = Field(
        default_factory=lambda: dict(DEFAULT_STRUCTURE_DISTANCES_M)
    )

    @field_validator("structure_distances_m", mode="before")
    @classmethod
    def _merge_defaults(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {**DEFAULT_STRUCTURE_DISTANCES_M, **value}
        return value

    @field_validator("structure_distances_m")
    @classmethod
    def _positive_distances(cls, value: dict[StructureType, float]) -> dict[StructureType, float]:
        if "none" in value:
            raise ValueError("'none' is not a structure; give distances for 堤坝, 水库, 桥梁 or 水源地")
        for name, metres in value.items():
            if not metres > 0:
                raise ValueError(f"the distance for {name} must be a positive number of metres, got {metres}")
        return value

    @model_validator(mode="after")
    def _restricted_not_above_general(self) -> SandConfig:
        if self.serious_value_cny_restricted > self.serious_value_cny:
            raise ValueError(
                "serious_value_cny_restricted (no-mining zone or closed season) must not exceed "
                f"serious_value_cny: {self.serious_value_cny_restricted:g} > {self.serious_value_cny:g}"
            )
        return self
