"""The attributes of a ``construction`` (房屋建设) observation.

Every field is optional and defaults to ``None``: a value the grid worker did not report
makes the rules that need it *insufficient* instead of rejecting the record. The names and
types of the first block are the ones the sample generator (``examples/generate.py``) emits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ConstructionAttrs", "PermitStatus"]

#: A permit or approval as seen on site: 有效 / 无 / 超出许可范围 / 已过期 / 无法核实.
PermitStatus = Literal["valid", "none", "out_of_scope", "expired", "unknown"]


class ConstructionAttrs(BaseModel):
    """``attrs`` of a rural house-building report (one household's building site)."""

    model_config = ConfigDict(extra="allow")

    # -- permits (土地管理法 第六十二条; 城乡规划法 第四十一条) -------------------------------
    homestead_approval: PermitStatus | None = Field(
        default=None,
        description=(
            "宅基地批准（农村宅基地批准书）：valid 有效、none 无、"
            "out_of_scope 超出批准范围、expired 已过期、unknown 无法核实"
        ),
    )
    planning_permit: PermitStatus | None = Field(
        default=None, description="乡村建设规划许可证：valid、none、out_of_scope、expired、unknown"
    )

    # -- the homestead ------------------------------------------------------------------
    area_m2: float | None = Field(
        default=None, ge=0, description="宅基地（建房）占地面积", json_schema_extra={"unit": "m²"}
    )
    household_homesteads: int | None = Field(
        default=None,
        ge=0,
        description="该户在本处之外已有的宅基地处数（0 = 无）",
        json_schema_extra={"unit": "处"},
    )
    homestead_land_class: str | None = Field(
        default=None,
        description=(
            "宅基地面积标准档次，取所配置省份的档次代码（如河南 suburban 城郊、plain 平原、hilly 山区丘陵）"
        ),
    )
    household_size: int | None = Field(
        default=None,
        ge=1,
        le=100,
        description="户籍人口数（按人口分档的省份用来选面积标准）",
        json_schema_extra={"unit": "人"},
    )

    # -- farmland (基本农田保护条例 第十七条; 土地管理法 第三十七条) ---------------------------
    on_basic_farmland: bool | None = Field(default=None, description="位于永久基本农田")
    basic_farmland_mu: float | None = Field(
        default=None, ge=0, description="占用永久基本农田的面积", json_schema_extra={"unit": "亩"}
    )
    on_other_farmland: bool | None = Field(
        default=None, description="位于永久基本农田以外的耕地（未量面积时按占地面积折算）"
    )
    other_farmland_mu: float | None = Field(
        default=None, ge=0, description="占用永久基本农田以外耕地的面积", json_schema_extra={"unit": "亩"}
    )

    # -- requisition (土地管理法实施条例 第二十六条) ------------------------------------------
    in_requisition_area: bool | None = Field(default=None, description="位于已发布征收预公告的拟征收范围内")
    requisition_announced_at: datetime | None = Field(default=None, description="征收预公告发布时间")
    construction_started_at: datetime | None = Field(default=None, description="本次建设开工时间")

    # -- protection zones -----------------------------------------------------------------
    power_line_kv: float | None = Field(
        default=None,
        ge=0,
        le=1100,
        description="附近架空电力线路的电压等级",
        json_schema_extra={"unit": "kV"},
    )
    power_line_distance_m: float | None = Field(
        default=None, ge=0, description="建筑距电力线路边导线的水平距离", json_schema_extra={"unit": "m"}
    )
    pipeline_distance_m: float | None = Field(
        default=None, ge=0, description="建筑距石油天然气管道中心线的距离", json_schema_extra={"unit": "m"}
    )
    on_levee: bool | None = Field(default=None, description="位于堤防或护堤地上")

    # -- disputes (土地管理法 第十四条) -----------------------------------------------------
    land_disputed: bool | None = Field(default=None, description="所占土地存在尚未解决的权属争议")
