"""The attributes of a ``sand_digging`` observation (挖砂动土).

Every field is optional and defaults to ``None``: a value the reporter did not give makes
the rules that need it *insufficient* instead of rejecting the whole record. Values that
are present are type-checked, and physical quantities cannot be negative. Keys this
model does not know are kept on the record (no rule can read them).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["PermitStatus", "SandDiggingAttrs", "StructureType"]

#: Status of a permit: valid, none (never obtained), out_of_scope (mining outside the
#: permitted area, volume or method), expired, unknown (not verified yet).
PermitStatus = Literal["valid", "none", "out_of_scope", "expired", "unknown"]

#: Protected works near a digging site: dam or levee, reservoir, bridge, drinking-water
#: source, or ``none`` when there is no such structure nearby.
StructureType = Literal["堤坝", "水库", "桥梁", "水源地", "none"]


class SandDiggingAttrs(BaseModel):
    """``attrs`` of the ``sand_digging`` category, as grid workers report them."""

    model_config = ConfigDict(extra="allow")

    sand_permit: PermitStatus | None = Field(
        default=None, description="河道采砂许可 status (水法 第三十九条)"
    )
    in_no_mining_zone: bool | None = Field(default=None, description="site lies in a 禁采区")
    volume_m3: float | None = Field(default=None, ge=0, description="sand or earth dug, m³")
    value_cny: float | None = Field(default=None, ge=0, description="value of the sand dug, CNY")
    equipment: list[str] | None = Field(
        default=None, description="equipment on site: 采砂船, 挖掘机, 装载机, 渣土车 ..."
    )
    penalties_2y: int | None = Field(
        default=None, ge=0, description="administrative penalties for illegal mining in the last two years"
    )
    structure_type: StructureType | None = Field(
        default=None, description="nearest protected structure (堤坝, 水库, 桥梁, 水源地) or none"
    )
    structure_distance_m: float | None = Field(
        default=None, ge=0, description="distance from the site to that structure, m"
    )
    pipeline_crossing_distance_m: float | None = Field(
        default=None, ge=0, description="distance to the centreline of a pipeline crossing the river, m"
    )
    on_farmland: bool | None = Field(default=None, description="digging on cultivated land (耕地)")
    on_levee_protection: bool | None = Field(
        default=None, description="digging inside a levee safety protection zone (堤防安全保护区)"
    )
