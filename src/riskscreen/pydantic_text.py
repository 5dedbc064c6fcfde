"""Pydantic's validation errors worded in the message language (see :mod:`riskscreen.i18n`).

:func:`pydantic_message` words an error from its *type* and its ``ctx``
(``less_than_equal`` with ``le=90`` → ``应小于或等于 90``), so every field of every model
reads alike without a rewrite per field. A ``ValueError`` raised by a validator as
:class:`~riskscreen.i18n.LocalizedError` carries its key and is worded by :func:`~riskscreen.i18n.text`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .i18n import LocalizedError, language, text

__all__ = ["pydantic_message"]

#: pydantic error type -> (Chinese, English) templates over the error's ``ctx`` and ``{input}``.
_PYDANTIC: dict[str, tuple[str, str]] = {
    "missing": ("缺少必填字段", "field required"),
    "extra_forbidden": ("不认识的字段", "unknown field"),
    "string_type": ("应为文本，实际为 {input}", "should be text, got {input}"),
    "int_type": ("应为整数，实际为 {input}", "should be an integer, got {input}"),
    "int_parsing": ("应为整数，实际为 {input}", "should be an integer, got {input}"),
    "int_from_float": ("应为整数，实际为小数 {input}", "should be a whole number, got {input}"),
    "float_type": ("应为数值，实际为 {input}", "should be a number, got {input}"),
    "float_parsing": ("应为数值，实际为 {input}", "should be a number, got {input}"),
    "finite_number": ("应为有限的数值", "should be a finite number"),
    "bool_type": ("应为 true 或 false，实际为 {input}", "should be true or false, got {input}"),
    "bool_parsing": ("应为 true 或 false，实际为 {input}", "should be true or false, got {input}"),
    "less_than": ("应小于 {lt}，实际为 {input}", "should be less than {lt}, got {input}"),
    "less_than_equal": ("应小于或等于 {le}，实际为 {input}", "should be at most {le}, got {input}"),
    "greater_than": ("应大于 {gt}，实际为 {input}", "should be greater than {gt}, got {input}"),
    "greater_than_equal": ("应大于或等于 {ge}，实际为 {input}", "should be at least {ge}, got {input}"),
    "multiple_of": ("应为 {multiple_of} 的倍数", "should be a multiple of {multiple_of}"),
    "string_too_short": ("至少应有 {min_length} 个字符", "should have at least {min_length} characters"),
    "string_too_long": ("最多 {max_length} 个字符", "should have at most {max_length} characters"),
    "string_pattern_mismatch": ("格式不符（应匹配 {pattern}）", "does not match the pattern {pattern}"),
    "too_short": ("至少应有 {min_length} 项", "should have at least {min_length} items"),
    "too_long": ("最多 {max_length} 项", "should have at most {max_length} items"),
    "literal_error": ("应为 {expected} 之一，实际为 {input}", "should be one of {expected}, got {input}"),
    "enum": ("应为 {expected} 之一，实际为 {input}", "should be one of {expected}, got {input}"),
    "list_type": ("应为列表，实际为 {input}", "should be a list, got {input}"),
    "tuple_type": ("应为列表，实际为 {input}", "should be a list, got {input}"),
    "set_type": ("应为列表，实际为 {input}", "should be a list, got {input}"),
    "dict_type": ("应为对象（键值对），实际为 {input}", "should be an object (a mapping), got {input}"),
    "model_type": ("应为对象（键值对），实际为 {input}", "should be an object (a mapping), got {input}"),
    "model_attributes_type": (
        "应为对象（键值对），实际为 {input}",
        "should be an object (a mapping), got {input}",
    ),
    "datetime_type": ("应为时间，实际为 {input}", "should be a time, got {input}"),
    "datetime_parsing": (
        "不是有效的时间（{error}），应如 2026-07-01T09:00:00+08:00",
        "is not a valid time ({error}); write it like 2026-07-01T09:00:00+08:00",
    ),
    "datetime_from_date_parsing": (
        "不是有效的时间（{error}），应如 2026-07-01T09:00:00+08:00",
        "is not a valid time ({error}); write it like 2026-07-01T09:00:00+08:00",
    ),
    "datetime_object_invalid": ("不是有效的时间（{error}）", "is not a valid time ({error})"),
    "date_type": ("应为日期，实际为 {input}", "should be a date, got {input}"),
    "date_parsing": (
        "不是有效的日期（{error}），应如 2026-07-01",
        "is not a valid date ({error}); write it like 2026-07-01",
    ),
    "date_from_datetime_parsing": (
        "不是有效的日期（{error}），应如 2026-07-01",
        "is not a valid date ({error}); write it like 2026-07-01",
    ),
    "timezone_aware": (
        "时间没有时区：请写出时差，如 +08:00",
        "time has no timezone: give an offset such as +08:00",
    ),
    "none_required": ("应为空（null）", "should be null"),
    "json_invalid": ("不是有效的 JSON（{error}）", "is not valid JSON ({error})"),
    "union_tag_invalid": (
        "类型 {tag} 无效，应为 {expected_tags} 之一",
        "type {tag} is not one of {expected_tags}",
    ),
}

#: Datetime parsing reasons pydantic gives, in Chinese.
_REASONS: dict[str, str] = {
    "input is too short": "内容太短",
    "invalid character in year": "年份中有无效字符",
    "invalid character in month": "月份中有无效字符",
    "invalid character in day": "日期中有无效字符",
    "invalid character in hour": "小时中有无效字符",
    "month value is outside expected range of 1-12": "月份应在 1 到 12 之间",
    "day value is outside expected range": "日期超出该月的天数",
    "hour value is outside expected range of 0-23": "小时应在 0 到 23 之间",
    "minute value is outside expected range of 0-59": "分钟应在 0 到 59 之间",
    "second value is outside expected range of 0-59": "秒应在 0 到 59 之间",
    "unexpected extra characters at the end of the input": "末尾有多余的字符",
    "invalid date separator, expected `-`": "日期分隔符应为 -",
    "invalid datetime separator, expected `T`, `t`, `_` or space": "日期与时间之间应为 T 或空格",
    "invalid timezone sign": "时区符号无效",
    "input is too long": "内容太长",
}

_NAMES_ZH = {"NoneType": "空值", "str": "文本", "int": "整数", "float": "数值", "bool": "布尔值"}
_NAMES_ZH.update({"list": "列表", "dict": "对象", "tuple": "列表"})


def _shown(value: Any) -> str:
    """An input value as a message shows it: short scalars as written, containers by kind."""
    if isinstance(value, (dict, list, tuple, set)) or value is None:
        kind = type(value).__name__
        return _NAMES_ZH.get(kind, kind) if language() == "zh" else ("null" if value is None else kind)
    shown = (
        repr(value)
        if isinstance(value, str)
        else str(value).lower()
        if isinstance(value, bool)
        else str(value)
    )
    return shown if len(shown) <= 40 else shown[:39] + "…"


def pydantic_message(error: Mapping[str, Any]) -> str:
    """A pydantic error (an item of ``ValidationError.errors()``) worded in the current language."""
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    if kind == "value_error":
        cause = ctx.get("error")
        if isinstance(cause, LocalizedError):
            return text(cause.key, **cause.values)
        return str(cause) if cause is not None else str(error.get("msg", "")).removeprefix("Value error, ")
    templates = _PYDANTIC.get(kind)
    if templates is None:
        return str(error.get("msg", kind))
    zh = language() == "zh"
    values = {key: _context_value(value, zh) for key, value in ctx.items()}
    values["input"] = _shown(error.get("input"))
    try:
        return (templates[0] if zh else templates[1]).format(**values)
    except (KeyError, IndexError):  # a context this pydantic version does not give
        return str(error.get("msg", kind))


def _context_value(value: Any, zh: bool) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)  # a bound written 90 reads 90, not 90.0
    if zh and isinstance(value, str):
        reason = _REASONS.get(value)
        if reason is not None:
            return reason
        return value.replace(" or ", " 或 ") if value.count("'") >= 4 else value
    return value
