"""Durations as rule authors write them: ``30m``, ``2h``, ``1h30m``, ``15d``, ``2w``."""

from __future__ import annotations

import re
from datetime import timedelta

__all__ = ["format_duration", "parse_duration"]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])")
_WHOLE = re.compile(r"^\s*(?:\d+(?:\.\d+)?\s*[smhdw]\s*)+$")


def parse_duration(text: str | int | float | timedelta) -> timedelta:
    """Read a duration such as ``2h``, ``90m``, ``1h30m`` or ``15d``.

    A bare number is read as hours, the unit used most in response deadlines. Raises
    :class:`ValueError` with the accepted forms when the text is not a duration.
    """
    if isinstance(text, timedelta):
        return text
    if isinstance(text, bool):
        raise ValueError("expected a duration such as 30m, 2h, 1h30m or 15d, got a boolean")
    if isinstance(text, (int, float)):
        seconds = float(text) * 3600
    elif not isinstance(text, str):
        raise ValueError(f"expected a duration such as 30m, 2h, 1h30m or 15d, got a {type(text).__name__}")
    else:
        if not _WHOLE.match(text.lower()):
            raise ValueError(f"expected a duration such as 30m, 2h, 1h30m or 15d, got {text!r}")
        seconds = sum(float(n) * _UNITS[u] for n, u in _PART.findall(text.lower()))
    if seconds <= 0:
        raise ValueError(f"a duration must be positive, got {text!r}")
    return timedelta(seconds=seconds)


def format_duration(value: timedelta) -> str:
    """Write a duration back in the shortest unit form, e.g. ``timedelta(hours=2)`` -> ``2h``."""
    seconds = int(value.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"
