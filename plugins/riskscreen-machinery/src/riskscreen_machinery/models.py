"""The ``attrs`` of a ``machinery`` observation (机械施工), as a pydantic model.

Every field is optional and defaults to ``None``: a value the reporter did not give makes
the rules that need it *insufficient* instead of rejecting the record. Constraints reject
physically impossible values (a negative distance, a noise level of 500 dB).

Permit-like fields take one of :data:`PermitStatus`. A rule that has established that a
permit is required treats anything but ``valid`` as missing: ``none`` and ``expired``
plainly, ``unknown`` because the operator could not show one, and ``out_of_scope`` because
the reporter's view that none is needed is contradicted by the facts the rule checked.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["EQUIPMENT_EXAMPLES", "MachineryAttrs", "PermitStatus"]

#: Status of a permit, approval, plan or review.
PermitStatus = Literal["valid", "none", "out_of_scope", "expired", "unknown"]

#: Equipment names the sample generator and most reports use (others are accepted).
EQUIPMENT_EXAMPLES: tuple[str, ...] = ("挖掘机", "装载机", "打井机", "起重机", "采砂船", "渣土车")


class MachineryAttrs(BaseModel):
    """Attributes of heavy machinery at work (挖掘机、装载机、起重机、打桩机 ...).

    Distances are horizontal, in metres: to an overhead line's edge conductor (边线), to a
    pipeline's centreline, to a gas facility. Noise is measured at the site boundary
    (施工场界) in dB(A).
    """

    model_config = ConfigDict(extra="allow")

    equipment: list[str] | None = Field(
        default=None, description="机械种类，如 挖掘机、装载机、起重机、打桩机"
    )
    equipment_count: int | None = Field(
        default=None, ge=0, le=10000, description="机械台数", json_schema_extra={"unit": "台"}
    )
    night_permit: PermitStatus | None = Field(
        default=None,
        description=(
            "夜间施工证明：valid 有效、none 无、out_of_scope 超出范围、expired 过期、unknown 未能出示"
        ),
    )
    near_sensitive_buildings: bool | None = Field(
        default=None, description="位于噪声敏感建筑物集中区域（住宅、学校、医院等）附近"
    )
    emergency_repair: bool | None = Field(default=None, description="属抢修、抢险作业")
    noise_leq_db: float | None = Field(
        default=None, ge=0, le=200, description="施工场界等效声级 Leq", json_schema_extra={"unit": "dB(A)"}
    )
    noise_lmax_db: float | None = Field(
        default=None, ge=0, le=200, description="施工场界最大声级 Lmax", json_schema_extra={"unit": "dB(A)"}
    )
    power_line_kv: float | None = Field(
        default=None,
        gt=0,
        le=2000,
        description="附近架空电力线路的电压等级",
        json_schema_extra={"unit": "kV"},
    )
    power_line_distance_m: float | None = Field(
        default=None,
        ge=0,
        le=100000,
        description="作业点（含机械任何部位）距架空电力线路边线的水平距离",
        json_schema_extra={"unit": "m"},
    )
    power_approval: PermitStatus | None = Field(
        default=None,
        description="电力管理部门对保护区内作业的批准：valid、none、out_of_scope、expired、unknown",
    )
    pipeline_distance_m: float | None = Field(
        default=None,
        ge=0,
        le=100000,
        description="作业点距油气管道中心线的距离",
        json_schema_extra={"unit": "m"},
    )
    pipeline_approval: PermitStatus | None = Field(
        default=None,
        description="管道保护主管部门同意施工的批复：valid、none、out_of_scope、expired、unknown",
    )
    pipeline_notified: bool | None = Field(default=None, description="已书面通知管道企业")
    pipeline_notice_days: int | None = Field(
        default=None, ge=0, le=3650, description="书面通知早于开工的天数", json_schema_extra={"unit": "天"}
    )
    excavation_depth_m: float | None = Field(
        default=None, ge=0, le=500, description="基坑（槽）开挖深度", json_schema_extra={"unit": "m"}
    )
    special_plan: PermitStatus | None = Field(
        default=None, description="危大工程专项施工方案：valid、none、out_of_scope、expired、unknown"
    )
    expert_review: PermitStatus | None = Field(
        default=None, description="专项施工方案专家论证：valid、none、out_of_scope、expired、unknown"
    )
    gas_facility_distance_m: float | None = Field(
        default=None,
        ge=0,
        le=100000,
        description="作业点距燃气设施（管道、调压站等）的距离",
        json_schema_extra={"unit": "m"},
    )
    gas_protection_range_m: float | None = Field(
        default=None,
        ge=0,
        le=1000,
        description="该燃气设施划定的保护范围（未知时用配置默认值）",
        json_schema_extra={"unit": "m"},
    )
