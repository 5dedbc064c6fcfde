"""The Python a rule is compiled to, for people reading or debugging it.

``riskscreen explain --show-code RULE`` prints :func:`generated_code`; the fused function
of a category (every applicable rule in one function) is :func:`fused_code`. The same
source is registered in :mod:`linecache`, so tracebacks and ``inspect.getsource`` show it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from ..engine.compiler import CompiledSource, source_of
from ..engine.settling import source_of as settling_source
from ..errors import RiskscreenError

if TYPE_CHECKING:
    from ..screener import Screener

__all__ = ["UnknownRuleError", "fused_code", "generated_code"]


class UnknownRuleError(RiskscreenError, LookupError):
    """``generated_code`` was asked for a rule the screener has not loaded."""


def _compiled(predicate: Any) -> CompiledSource | None:
    found = source_of(predicate)
    if found is None and hasattr(predicate, "compiled_source"):
        found = predicate.compiled_source()  # restored from the cache, compiled on first use
    return found


def _with_macros(source: CompiledSource) -> Iterator[CompiledSource]:
    """The source, then every macro it calls (directly or through other macros), once each."""
    seen: set[int] = set()
    todo = [source]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for macros, name in current.macro_refs:
            found = _compiled(macros.get(name))
            if found is not None:
                todo.append(found)


def generated_code(screener: Screener, rule_id: str) -> str:
    """The generated Python of a rule's ``when`` and ``unless``, of the macros they call, and
    of the function that settles the rule when it read a missing value (if it has one).

    A clause the compiler left to rule-engine's interpreter is named with the reason.
    Raises :class:`UnknownRuleError` for an id that is not loaded.
    """
    rule = screener.ruleset.rule(rule_id)
    if rule is None:
        known = sorted(r.id for r in screener.ruleset.rules)
        raise UnknownRuleError(f"no rule {rule_id!r} is loaded ({len(known)} rules are)")
    parts: list[str] = []
    shown: set[int] = set()
    clauses = [("when", rule.when_predicate, rule.when), ("unless", rule.unless_predicate, rule.unless)]
    for clause, predicate, parsed in clauses:
        if predicate is None:
            continue
        found = _compiled(predicate)
        if found is None:
            text = parsed.text if parsed is not None else ""
            parts.append(
                f"# {rule_id} {clause} at {rule.source}: evaluated by rule-engine's interpreter "
                f"(not compiled)\n# {text}\n"
            )
            continue
        for source in _with_macros(found):
            if id(source) not in shown:
                shown.add(id(source))
                parts.append(source.source)
    settling = settling_source(rule.settling)
    if settling is not None:  # what decides whether it can still fire when it lacks a value
        parts.append(settling.source)
    return "\n\n".join(part.rstrip("\n") for part in parts) + "\n"


def fused_code(screener: Screener, category: str, day: date | None = None) -> str:
    """The source of the one function that evaluates every rule applicable to ``category``.

    ``day`` (the event's local date, default today) matters when some rule has validity
    dates; rules with a jurisdiction are taken as applying.
    """
    from ..engine.plan import fuse

    day = day or date.today()
    rules = [r for r in screener.ruleset.candidates(category) if r.in_validity(day)]
    function = fuse(rules)
    return str(getattr(function, "riskscreen_source", ""))
