"""Whether a record keeps to the limits on text length and nesting depth, quickly.

The full validator walks a record to name the first string that is too long or the first
value nested too deep (:meth:`riskscreen.validation.RecordValidator.validate`); almost every
record has neither, and building each value's dotted path costs more than validating it.
These functions answer yes or no by the same rules without paths: the full validator
walks only a record they reject, and the fast path leaves such a record to it.
The rules: the record is at depth 0, its fields at depth 1 and so on; no value may be
deeper than ``max_depth``, and no string (``str`` or a subclass) longer than ``max_text``.
Mappings, lists and tuples are looked into; anything else is a single value.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

__all__ = ["record_within_limits", "within_limits"]

# values that hold no text and no nesting (exact classes: a subclass may be anything)
_PLAIN = frozenset({int, float, bool, type(None), datetime})


def within_limits(value: Any, max_text: int, max_depth: int, depth: int = 0) -> bool:
    """Whether ``value``, at ``depth``, and everything in it keep to the limits."""
    if depth > max_depth:
        return False
    cls = value.__class__
    if cls is str:
        return len(value) <= max_text
    if cls is dict:
        items: Any = value.values()
    elif cls is list or cls is tuple:
        items = value
    elif cls in _PLAIN:
        return True
    elif isinstance(value, str):
        return len(value) <= max_text
    elif isinstance(value, Mapping):
        items = value.values()
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        return True
    depth += 1
    if depth > max_depth:  # anything inside is too deep
        return len(items) == 0
    for item in items:
        kind = item.__class__
        if kind is str:
            if len(item) > max_text:
                return False
        elif kind not in _PLAIN and not within_limits(item, max_text, max_depth, depth):
            return False
    return True


def record_within_limits(data: Mapping[str, Any], max_text: int, max_depth: int) -> bool:
    """:func:`within_limits` for a whole record, quicker on the usual two flat levels.

    ``max_depth`` is at least 2 (the settings ensure it): fields and the values of a flat
    object in a field are never too deep.
    """
    if data.__class__ is not dict or max_depth < 2:
        return within_limits(data, max_text, max_depth)
    for value in data.values():
        cls = value.__class__
        if cls is str:
            if len(value) > max_text:
                return False
        elif cls is dict:
            for item in value.values():
                kind = item.__class__
                if kind is str:
                    if len(item) > max_text:
                        return False
                elif kind not in _PLAIN and not within_limits(item, max_text, max_depth, 2):
                    return False
        elif cls not in _PLAIN and not within_limits(value, max_text, max_depth, 1):
            return False
    return True
