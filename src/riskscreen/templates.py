"""Message templates: ``"{location.village}发现未经许可打井，深度{attrs.depth_m}米"``.

Placeholders name observation paths; a number may carry a format spec
(``{derived.area_mu:.2f}``); ``{{`` and ``}}`` write literal braces. A value the
observation lacks is written as a word for that kind of field rather than failing the
finding: ``未报`` (not reported) for the report's own measures and facts (``attrs.*``,
``history.*``, ``occurred_at``), with a unit written right after it left out
(``{attrs.count}辆`` gives ``未报``, never ``未知辆``); the nearest known place for a
``location.*`` level (an unknown address gives ``北管区东村``, an unknown village the
district), and ``地点未知`` when no level is known; ``未知`` otherwise. Which placeholders a
template may use is checked when the pack loads (:func:`template_problems`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection
from datetime import datetime
from decimal import Decimal
from typing import Any

__all__ = [
    "MISSING_TEXT",
    "NOT_REPORTED",
    "UNKNOWN_PLACE",
    "format_value",
    "missing_text",
    "place_text",
    "placeholders",
    "render",
    "template_problems",
    "unknown_field",
]

#: What a missing value is written as when no more specific word applies.
MISSING_TEXT = "未知"
#: What a measure or fact the report left out is written as.
NOT_REPORTED = "未报"
#: What a place is written as when the observation names no location level at all.
UNKNOWN_PLACE = "地点未知"

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_.]*)(?::([^{}]*))?\}")
_REPORTED_ROOTS = ("attrs.", "history.")
_REPORTED_FIELDS = frozenset({"occurred_at", "description"})
#: Units and counters a template writes right after a number; dropped after 未报.
_UNITS = sorted(
    [
        "立方米/日", "立方米", "平方米", "万元", "千伏", "公里", "千克", "公斤", "小时", "分钟",
        "米", "亩", "人", "名", "次", "辆", "台", "户", "处", "元", "天", "日", "个", "吨",
        "瓶", "只", "层", "岁", "倍", "%", "％", "℃", "dB", "kV",
    ],
    key=len,
    reverse=True,
)  # fmt: skip
#: For each location level, the levels tried in its place when it is absent, nearest first.
_PLACE_FALLBACK: dict[str, tuple[tuple[str, ...], ...]] = {
    "address": (("district", "village"), ("street", "village"), ("village",), ("district",), ("street",)),
    "village": (("district",), ("street",), ("address",)),
    "district": (("street",),),
    "grid_id": (),
    "street": (),
}

# -- the fields an observation has, for checking templates when packs load ------------------
_SCALARS = ("id", "kind", "category", "reported_at", "occurred_at", "description", "status")
_OBJECTS: dict[str, tuple[str, ...]] = {
    "location": ("street", "district", "village", "grid_id", "address", "lat", "lon"),
    "reporter": ("role", "id"),
    "history": ("reports_7d", "reports_30d", "days_since_last_report", "rectified_before"),
}


def format_value(value: Any, spec: str = "") -> str:
    """A value as a person reads it in a message; ``spec`` is a Python format spec (``.1f``)."""
    if value is None:
        return MISSING_TEXT
    kind = value.__class__
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is int and not spec:
        return str(value)
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


def missing_text(path: str) -> str:
    """The word for ``path`` when the observation lacks it (places: see :func:`place_text`)."""
    if path.startswith(_REPORTED_ROOTS) or path in _REPORTED_FIELDS:
        return NOT_REPORTED
    if path == "location" or path.startswith("location."):
        return UNKNOWN_PLACE
    return MISSING_TEXT


def place_text(level: str, lookup: Callable[[str], Any]) -> str:
    """The location ``level`` (``village``, ``address`` ...), or the nearest known place instead.

    An absent address is written as the known district and village (``北管区东村``), an
    absent village as its district, and so on; ``地点未知`` when nothing is known.
    """
    value = lookup(f"location.{level}")
    if value is not None and value != "":
        return str(value)
    for levels in _PLACE_FALLBACK.get(level, ()):
        parts = [lookup(f"location.{name}") for name in levels]
        if all(part is not None and part != "" for part in parts):
            return "".join(str(part) for part in parts)
    return UNKNOWN_PLACE


def placeholders(template: str) -> list[str]:
    """The paths a template names."""
    return [m.group(1) for m in _PLACEHOLDER.finditer(template) if m.group(1)]


#: A template taken apart once: the text before the first placeholder, then per placeholder
#: (path, format spec, word when missing or None for a place, unit length dropped after 未报,
#: the text up to the next placeholder).
_Compiled = tuple[str, tuple[tuple[str, str, str | None, int, str], ...]]
_COMPILED: dict[str, _Compiled] = {}


def _compile(template: str) -> _Compiled:
    head: list[str] = []
    steps: list[tuple[str, str, str | None, int, str]] = []
    pending: tuple[str, str, str | None, int] | None = None
    text: list[str] = head
    end = 0

    def close() -> None:
        if pending is not None:
            steps.append((*pending, "".join(text)))

    for match in _PLACEHOLDER.finditer(template):
        text.append(template[end : match.start()])
        end = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            text.append(token[0])
            continue
        close()
        path = match.group(1)
        word = None if path.startswith("location.") else missing_text(path)
        unit = 0
        if word == NOT_REPORTED:
            # "未报米" reads worse than "未报": the unit belongs to the absent number
            unit = len(next((u for u in _UNITS if template.startswith(u, end)), ""))
        pending, text = (path, match.group(2) or "", word, unit), []
    text.append(template[end:])
    close()
    compiled = ("".join(head), tuple(steps))
    if len(_COMPILED) < 16384:  # rule sets come and go in long-lived processes
        _COMPILED[template] = compiled
    return compiled


def render(template: str, lookup: Callable[[str], Any]) -> str:
    """Fill a template's placeholders with ``lookup(path)``; missing values get a clear word."""
    head, steps = _COMPILED.get(template) or _compile(template)
    if not steps:
        return head
    pieces = [head]
    for path, spec, word, unit, tail in steps:
        value = lookup(path)
        if value is not None:
            pieces.append(format_value(value, spec))
            pieces.append(tail)
        elif word is None:
            pieces.append(place_text(path[9:], lookup))  # after "location."
            pieces.append(tail)
        else:
            pieces.append(word)
            pieces.append(tail[unit:])
    return "".join(pieces)


