"""Local thresholds of the well plugin, set through ``Settings.plugins["well"]``.

Every number that varies by province or city lives here with its documented default;
national-law tables stay in :mod:`riskscreen_well.derived`. Unknown keys are rejected so a
misspelt setting is a load error instead of a silently ignored one.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from riskscreen import YearlyWindow

__all__ = ["WellConfig"]


class WellConfig(BaseModel):
    """Configuration of the ``well`` plugin; the defaults are the documented ones.

    - ``household_quota_m3_day``: the daily withdrawal up to which household use and small
      livestock watering (家庭生活和零星散养、圈养畜禽饮用等少量取水) need no
      water-withdrawal permit; provinces set it (default 10 m³/day, inclusive).
    - ``railway_buffer_m``: no pumping of groundwater within this distance of a high-speed
      railway (Shandong railway regulation §34: 200 m, inclusive).
    - ``repeat_reports_30d``: earlier reports at the same site within 30 days
      (``history.reports_30d``) from which a violation found again counts as a repeat
      offence (default 2).
    - ``flood_season``: the local flood season (汛期), during which an open abandoned well
      must be made safe within hours (Shandong: 06-01 to 09-30); may wrap the year end.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    household_quota_m3_day: float = Field(default=10.0, gt=0, le=1000)
    railway_buffer_m: float = Field(default=200.0, gt=0, le=10_000)
    repeat_reports_30d: int = Field(default=2, ge=1)
    flood_season: YearlyWindow = YearlyWindow(start="06-01", end="09-30")
