"""Which rules an observation sees, and one function that evaluates all of them.

:class:`RuleIndex` keeps, per category, the rules that can apply to it. Validity dates
and jurisdictions are resolved before evaluation: the applicable rules depend only on the
category, the event's local date (when some rule has a validity window) and the location
levels some rule's jurisdiction names, so each such combination is worked out once and
remembered. The rules of one combination are then fused into one generated function
(:func:`fuse`) that evaluates every ``when`` and ``unless`` inline, sharing the values read
from the record; per record that costs one call instead of two per rule.

A rule whose expressions were not compiled, or whose compiled code meets a case it leaves
to the interpreter, is evaluated through its own predicates, so results never depend on
whether fusion happened.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import internals
from .codecache import compiled
from .compiler import CompiledSource, register_source, source_of
from .record import MissingValueError, Record
from .runtime import _FLOATS, _INTS, PathLoader, float_to_decimal, int_to_decimal
from .sourcetext import identifier, layout

if TYPE_CHECKING:
    from ..models import Location
    from ..packs.ruleset import CompiledRule

__all__ = ["Outcome", "RuleIndex", "fuse"]

#: A rule that fired (``None``) or could not be decided (the exception it raised).
Outcome = tuple["CompiledRule", BaseException | None]

#: Events from a fused function: an index (fired), or (index, MissingValueError | None for "ask the rule").
Fused = Callable[[Record], list[Any]]

_CACHE_LIMIT = 4096

logger = logging.getLogger(__name__)

#: Local names of the fused function besides the path values (which must not take them).
_FUSED_LOCALS = frozenset({"M", "S", "add", "c", "d", "missing", "o", "out", "record", "v"})
_fallback_logged = threading.Event()


def _sources(rule: CompiledRule) -> tuple[CompiledSource | None, CompiledSource | None, bool]:
    when = source_of(rule.when_predicate)
    unless = source_of(rule.unless_predicate) if rule.unless_predicate is not None else None
    usable = when is not None and (rule.unless_predicate is None or unless is not None)
    return when, unless, usable


def _loaders_of(sources: Sequence[CompiledSource]) -> list[PathLoader]:
    """Every path the sources read, themselves or through the macros they call."""
    loaders: dict[PathLoader, None] = {}
    seen: set[int] = set()
    todo = list(sources)
    while todo:
        source = todo.pop()
        if id(source) in seen:
            continue
        seen.add(id(source))
        loaders.update(dict.fromkeys(source.loaders))
        for macros, name in source.macro_refs:
            found = source_of(macros.get(name))
            if found is not None:
                todo.append(found)
    return list(loaders)


_CONVERT = """\
{indent}if v is not None:
{indent}    c = v.__class__
{indent}    if c is bool or c is str:
{indent}        {var} = M[{key}] = v
{indent}    elif c is float:
{indent}        d = _FLOATS.get(v)
{indent}        if d is None and v == v:
{indent}            d = _f2d(v)
{indent}        if d is not None:
{indent}            {var} = M[{key}] = d
{indent}    elif c is int:
{indent}        {var} = M[{key}] = _INTS.get(v) or _i2d(v)
{indent}    elif c is _datetime and v.tzinfo is not None:
{indent}        {var} = M[{key}] = v
{indent}    elif c is list and all(x.__class__ is str for x in v):
{indent}        {var} = M[{key}] = tuple(v)"""


def prefetch(loaders: Sequence[PathLoader], names: dict[str, Any]) -> tuple[list[str], dict[PathLoader, str]]:
    """Lines that read the common cases of ``loaders`` into the memo and locals in one pass.

    Each value stored is exactly what its loader would store; anything else (a missing
    value, an unusual type, a deeper path) is left for the loader to meet when read.
    Returns the lines and, for each loader, the local variable holding its value (or
    ``None`` until read).
    """
    names.update(
        {"_DEC": Decimal, "_datetime": datetime, "_FLOATS": _FLOATS, "_INTS": _INTS}
        | {"_f2d": float_to_decimal, "_i2d": int_to_decimal}
    )
    lines = ["    S = record.symbols"]
    keys: dict[PathLoader, str] = {}
    variables: dict[PathLoader, str] = {}
    by_root: dict[str, list[PathLoader]] = {}
    taken: set[str] = set()
    for loader in loaders:
        # the loader's global and the local holding its value are named after the path
        base = identifier(loader.path)
        if loader.expected is not None:
            base += f"_{loader.expected.__name__}"
        variable, number = base, 1
        while variable in taken or variable in _FUSED_LOCALS:
            number += 1
            variable = f"{base}_{number}"
        taken.add(variable)
        key = f"P_{variable}"
        names[key] = loader
        keys[loader] = key
        variables[loader] = variable
        lines.append(f"    {variable} = None")
        if len(loader.steps) == 1:
            by_root.setdefault(loader.root, []).append(loader)
        elif not loader.steps and loader.expected in (str, bool, datetime):
            test = "v.__class__ is _datetime and v.tzinfo is not None"
            if loader.expected is not datetime:
                test = f"v.__class__ is {loader.expected.__name__}"
            lines.append(f"    v = S.get({loader.root!r})")
            lines += [f"    if {test}:", f"        {variable} = M[{key}] = v"]
    for root, group in by_root.items():
        lines += [f"    o = S.get({root!r})", "    if o.__class__ is dict:"]
        for loader in group:
            lines.append(f"        v = o.get({loader.steps[0][0]!r})")
            code = _CONVERT.format(indent="        ", key=keys[loader], var=variables[loader])
            lines += code.splitlines()
    return lines, variables


def _condition(source: CompiledSource, variables: dict[PathLoader, str]) -> str:
    """The source as an ``if`` condition, its memo reads replaced by the function's locals.

    Only the truth of the value matters in a condition, so a top-level
    ``(True if X else False)`` (how a value-producing ``and``/``or`` is written) is just ``X``.
    """
    expression = source.expression
    if expression.startswith("(True if ") and expression.endswith(" else False)"):
        expression = expression[len("(True if ") : -len(" else False)")]
    for name, value in source.names.items():
        variable = variables.get(value) if isinstance(value, PathLoader) else None
        if variable is not None:
            read = f"(_r if (_r := M.get({name})) is not None else {name}(record))"
            local = f"({variable} if {variable} is not None else ({variable} := P_{variable}(record)))"
            expression = expression.replace(read, local)
    return expression


def _merge(names: dict[str, Any], source: CompiledSource, local: set[str]) -> None:
    """Add a source's globals to the fused function's; two values under one name cannot fuse."""
    for name, value in source.names.items():
        if name in local:
            raise ValueError(f"{source.name or source.text!r}: the global {name} is also a local name")
        present = names.setdefault(name, value)
        if present is not value:
            raise ValueError(f"{source.name or source.text!r}: the name {name} is bound to two values")


def fuse(rules: Sequence[CompiledRule]) -> Fused:
    """One function evaluating ``rules`` in order; see the module documentation.

    Its source is kept as the function's ``riskscreen_source`` attribute and registered in
    :mod:`linecache`, so tracebacks and ``inspect.getsource`` show it.
    """
    names: dict[str, Any] = {"MissingValueError": MissingValueError}
    ids = ", ".join(rule.id for rule in rules[:3]) + (", …" if len(rules) > 3 else "")
    title = f"fused {len(rules)} rules: {ids}" if rules else "fused 0 rules"
    lines = [
        "def fused(record):",
        f"    # {title}",
        "    M = record.memo",
        "    out = []",
        "    add = out.append",
    ]
    sources = [s for rule in rules for s in _sources(rule)[:2] if s is not None]
    read, variables = prefetch(_loaders_of(sources), names)
    local = set(variables.values()) | _FUSED_LOCALS
    lines += read
    for index, rule in enumerate(rules):
        when, unless, usable = _sources(rule)
        if not usable or when is None:
            lines.append(f"    add(({index}, None))  # {rule.id}: evaluated through its own predicates")
            continue
        _merge(names, when, local)
        body = [f"# {rule.id} at {rule.source}", f"if {layout(_condition(when, variables), '        ')}:"]
        if when.reset:
            body.insert(1, internals.reset_regex_groups_source(when.reset))
        if unless is not None:
            _merge(names, unless, local)
            if unless.reset:
                body.append(f"    {internals.reset_regex_groups_source(unless.reset)}")
            condition = layout(_condition(unless, variables), "            ")
            body += [f"    if not {condition}:", f"        add({index})"]
        else:
            body.append(f"    add({index})")
        lines.append("    try:")
        lines += [f"        {line}" for line in body]
        lines += [
            "    except MissingValueError as missing:",
            # without its traceback, which would make a reference cycle through this frame
            f"        add(({index}, missing.with_traceback(None)))",
            "    except Exception:",
            f"        add(({index}, None))",
        ]
    lines.append("    return out")
    source = "\n".join(lines) + "\n"
    filename = register_source(f"<riskscreen {title}>", source)
    code = compiled(source, filename)  # bytecode an earlier process kept, when there is one
    exec(code, names)
    function = names["fused"]
    function.riskscreen_source = source
    return function  # type: ignore[no-any-return]


def _evaluate_rule(rule: CompiledRule, record: Record) -> Outcome | None:
    """One rule through its own predicates: fired, failed, or ``None`` when it did not fire."""
    try:
        if not rule.when_predicate(record):
            return None
        if rule.unless_predicate is not None and rule.unless_predicate(record):
            return None
    except Exception as exc:  # a failing rule must not take the record down
        # kept without its traceback: it would tie this frame (and the record) into a cycle
        return (rule, exc.with_traceback(None))
    return (rule, None)


def _log_fallback(rules: Sequence[CompiledRule], exc: Exception) -> None:
    """Say (once per process, then at debug level) that rules are evaluated one by one."""
    level = logging.DEBUG if _fallback_logged.is_set() else logging.WARNING
    _fallback_logged.set()
    ids = ", ".join(rule.id for rule in rules[:5]) + (", …" if len(rules) > 5 else "")
    logger.log(
        level,
        "could not fuse %d rules (%s) into one function, each is evaluated on its own "
        "(same results, slower): %s: %s",
        len(rules),
        ids,
        type(exc).__name__,
        exc,
    )


class _Plan:
    """The rules applicable to one (category, date, place), and their fused function."""

    __slots__ = ("fused", "lock", "rules")

    def __init__(self, rules: tuple[CompiledRule, ...]) -> None:
        self.rules = rules
        self.fused: Fused | None = None
        self.lock = threading.Lock()

    def function(self) -> Fused:
        fused = self.fused
        if fused is None:
            with self.lock:
                fused = self.fused
                if fused is None:
                    try:
                        fused = fuse(self.rules)
                    except Exception as exc:  # never let fusion stop screening: ask each rule
                        _log_fallback(self.rules, exc)
                        count = len(self.rules)
                        fused = lambda record: [(i, None) for i in range(count)]  # noqa: E731
                    self.fused = fused
        return fused

    def evaluate(self, record: Record) -> list[Outcome]:
        rules = self.rules
        outcomes: list[Outcome] = []
        for event in self.function()(record):
            if event.__class__ is int:
                outcomes.append((rules[event], None))
                continue
            index, missing = event
            if missing is not None:
                outcomes.append((rules[index], missing))
                continue
            outcome = _evaluate_rule(rules[index], record)
            if outcome is not None:
                outcomes.append(outcome)
        return outcomes


class _CategoryIndex:
    """Rules that can apply to one category, by the date and place they apply."""

    def __init__(self, candidates: tuple[CompiledRule, ...]) -> None:
        self.candidates = candidates
        self.uses_date = any(r.valid_from is not None or r.valid_until is not None for r in candidates)
        self.levels = tuple(sorted({level for r in candidates for level, _ in r.jurisdiction}))
        self.plans: dict[tuple[Any, ...], _Plan] = {}
        self.always = None if self.uses_date or self.levels else _Plan(candidates)

    def plan(self, day: date | None, location: Location) -> _Plan:
        if self.always is not None:
            return self.always
        key = (day if self.uses_date else None, *(getattr(location, level) for level in self.levels))
        plan = self.plans.get(key)
        if plan is None:
            rules = self.candidates
            if self.uses_date and day is not None:
                rules = tuple(r for r in rules if r.in_validity(day))
            if self.levels:
                rules = tuple(r for r in rules if r.in_jurisdiction(location))
            if len(self.plans) >= _CACHE_LIMIT:
                self.plans.clear()
            plan = self.plans.setdefault(key, _Plan(rules))
        return plan


class RuleIndex:
    """The rules each observation sees, and their evaluation (see the module documentation).

    ``candidates(category)`` gives the enabled rules that can apply to a category, in
    load order (typically :meth:`RuleSet.candidates <riskscreen.packs.ruleset.RuleSet.candidates>`).
    """

    def __init__(self, candidates: Callable[[str], tuple[CompiledRule, ...]]) -> None:
        self._candidates = candidates
        self._categories: dict[str, _CategoryIndex] = {}

    def _category(self, category: str) -> _CategoryIndex:
        index = self._categories.get(category)
        if index is None:
            index = self._categories.setdefault(category, _CategoryIndex(self._candidates(category)))
        return index

    def applicable(self, category: str, day: date, location: Location) -> tuple[CompiledRule, ...]:
        """The rules that apply to an observation of ``category`` on local date ``day`` at ``location``."""
        return self._category(category).plan(day, location).rules

    def evaluate(self, category: str, day: date, location: Location, record: Record) -> list[Outcome]:
        """Each applicable rule that fired (with ``None``) or could not be decided, in load order."""
        return self._category(category).plan(day, location).evaluate(record)