def unknown_field(path: str, attrs: Collection[str], derived: Collection[str]) -> str | None:
    """Why ``path`` names nothing an observation has (with a did-you-mean), or ``None``."""
    root, _, rest = path.partition(".")
    roots = [*_SCALARS, *_OBJECTS, "attrs", "derived"]
    if root not in roots:
        return f"observations have no field {root!r}{_hint(root, roots)}"
    if root in _SCALARS:
        return None if not rest else f"{root} has no parts ({root!r} is a plain value)"
    # an empty collection is an answer too: a category may declare no attributes
    options = sorted(attrs if root == "attrs" else derived if root == "derived" else _OBJECTS[root])
    name, _, deeper = rest.partition(".")
    if not name:
        example = f", e.g. {{{root}.{options[0]}}}" if options else ""
        return f"{root} is an object: name one of its fields{example}"
    if name not in options:
        if root == "attrs":
            return f"no attribute {name!r} is declared for the rule's categories{_hint(name, options)}"
        if root == "derived":
            return f"there is no derived field {name!r}{_hint(name, options)}"
        return f"{root} has no field {name!r}{_hint(name, options)}"
    if deeper:
        return f"{root}.{name} has no part {deeper!r}"
    return None


def template_problems(
    template: str, attrs: Collection[str], derived: Collection[str]
) -> list[tuple[int, str]]:
    """(offset in the template, message) for each placeholder that names no field or has a bad spec."""
    problems: list[tuple[int, str]] = []
    for match in _PLACEHOLDER.finditer(template):
        path, spec = match.group(1), match.group(2)
        if not path:
            continue
        offset = match.start() + 1
        reason = unknown_field(path, attrs, derived)
        if reason is not None:
            problems.append((offset, f"message names {{{path}}}, but {reason}"))
        elif spec and not _number_spec(spec):
            problems.append(
                (offset + len(path) + 1, f"message format spec {spec!r} of {{{path}}} is not a number format")
            )
    return problems


def _number_spec(spec: str) -> bool:
    """Whether ``spec`` formats an integer or a decimal number (``.1f``, ``03d``, ``,``)."""
    for sample in (7, 1.5):
        try:
            format(sample, spec)
        except ValueError:
            continue
        return True
    return False


def _hint(name: str, options: list[str]) -> str:
    close = difflib.get_close_matches(name, options, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
