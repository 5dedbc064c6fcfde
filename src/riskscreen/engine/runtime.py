"""What compiled predicates call at run time: value loading, conversion and bail-outs.

A compiled predicate handles the well-typed common case inline. Whenever it meets
something it was not written for (a value of an unexpected type, a NaN, an index out of
range) it raises :class:`DeviationError`, and the predicate hands the whole record to
rule-engine's interpreter, which then decides exactly as it always would. Loading and
converting a value is the expensive part of reading it, so :class:`PathLoader` does it
once per record and keeps the result in :attr:`Record.memo <riskscreen.engine.record.Record>`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Hashable, Mapping
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any, NoReturn

from rule_engine import errors
from rule_engine.types import DataType, coerce_value

from . import internals
from .callcheck import ArgumentChecks
from .record import MissingValueError, Record

__all__ = [
    "CallSite",
    "DeviationError",
    "PathLoader",
    "call_function",
    "coerce",
    "deviate",
    "float_to_decimal",
    "get_item",
    "int_to_decimal",
    "literal_pattern",
    "load_optional",
    "path_loader",
    "regex_outcome",
]


class DeviationError(Exception):
    """The compiled fast path met a value it does not handle; the interpreter decides."""


def deviate() -> NoReturn:
    """Leave the fast path (see :class:`DeviationError`)."""
    raise DeviationError


# Record values repeat (depths, counts, readings with one decimal), and converting is the
# costly part of reading them: conversions are remembered, per Python type. Zero is left
# out because 0.0 and -0.0 are equal keys but different Decimals.
_FLOATS: dict[float, Decimal] = {}
_INTS: dict[int, Decimal] = {}
_CONVERSIONS_KEPT = 1 << 16


def float_to_decimal(value: float) -> Decimal:
    """rule-engine's conversion of a Python float: through its shortest ``repr``."""
    converted = _FLOATS.get(value)
    if converted is not None:
        return converted
    if value != value:  # NaN compares differently per decimal context: let the interpreter decide
        deviate()
    converted = Decimal(repr(value))
    if value and len(_FLOATS) < _CONVERSIONS_KEPT:
        _FLOATS[value] = converted
    return converted


def int_to_decimal(value: int) -> Decimal:
    """rule-engine's conversion of a Python int."""
    converted = _INTS.get(value)
    if converted is None:
        converted = Decimal(value)
        if len(_INTS) < _CONVERSIONS_KEPT:
            _INTS[value] = converted
    return converted


def _contains_nan(value: Any) -> bool:
    if isinstance(value, tuple):
        return any(_contains_nan(item) for item in value)
    return isinstance(value, Decimal) and value.is_nan()


def coerce(value: Any, zone: tzinfo) -> Any:
    """rule-engine's ``_new_value``: numbers to Decimal, lists to tuples, naive times get ``zone``.

    NaN and mappings (which rule-engine wraps in a new view on every read) deviate.
    """
    cls = value.__class__
    if cls is str or cls is bool:
        return value
    if cls is int:
        return int_to_decimal(value)
    if cls is float:
        return float_to_decimal(value)
    if cls is Decimal:
        if value != value:
            deviate()
        return value
    if cls is datetime:
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    if cls is dict or isinstance(value, Mapping):
        deviate()
    converted = coerce_value(value, verify_type=False)
    if isinstance(converted, datetime) and converted.tzinfo is None:
        converted = converted.replace(tzinfo=zone)
    if _contains_nan(converted):
        deviate()
    return converted


#: Python classes a top-level symbol of a scalar rule-engine type may hold without deviating.
SCALAR_CLASSES: dict[str, type] = {
    "STRING": str,
    "BOOLEAN": bool,
    "FLOAT": Decimal,
    "DATETIME": datetime,
    "TIMEDELTA": timedelta,
    "BYTES": bytes,
}


