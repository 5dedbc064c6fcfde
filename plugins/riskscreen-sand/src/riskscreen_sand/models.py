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
        default=None,
        description=(
            "河道采砂许可状态（水法 第三十九条）：valid 有效、none 未办理、"
            "out_of_scope 超出许可范围、expired 已过期、unknown 待核实"
        ),
    )
    in_no_mining_zone: bool | None = Field(default=None, description="采砂点位于禁采区")
    volume_m3: float | None = Field(
        default=None, ge=0, description="已采挖的砂石或土方量", json_schema_extra={"unit": "m³"}
    )
    value_cny: float | None = Field(
        default=None, ge=0, description="所采砂石的价值（按价格认定或鉴定）", json_schema_extra={"unit": "元"}
    )
    equipment: list[str] | None = Field(
        default=None, description="现场机具，如 采砂船、挖掘机、装载机、渣土车"
    )
    penalties_2y: int | None = Field(
        default=None,
        ge=0,
        description="当事人近二年因非法采砂受到的行政处罚次数",
        json_schema_extra={"unit": "次"},
    )
    structure_type: StructureType | None = Field(
        default=None, description="最近的受保护工程：堤坝、水库、桥梁、水源地，附近没有则填 none"
    )
    structure_distance_m: float | None = Field(
        default=None, ge=0, description="采砂点距该工程的距离", json_schema_extra={"unit": "m"}
    )
    pipeline_crossing_distance_m: float | None = Field(
        default=None, ge=0, description="距穿越河道的油气管道中心线的距离", json_schema_extra={"unit": "m"}
    )
    on_farmland: bool | None = Field(default=None, description="在耕地上挖砂取土")
    on_levee_protection: bool | None = Field(default=None, description="在堤防安全保护区内挖砂取土")
