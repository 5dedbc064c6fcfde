"""The ``attrs`` of a ``well_drilling`` observation (打井).

Every field is optional and defaults to ``None``: a value the report leaves out makes the
rules that need it *insufficient* instead of rejecting the record. The names and types of
the attributes the sample generator emits (``examples/README.md``) are kept; the others are
optional additions.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["GroundwaterZone", "PermitStatus", "Purpose", "WellAttrs"]

#: A permit's status: 有效, 无, 超出许可范围, 过期, 不明.
PermitStatus = Literal["valid", "none", "out_of_scope", "expired", "unknown"]
#: What the water is for: 家庭生活, 零星散养/圈养畜禽饮用, 农业灌溉, 工业, 临时应急取（排）水,
#: 地下水监测/勘探/试验, 其他.
Purpose = Literal["household", "livestock", "irrigation", "industrial", "emergency", "monitoring", "other"]
#: The groundwater zone the well lies in: 禁止开采区, 限制开采区, 超采区, or none.
GroundwaterZone = Literal["禁止开采", "限制开采", "超采", "none"]


class WellAttrs(BaseModel):
    """Attributes of a well being drilled or in use (打井、取用地下水)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    has_permit: bool | None = Field(default=None, description="已取得取水许可")
    withdrawal_permit: PermitStatus | None = Field(
        default=None,
        description=(
            "取水许可状态：valid 有效、none 无、"
            "out_of_scope 超出许可范围、expired 过期、"
            "unknown 不明；"
            "给出且不为 unknown 时优先于 has_permit"
        ),
    )
    depth_m: float | None = Field(
        default=None, ge=0, le=5000, description="井深", json_schema_extra={"unit": "m"}
    )
    withdrawal_m3_day: float | None = Field(
        default=None, ge=0, le=100000, description="日取水量", json_schema_extra={"unit": "m³/日"}
    )
    purpose: Purpose | None = Field(
        default=None,
        description=(
            "取水用途：household 家庭生活、livestock 畜禽饮用、"
            "irrigation 农业灌溉、industrial 工业、"
            "emergency 临时应急取（排）水、monitoring 监测勘探、"
            "other 其他"
        ),
    )
    groundwater_zone: GroundwaterZone | None = Field(
        default=None, description="所在地下水开采分区：禁止开采、限制开采、超采，不在分区内填 none"
    )
    mains_coverage: bool | None = Field(default=None, description="位于公共供水管网覆盖范围内")
    new_well: bool | None = Field(
        default=None, description="新打井或新增取水（true）；已建成的原有井（false）"
    )
    meter_installed: bool | None = Field(default=None, description="已安装取水计量设施")
    abandoned: bool | None = Field(default=None, description="报废、废弃或停用的井")
    sealed: bool | None = Field(default=None, description="已按规定封井或回填")
    railway_distance_m: float | None = Field(
        default=None,
        ge=0,
        description="距高速铁路线路（路堤坡脚、路堑坡顶或桥梁外侧）的距离",
        json_schema_extra={"unit": "m"},
    )
    contractor_licensed: bool | None = Field(default=None, description="打井单位具备相应资质")
    equipment: list[str] | None = Field(default=None, description="现场设备，如 打井机、水泵")