class PathLoader:
    """Reads one dotted path of a record the way rule-engine does, once per record.

    ``root.a.b`` resolves ``root`` from the record's symbols and each attribute through
    :func:`~riskscreen.engine.record.read_attribute`'s rules: an absent or null value
    raises :class:`MissingValueError` naming the path read so far. The converted value is
    kept in the record's memo, keyed by this loader. ``expected`` is the class a
    top-level scalar symbol must have (rule-engine type-checks symbols, not attributes).
    """

    __slots__ = ("expected", "path", "root", "steps", "zone")

    def __init__(self, path: str, zone: tzinfo, expected: type | None) -> None:
        self.path = path
        self.root, *names = path.split(".")
        # (attribute, the path read once it is found) for each step below the root
        self.steps = tuple((name, ".".join([self.root, *names[: i + 1]])) for i, name in enumerate(names))
        self.zone = zone
        self.expected = expected

    def __repr__(self) -> str:
        return f"PathLoader({self.path!r})"

    def __call__(self, record: Record) -> Any:
        value = record.symbols.get(self.root)
        if value is None:
            raise MissingValueError(self.root)
        for name, prefix in self.steps:
            if value.__class__ is not dict and not isinstance(value, Mapping):
                deviate()
            value = value.get(name)
            if value is None:
                raise MissingValueError(prefix)
        cls = value.__class__
        if cls is bool or cls is str:
            pass  # the common cases, unchanged by conversion
        elif cls is float:
            value = float_to_decimal(value)
        elif cls is int:
            value = int_to_decimal(value)
        else:
            value = coerce(value, self.zone)
        if self.expected is not None and value.__class__ is not self.expected:
            deviate()
        record.memo[self] = value
        return value


def load_optional(loader: PathLoader, record: Record) -> Any:
    """``loader``'s value where the expression handles an absent value: ``None`` when absent."""
    try:
        return loader(record)
    except MissingValueError:
        return None


_loaders: dict[tuple[str, Hashable, type | None], PathLoader] = {}
_loaders_lock = threading.Lock()


def _zone_key(zone: tzinfo) -> Hashable:
    """A zone as a dictionary key; one that cannot be hashed (``dateutil.tz.tzlocal()``) by identity.

    The loader keeps the zone alive, so its identity is never reused for another zone.
    """
    try:
        hash(zone)
    except TypeError:
        return ("id", id(zone))
    return zone


def path_loader(path: str, zone: tzinfo, expected: type | None = None) -> PathLoader:
    """The shared loader for ``path``: every predicate reading it finds the same memo entry."""
    key = (path, _zone_key(zone), expected)
    loader = _loaders.get(key)
    if loader is None:
        with _loaders_lock:
            loader = _loaders.setdefault(key, PathLoader(path, zone, expected))
    return loader


def get_item(container: Any, item: Any, zone: tzinfo) -> Any:
    """``container[item]`` for a tuple or string and an integral Decimal index."""
    if container.__class__ is not tuple and container.__class__ is not str:
        deviate()
    if item.__class__ is not Decimal or not item.is_finite() or item != item.to_integral_value():
        deviate()
    try:
        value = container[int(item)]
    except IndexError:
        deviate()
    if value.__class__ is datetime and value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value


class _LiteralMatch:
    """What a literal pattern's substring test gives instead of a regex match."""

    __slots__ = ("grouped",)

    def __init__(self, grouped: bool) -> None:
        self.grouped = grouped

    def groups(self) -> tuple[str, ...]:
        """No groups, or a deviation when the pattern has some (only a regex knows them)."""
        if self.grouped:
            deviate()
        return ()


PLAIN_MATCH = _LiteralMatch(grouped=False)
GROUPED_MATCH = _LiteralMatch(grouped=True)
_LITERAL = getattr(re, "_parser", None) or __import__("sre_parse")


def literal_pattern(pattern: str, flags: int) -> tuple[tuple[str, ...], bool] | None:
    """The alternatives of a pattern made only of plain text, and whether it has a group.

    ``起火`` gives ``(("起火",), False)`` and ``(起火|冒烟)`` gives
    ``(("起火", "冒烟"), True)``: searching for such a pattern is a substring test, and
    matching it is a prefix test. Anything else (classes, repeats, anchors, flags) is
    ``None`` and stays a regex.
    """
    if flags or "(?" in pattern:
        return None
    try:
        parsed = list(_LITERAL.parse(pattern))
    except Exception:
        return None
    grouped = False
    if len(parsed) == 1 and parsed[0][0] == _LITERAL.SUBPATTERN:
        _group, add_flags, del_flags, inner = parsed[0][1]
        if add_flags or del_flags:
            return None
        parsed, grouped = list(inner), True
    branched = len(parsed) == 1 and parsed[0][0] == _LITERAL.BRANCH
    branches = parsed[0][1][1] if branched else [parsed]
    alternatives = []
    for branch in branches:
        items = list(branch)
        if not all(op == _LITERAL.LITERAL for op, _ in items):
            return None
        alternatives.append("".join(chr(code) for _, code in items))
    return tuple(alternatives), grouped


