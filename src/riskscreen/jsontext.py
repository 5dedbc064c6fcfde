"""JSON text exactly as pydantic's serializer writes it, written by orjson where they agree.

The command line writes alerts as ``Alert.model_dump_json()`` would (see
:func:`riskscreen.results.encode_alert`), from plain data and without building the model.
orjson writes plain values (strings, numbers, lists, dicts) three times faster than
pydantic-core's ``to_json`` inferring their types, and writes them the same: the same
escapes, the same shortest float text, non-finite floats as ``null`` as a model field
typed ``Any`` does. Where the two could differ, pydantic-core writes the value and orjson
inserts its text unchanged: datetimes (pydantic writes a UTC time with ``Z`` and a
historical offset with its seconds dropped differently), models, dataclasses, subclasses
of built-in types and anything orjson does not know. Whatever orjson refuses as a whole
(an integer wider than 64 bits) is written by pydantic-core alone.
``tests/test_jsontext.py`` holds the two to the same bytes.
"""

from __future__ import annotations

import re
from typing import Any

import orjson
from pydantic_core import to_json, to_jsonable_python

__all__ = ["dumps", "indented"]

# values orjson would write its own way go to _pydantic instead
_OPTIONS = (
    orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def _pydantic(value: Any) -> orjson.Fragment:
    """``value``'s text as pydantic-core writes it, for orjson to insert as it stands."""
    return orjson.Fragment(to_json(value, inf_nan_mode="null"))


# orjson's indented text otherwise; values it writes its own way go to to_jsonable_python
_INDENTED = _OPTIONS | orjson.OPT_INDENT_2
# floats Python's repr writes otherwise: exponents ("1e-05", orjson "0.00001"; "1.5e-07",
# orjson "1.5e-7"); also matched inside strings, which only costs the slow way
_OTHER_FLOATS = re.compile(rb"[0-9]e[-+]|\.0000")


def indented(value: Any) -> bytes | None:
    """``json.dumps(value in pydantic's JSON mode, ensure_ascii=False, indent=2)``, or ``None``.

    What a model's ``model_dump(mode="json")`` written by :func:`json.dumps` with an indent
    looks like, for a ``value`` of plain data, models and anything pydantic writes; ``None``
    when orjson's text could differ (a float Python writes with an exponent, an integer
    wider than 64 bits, a key that is not a string): the caller writes it the slow way.
    """
    try:
        text = orjson.dumps(value, default=to_jsonable_python, option=_INDENTED)
    except orjson.JSONEncodeError:
        return None
    return None if _OTHER_FLOATS.search(text) else text


def dumps(value: Any) -> bytes:
    """``value`` as compact JSON, byte for byte what pydantic writes for a field of type ``Any``.

    Models inside are written by their own serializers, as ``to_json`` would write them.
    """
    try:
        return orjson.dumps(value, default=_pydantic, option=_OPTIONS)
    except orjson.JSONEncodeError:
        return to_json(value, inf_nan_mode="null")
