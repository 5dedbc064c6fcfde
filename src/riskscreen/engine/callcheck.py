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

A call site goes one step further (:class:`ArgumentChecks`): it keys its arguments by
their Python classes (and a literal tuple by its identity), which for the scalar classes
decide rule-engine's type alone, so that a call made before needs no type found at all.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from . import internals

__all__ = ["ArgumentChecks", "check_arguments"]

#: (function type, argument types...) whose check passed.
_PASSED: set[tuple[Any, ...]] = set()
#: id(tuple) -> (the tuple, its data type), for tuples of at least _LONG members.
_TUPLE_TYPES: dict[int, tuple[tuple[Any, ...], Any]] = {}
_LONG = 2
#: Entries kept at most in each table (rule sets come and go in long-lived processes).
_KEPT = 4096
#: Classes whose rule-engine type (``DataType.from_value``) the class alone decides.
_BY_CLASS = frozenset({str, bool, int, float, Decimal, datetime, date, timedelta, bytes, type(None)})
#: Tuples one call site holds to key by identity: its literal lists, not every record's.
_HELD = 64


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


class ArgumentChecks:
    """One call site's passed checks, keyed by its arguments' classes and literal tuples.

    A key names each argument by its class when the class alone decides its rule-engine
    type, and a tuple by its identity while the site holds the tuple (a rule's literal
    word list is the same object on every call). An argument of any other kind, or a
    tuple met when the site already holds :data:`_HELD`, has no key: the call is checked by
    :func:`check_arguments`, as are calls whose key has not passed yet.
    """

    __slots__ = ("held", "passed")

    def __init__(self) -> None:
        self.passed: set[tuple[Any, ...]] = set()
        #: id(tuple) -> the tuple, kept alive so that its identity is not reused.
        self.held: dict[int, tuple[Any, ...]] = {}

    def check(self, function_type: Any, arguments: tuple[Any, ...]) -> None:
        """Raise rule-engine's error if ``arguments`` do not suit ``function_type``; else return."""
        key = self._key(arguments)
        if key is not None and key in self.passed:
            return
        check_arguments(function_type, arguments)
        if key is not None and len(self.passed) < _KEPT:
            self.passed.add(key)

    def _key(self, arguments: tuple[Any, ...]) -> tuple[Any, ...] | None:
        key: list[Any] = []
        for value in arguments:
            cls = value.__class__
            if cls in _BY_CLASS:
                key.append(cls)
            elif cls is tuple:
                if self.held.get(id(value)) is not value:
                    if len(self.held) >= _HELD:
                        return None
                    self.held[id(value)] = value
                key.append(id(value))
            else:
                return None
        return tuple(key)
