"""Screening settings: timezones, priority bands and default response deadlines.

Every number here is a default a locality may change; none is hard-coded elsewhere.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .durations import parse_duration
from .models import Priority

__all__ = ["Band", "Settings"]


class Band(BaseModel):
    """A priority band: alerts scoring at least ``min_score`` (and below the band above)."""

    model_config = ConfigDict(frozen=True)

    priority: Priority
    name: str
    color: str
    min_score: float = Field(ge=0, le=100)


DEFAULT_BANDS: tuple[Band, ...] = (
    Band(priority="P1", name="重大", color="red", min_score=80),
    Band(priority="P2", name="较大", color="orange", min_score=60),
    Band(priority="P3", name="一般", color="yellow", min_score=40),
    Band(priority="P4", name="低", color="blue", min_score=0),
)

DEFAULT_RESPOND_WITHIN: dict[Priority, timedelta] = {
    "P1": timedelta(hours=1),
    "P2": timedelta(hours=4),
    "P3": timedelta(hours=24),
    "P4": timedelta(hours=120),
}


class Settings(BaseModel):
    """How a :class:`~riskscreen.Screener` reads times and ranks alerts.

    - ``default_timezone``: applied to naive input times; ``None`` (the default) rejects them.
    - ``local_timezone``: the zone of local dates and hours (night work, validity dates);
      times are normalised to it, so ``respond_by`` is written in local time.
    - ``bands``: P1..P4 with their names, colours and lower score bounds.
    - ``corroboration``: how much findings beyond the strongest add to the score, 0..1
      (0: the strongest finding alone; 1: noisy-OR of all; see :mod:`riskscreen.scoring`).
    - ``respond_within``: the deadline per priority; a finding's rule may shorten it.
    - ``strict``: an ``attrs`` key the category does not declare makes the record an error
      record instead of a warning.
    - ``night_start_hour`` / ``night_end_hour``: the night window for ``derived.is_night``.
    - ``plugins``: each plugin's configuration by plugin name (local thresholds such as
      closed seasons or homestead caps), validated by the plugin's own model.
    - ``plugin_time_budget``: seconds a plugin's record hook may take; a late result is
      discarded and recorded (``None``: no budget). ``plugin_watchdog`` runs record hooks in
      worker threads so that even a hanging plugin is abandoned at the budget (slower).
    - ``max_text_length`` / ``max_depth``: the longest string and the deepest nesting a
      record may hold; a record past either is an error record, not a slow screening.
    """

    model_config = ConfigDict(frozen=True)

    default_timezone: str | None = None
    local_timezone: str = "Asia/Shanghai"
    bands: tuple[Band, ...] = DEFAULT_BANDS
    corroboration: float = Field(default=0.5, ge=0, le=1)
    strict: bool = False
    respond_within: dict[Priority, timedelta] = Field(default_factory=lambda: dict(DEFAULT_RESPOND_WITHIN))
    night_start_hour: int = Field(default=22, ge=0, le=23)
    night_end_hour: int = Field(default=6, ge=0, le=23)
    plugins: dict[str, dict[str, Any]] = Field(default_factory=dict)
    max_text_length: int = Field(default=20_000, ge=1)
    max_depth: int = Field(default=12, ge=2)
    plugin_time_budget: float | None = Field(default=2.0, gt=0)
    plugin_watchdog: bool = False

    @field_validator("default_timezone", "local_timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ValueError(
                    f"unknown timezone {value!r}; use an IANA name such as Asia/Shanghai"
                ) from exc
        return value

    @field_validator("respond_within", mode="before")
    @classmethod
    def _durations(cls, value: Any) -> Any:
        if isinstance(value, dict):
            merged: dict[Any, Any] = dict(DEFAULT_RESPOND_WITHIN)
            merged.update({k: parse_duration(v) for k, v in value.items()})
            return merged
        return value

    @model_validator(mode="after")
    def _bands_descend(self) -> Settings:
        priorities = [b.priority for b in self.bands]
        if priorities != ["P1", "P2", "P3", "P4"]:
            raise ValueError("bands must list P1, P2, P3 and P4 in that order")
        bounds = [b.min_score for b in self.bands]
        if any(a <= b for a, b in itertools.pairwise(bounds)):
            raise ValueError("band min_score values must strictly decrease from P1 to P4")
        if bounds[-1] != 0:
            raise ValueError("the P4 band must start at 0 so that every score has a band")
        return self

    def digest(self) -> str:
        """A hash of every setting, for alert provenance."""
        blob = self.model_dump_json().encode()
        return "sha256:" + hashlib.sha256(blob).hexdigest()

    @property
    def zone(self) -> ZoneInfo:
        """The local timezone as a tzinfo."""
        return ZoneInfo(self.local_timezone)

    def band_for(self, score: float) -> Band:
        """The band a score falls in."""
        for band in self.bands:
            if score >= band.min_score:
                return band
        return self.bands[-1]
