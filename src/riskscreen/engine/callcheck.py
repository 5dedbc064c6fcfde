"""rule-engine's argument checks of a typed function call, remembered by the arguments' types.

Before calling a plugin's function (``mentions(description, casualty_words, ...)``),
rule-engine checks each argument's data type against the function's declared argument
types. Its check reads only the function's type and each argument's
``DataType.from_value``, and finding the type of a tuple looks at every member: for the
shipped packs' word lists, about 56 µs a call, on every record. The answer is the same
for the same function type and argument types, so it is kept per (function type,
argument types): rule-engine's own check runs once for each, with its own messages when
it fails (a failure is not kept, so it is raised again every time).

The type of a tuple (of two members or more) is kept by the tuple's identity (the tuple
itself is held, so the identity cannot be reused): rules pass the same literal tuple on
every call.
"""

from __future__ import annotations

from typing import Any

from . import internals

__all__ = ["check_arguments"]

#: (function type, argument types...) whose check passed.
_PASSED: set[tuple[Any, ...]] = set()
#: id(tuple) -> (the tuple, its data type), for tuples of at least _LONG members.
_TUPLE_TYPES: dict[int, tuple[tuple[Any, ...], Any]] = {}
_LONG = 2
#: Entries kept at most in each table (rule sets come and go in long-lived processes).
_KEPT = 4096


def check_arguments(function_type: Any, arguments: tuple[Any, ...]) -> None:
    """Raise rule-engine's error if ``arguments`` do not suit ``function_type``; else return."""
    from rule_engine.types import DataType

    key = (function_type, *(_data_type(DataType, value) for value in arguments))
    if key in _PASSED:
        return
    internals.validate_function(function_type, arguments)
    if len(_PASSED) >= _KEPT:
        _PASSED.clear()
    _PASSED.add(key)


def _data_type(data_type: Any, value: Any) -> Any:
    """``DataType.from_value(value)``, looked up for a long tuple seen before."""
    if value.__class__ is not tuple or len(value) < _LONG:
        return data_type.from_value(value)
    known = _TUPLE_TYPES.get(id(value))
    if known is not None and known[0] is value:
        return known[1]
    found = data_type.from_value(value)
    if len(_TUPLE_TYPES) >= _KEPT:
        _TUPLE_TYPES.clear()
    _TUPLE_TYPES[id(value)] = (value, found)
    return found
