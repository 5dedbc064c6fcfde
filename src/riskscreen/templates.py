"""Message templates: ``"{location.village}发现未经许可打井，深度{attrs.depth_m}米"``.

Placeholders name observation paths; a number may carry a format spec
(``{derived.area_mu:.2f}``); ``{{`` and ``}}`` write literal braces. A value the
observation lacks is written as ``未知`` (unknown) rather than failing the finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

__all__ = ["MISSING_TEXT", "format_value", "placeholders", "render"]

MISSING_TEXT = "未知"
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_.]*)(?::([^{}]*))?\}")


def format_value(value: Any, spec: str = "") -> str:
    """A value as a person reads it in a message; ``spec`` is a Python format spec (``.1f``)."""
    if value is None:
        return MISSING_TEXT
    if spec and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        try:
            return format(value, spec)
        except ValueError:
            pass
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (float, Decimal)):
        return str(int(value)) if value == int(value) else f"{float(value):g}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (list, tuple)):
        return "、".join(format_value(v) for v in value)
    return str(value)


def placeholders(template: str) -> list[str]:
    """The paths a template names."""
    return [m.group(1) for m in _PLACEHOLDER.finditer(template) if m.group(1)]


def render(template: str, lookup: Callable[[str], Any]) -> str:
    """Fill a template's placeholders with ``lookup(path)``."""

    def replace(match: re.Match[str]) -> str:
        text = match.group(0)
        if text in ("{{", "}}"):
            return text[0]
        return format_value(lookup(match.group(1)), match.group(2) or "")

    return _PLACEHOLDER.sub(replace, template)
