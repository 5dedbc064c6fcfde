"""Distance tables by line voltage, from national regulations and standards.

Both tables are module constants because they come from national texts, not local
practice; :class:`~riskscreen_machinery.config.MachineryConfig` can still replace them
(``clearance_bands``, ``corridor_bands``), for example when a newer edition of a standard
is adopted.

A table is a list of :class:`VoltageBand` in ascending voltage. A voltage belongs to the
first band whose upper bound covers it. Voltages between two bands of the source table
(20 kV, 66 kV lines) fall into the next band up, which is the stricter reading.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CLEARANCE_BANDS",
    "CLEARANCE_REFERENCE",
    "CORRIDOR_BANDS",
    "CORRIDOR_REFERENCE",
    "VoltageBand",
    "band_for",
    "value_for",
]


class VoltageBand(BaseModel):
    """One row of a voltage table: lines up to ``up_to_kv`` need ``metres``.

    ``inclusive`` says whether a line of exactly ``up_to_kv`` belongs to this band
    (``<1 kV`` is written ``up_to_kv=1, inclusive=False``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    up_to_kv: float = Field(gt=0, le=2000)
    metres: float = Field(ge=0, le=1000)
    inclusive: bool = True

    def covers(self, kv: float) -> bool:
        """Whether a line of ``kv`` kilovolts falls in this band (or a lower one)."""
        return kv < self.up_to_kv or (self.inclusive and kv == self.up_to_kv)


#: Where the clearance table comes from. JGJ 46-2005 (table 4.1.2, whose figures the
#: defaults keep) was withdrawn on 2025-01-01 and replaced by JGJ/T 46-2024, whose figures
#: were not checked: the distances are configuration, and the reference says so.
CLEARANCE_REFERENCE = (
    "JGJ/T 46-2024 建筑与市政工程施工现场临时用电安全技术标准（外电线路防护；距离以配置为准）"
)

#: Minimum safe working distance between work (machines included) and the edge conductor
#: of an overhead line: <1 kV 4 m, 1–10 kV 6 m, 35–110 kV 8 m, 154–220 kV 10 m,
#: 330–500 kV 15 m (JGJ 46-2005 table 4.1.2, the edition in force until 2025).
CLEARANCE_BANDS: tuple[VoltageBand, ...] = (
    VoltageBand(up_to_kv=1, metres=4, inclusive=False),
    VoltageBand(up_to_kv=10, metres=6),
    VoltageBand(up_to_kv=110, metres=8),
    VoltageBand(up_to_kv=220, metres=10),
    VoltageBand(up_to_kv=500, metres=15),
)

#: Where the protection-zone table comes from.
CORRIDOR_REFERENCE = "电力设施保护条例 第十条"

#: Width of an overhead line's protection zone (架空电力线路保护区) on each side of the edge
#: conductor: 1–10 kV 5 m, 35–110 kV 10 m, 154–330 kV 15 m, 500 kV 20 m (电力设施保护条例
#: §10). Lines below 1 kV have no statutory zone (width 0).
CORRIDOR_BANDS: tuple[VoltageBand, ...] = (
    VoltageBand(up_to_kv=1, metres=0, inclusive=False),
    VoltageBand(up_to_kv=10, metres=5),
    VoltageBand(up_to_kv=110, metres=10),
    VoltageBand(up_to_kv=330, metres=15),
    VoltageBand(up_to_kv=500, metres=20),
)


def band_for(kv: float, bands: Sequence[VoltageBand]) -> VoltageBand | None:
    """The band a line of ``kv`` kilovolts falls in, or ``None`` above the table."""
    for band in bands:
        if band.covers(kv):
            return band
    return None


def value_for(kv: float, bands: Sequence[VoltageBand]) -> float | None:
    """The distance the table gives for ``kv`` kilovolts, or ``None`` above the table."""
    band = band_for(kv, bands)
    return None if band is None else band.metres
