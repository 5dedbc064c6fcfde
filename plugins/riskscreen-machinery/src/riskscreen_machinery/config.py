"""The plugin's configuration: every local or unverified threshold, with its default.

Set it through ``Settings(plugins={"machinery": {...}})``; a bad value is a load error
naming the plugin. Unknown keys are errors too, so a misspelt threshold never silently
keeps its default.
"""

from __future__ import annotations

import itertools

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .tables import CLEARANCE_BANDS, CORRIDOR_BANDS, VoltageBand

__all__ = ["CORRIDOR_EQUIPMENT", "EXCAVATING_EQUIPMENT", "MachineryConfig"]

#: Machines that dig, pile or drill (开挖、打桩、钻探). An equipment item matches when it
#: contains one of these names, so 履带式挖掘机 counts as 挖掘机.
EXCAVATING_EQUIPMENT: tuple[str, ...] = ("挖掘机", "装载机", "推土机", "打桩机", "打井机", "钻机")

#: Machines whose work inside a power-line protection zone needs approval
#: (电力设施保护条例 §17: 打桩、钻探、开挖, and any part of a crane 起重机械).
CORRIDOR_EQUIPMENT: tuple[str, ...] = (*EXCAVATING_EQUIPMENT, "起重机", "吊车", "塔吊")


class MachineryConfig(BaseModel):
    """Thresholds of the heavy-machinery plugin. Defaults are the documented ones.

    Noise limits are the figures of GB 12523-2011, which GB 12523-2025 replaced on
    2026-01-01 (the 2025 figures are unverified, so they are configuration); the clearance
    table is that of JGJ 46-2005, which JGJ/T 46-2024 replaced on 2025-01-01 (likewise); the
    depth thresholds follow 建办质〔2018〕31号 (unverified); the gas
    protection range is set locally by the gas authority.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    day_noise_limit_db: float = Field(
        default=70.0,
        ge=0,
        le=200,
        description="昼间场界噪声排放限值 Leq，dB(A)（默认值取自 GB 12523-2011 表1，"
        "现行 GB 12523-2025 以当地核定为准）",
    )
    night_noise_limit_db: float = Field(
        default=55.0,
        ge=0,
        le=200,
        description="夜间场界噪声排放限值 Leq，dB(A)（默认值取自 GB 12523-2011 表1）",
    )
    night_lmax_limit_db: float = Field(
        default=70.0,
        ge=0,
        le=200,
        description="夜间最大声级限值 Lmax，dB(A)（夜间限值+15，默认值取自 GB 12523-2011 第4.2条）",
    )
    special_plan_depth_m: float = Field(
        default=3.0, gt=0, le=500, description="需编制专项施工方案的开挖深度（含），米"
    )
    expert_review_depth_m: float = Field(
        default=5.0, gt=0, le=500, description="专项施工方案需专家论证的开挖深度（含），米"
    )
    gas_protection_range_m: float = Field(
        default=5.0,
        ge=0,
        le=1000,
        description="燃气设施保护范围默认值，米（上报未给出 attrs.gas_protection_range_m 时使用；各地划定）",
    )
    excavating_equipment: tuple[str, ...] = Field(
        default=EXCAVATING_EQUIPMENT, description="视为挖掘、打桩、钻探机械的名称"
    )
    corridor_equipment: tuple[str, ...] = Field(
        default=CORRIDOR_EQUIPMENT, description="进入电力线路保护区须经批准的机械名称"
    )
    clearance_bands: tuple[VoltageBand, ...] = Field(
        default=CLEARANCE_BANDS,
        description="按电压的最小安全操作距离表（默认值取自 JGJ 46-2005 表4.1.2，"
        "现行 JGJ/T 46-2024 以当地核定为准）",
    )
    corridor_bands: tuple[VoltageBand, ...] = Field(
        default=CORRIDOR_BANDS, description="按电压的架空电力线路保护区宽度表（电力设施保护条例 第十条）"
    )
    repeat_reports_30d: int = Field(
        default=2,
        ge=1,
        le=1000,
        description="同一工地30日内上报次数达到此值即视为屡犯",
    )

    @field_validator("excavating_equipment", "corridor_equipment")
    @classmethod
    def _names(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(n.strip() for n in names)
        if not cleaned or any(not n for n in cleaned):
            raise ValueError("give at least one non-empty equipment name")
        return cleaned

    @field_validator("clearance_bands", "corridor_bands")
    @classmethod
    def _ascending(cls, bands: tuple[VoltageBand, ...]) -> tuple[VoltageBand, ...]:
        if not bands:
            raise ValueError("a voltage table needs at least one band")
        bounds = [b.up_to_kv for b in bands]
        if any(a >= b for a, b in itertools.pairwise(bounds)):
            raise ValueError(f"bands must be in strictly ascending up_to_kv order, got {bounds}")
        return bands

    @model_validator(mode="after")
    def _depths_ordered(self) -> MachineryConfig:
        if self.expert_review_depth_m < self.special_plan_depth_m:
            raise ValueError(
                f"expert_review_depth_m ({self.expert_review_depth_m}) must not be below "
                f"special_plan_depth_m ({self.special_plan_depth_m})"
            )
        return self
