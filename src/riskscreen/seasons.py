"""Yearly date windows for plugin configuration: closed seasons, flood seasons.

A window is written ``MM-DD`` to ``MM-DD``, both inclusive, and recurs every year; a
window whose start is after its end wraps over the year end (``11-15`` to ``03-15``).
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel, ConfigDict, field_validator

__all__ = ["YearlyWindow"]

_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


class YearlyWindow(BaseModel):
    """A recurring window of days, e.g. ``YearlyWindow(start="07-01", end="08-15")``."""

    model_config = ConfigDict(frozen=True)

    start: str
    end: str

    @field_validator("start", "end")
    @classmethod
    def _month_day(cls, value: str) -> str:
        match = _MONTH_DAY.match(value.strip())
        if not match:
            raise ValueError(f"expected a month and day as MM-DD, got {value!r}")
        date(2024, int(match.group(1)), int(match.group(2)))  # a leap year accepts 02-29
        return value.strip()

    @staticmethod
    def _key(text: str) -> tuple[int, int]:
        month, day = text.split("-")
        return int(month), int(day)

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls inside the window (bounds inclusive)."""
        key = (day.month, day.day)
        start, end = self._key(self.start), self._key(self.end)
        if start <= end:
            return start <= key <= end
        return key >= start or key <= end