def regex_outcome(context: Any, match: Any) -> bool:
    """Record a match's groups for ``$re_groups`` as rule-engine does (when anything reads them)."""
    if "re_groups" in context.symbols:
        internals.set_regex_groups(context, coerce_value(match.groups()))
    return True


class CallSite:
    """What compiled code needs of a function call's node in rule-engine's tree: its types.

    The function's type (or ``UNDEFINED``), the call's result type and the context's
    default timezone. Holding these instead of the node lets the compiled call be stored
    in the rule-set cache and run without the rule's syntax tree, so that a rule calling a
    plugin's function does not parse its rule again (building rule-engine's parser) the
    first time it is screened.

    A site also remembers, for as long as it lives, the argument types whose check passed
    and which plain result classes its result type accepts: a rule calls the same function
    with the same kinds of value on every record (see :mod:`~riskscreen.engine.callcheck`).
    These are not pickled; a site read from the cache learns them again.
    """

    __slots__ = ("arguments", "default_timezone", "function_type", "plain_results", "result_type", "typed")

    def __init__(self, function_type: Any, result_type: Any, default_timezone: tzinfo | None) -> None:
        self.function_type = function_type
        self.result_type = result_type
        self.default_timezone = default_timezone
        self.typed = function_type != DataType.UNDEFINED
        self.arguments = ArgumentChecks()
        #: str or bool -> whether this call's result type accepts it (kept once asked).
        self.plain_results: dict[type, bool] = {}

    def __reduce__(self) -> tuple[Any, ...]:
        return (CallSite, (self.function_type, self.result_type, self.default_timezone))

    def __repr__(self) -> str:
        return f"CallSite({self.function_type!r} -> {self.result_type!r})"

    def accepts_plain(self, cls: type, result: Any) -> bool:
        """Whether a ``str`` or ``bool`` result passes rule-engine's result check here."""
        accepted = self.plain_results.get(cls)
        if accepted is None:
            accepted = DataType.is_compatible(DataType.from_value(result), self.result_type)
            self.plain_results[cls] = accepted
        return accepted


def call_function(site: CallSite, function: Any, arguments: tuple[Any, ...]) -> Any:
    """The second half of rule-engine's function call: checks, the call, the result's type.

    The function and its arguments were evaluated by compiled code; the checks and the
    conversion of the result are rule-engine's own (see :mod:`~riskscreen.engine.internals`),
    so that their messages stay rule-engine's. A ``str`` or ``bool`` result is its own
    rule-engine value, so only its type is checked, once per site.
    """
    if not callable(function):
        deviate()
    function_name: str | None = "<unknown>"
    if site.typed:
        function_type = site.function_type
        function_name = function_type.value_name
        site.arguments.check(function_type, arguments)
    elif hasattr(function, "__name__"):
        function_name = function.__name__ + "?"
    try:
        result = function(*arguments)
    except errors.FunctionCallError as error:
        error.function_name = function_name
        raise
    except Exception as error:
        raise errors.FunctionCallError(
            "function call failed", error=error, function_name=function_name
        ) from None
    cls = result.__class__
    if cls is bool or cls is str:
        if site.accepts_plain(cls, result):
            return result
        raise errors.FunctionCallError(
            "function call failed (data type mismatch on returned value)", function_name=function_name
        )
    result = internals.new_value(result, site.default_timezone)
    if not DataType.is_compatible(DataType.from_value(result), site.result_type):
        raise errors.FunctionCallError(
            "function call failed (data type mismatch on returned value)", function_name=function_name
        )
    if _contains_nan(result):
        deviate()
    return result
