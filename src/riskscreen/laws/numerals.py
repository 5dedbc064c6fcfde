"""Chinese numerals as laws number their articles: 第三百四十二条, 第（五）项.

Articles, paragraphs and items of Chinese laws are numbered in Chinese numerals
(一 … 九千九百九十九 is far more than any law needs). Both directions are exact for
1..9999, so a reference read from text and written back gives the same text.
"""

from __future__ import annotations

__all__ = ["from_chinese", "to_chinese"]

_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"))
_VALUES = {c: i for i, c in enumerate(_DIGITS)} | {"〇": 0, "两": 2}
_UNIT_VALUES = {"十": 10, "百": 100, "千": 1000}


def to_chinese(number: int) -> str:
    """``342`` -> ``三百四十二``; ``10`` -> ``十``, ``15`` -> ``十五`` (as laws write them)."""
    if not 1 <= number <= 9999:
        raise ValueError(f"article numbers run from 1 to 9999, got {number}")
    parts: list[str] = []
    rest = number
    zero_pending = False
    for value, unit in _UNITS:
        digit, rest = divmod(rest, value)
        if digit:
            if zero_pending:
                parts.append("零")
                zero_pending = False
            # 10-19 are written 十, 十五 at the start of a number, 一十五 after a higher unit
            if not (unit == "十" and digit == 1 and not parts):
                parts.append(_DIGITS[digit])
            parts.append(unit)
        elif parts:
            zero_pending = True
    if rest:
        if zero_pending:
            parts.append("零")
        parts.append(_DIGITS[rest])
    return "".join(parts)


def from_chinese(text: str) -> int:
    """``三百四十二`` -> ``342``; Arabic digits (``342``) are read too.

    Raises :class:`ValueError` for anything else.
    """
    text = text.strip()
    if text.isascii() and text.isdigit():
        return int(text)
    if not text or any(c not in _VALUES and c not in _UNIT_VALUES for c in text):
        raise ValueError(f"not a number: {text!r}")
    total = 0
    digit: int | None = None
    last_unit = 10_000
    for char in text:
        if char in _VALUES:
            if digit is not None and digit != 0 and _VALUES[char] != 0:
                raise ValueError(f"not a number: {text!r}")
            digit = _VALUES[char]
            continue
        unit = _UNIT_VALUES[char]
        if unit >= last_unit:
            raise ValueError(f"not a number: {text!r}")
        total += (digit if digit else 1) * unit if digit != 0 else unit
        last_unit = unit
        digit = None
    if digit:
        total += digit
    if total == 0:
        raise ValueError(f"not a number: {text!r}")
    return total
