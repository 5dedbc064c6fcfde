"""Rules that can never fire (``RS504``).

A rule never fires when its ``when`` can never hold, its ``unless`` always holds, its
fixed validity dates are in the wrong order, or its jurisdiction lists no names. Such a
rule loads and type-checks, so only a lint can catch it; the message says which clauses
cannot hold together.
"""

from __future__ import annotations

import decimal
import typing
from collections.abc import Iterator
from datetime import date
from typing import Any

from ..errors import Problem
from ..models import Observation, Reporter
from .base import Check, LintContext, PackDocument, RuleEntry
from .satisfiability import Analyzer

__all__ = ["NeverFires"]


def _literal_values(annotation: Any) -> frozenset[str] | None:
    """The strings a ``Literal[...]`` (or ``Literal[...] | None``) annotation allows."""
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        values = typing.get_args(annotation)
        return frozenset(values) if all(isinstance(v, str) for v in values) else None
    options = [a for a in typing.get_args(annotation) if a is not type(None)]
    if len(options) == 1 and options[0] is not annotation:
        return _literal_values(options[0])
    return None


def _closed_fields(pack: PackDocument, context: LintContext) -> dict[str, frozenset[str]]:
    """Fields whose values are a fixed set, for the categories the pack applies to."""
    domains: dict[str, frozenset[str]] = {}
    for name in ("kind", "status"):
        values = _literal_values(Observation.model_fields[name].annotation)
        if values is not None:
            domains[name] = values
    role = _literal_values(Reporter.model_fields["role"].annotation)
    if role is not None:
        domains["reporter.role"] = role
    applies = pack.section("applies_to")
    categories = [str(c) for c in applies] if isinstance(applies, list) and applies else None
    if categories is not None:
        domains["category"] = frozenset(categories)
    models = getattr(context.screener.ruleset.registry, "models", {}) if context.screener else {}
    if categories and all(c in models for c in categories):
        attribute_sets = [
            {n: _literal_values(f.annotation) for n, f in models[c].model_fields.items()} for c in categories
        ]
        for name in set.intersection(*(set(a) for a in attribute_sets)):
            found = [a[name] for a in attribute_sets]
            if all(v is not None for v in found):
                domains[f"attrs.{name}"] = frozenset().union(*(v for v in found if v is not None))
    return domains


def _list_values(values: Any) -> frozenset[Any]:
    # a malformed list (nested lists, mappings) is the loader's problem to report; this check
    # then knows nothing about the list's values
    if not isinstance(values, list) or any(isinstance(v, (list, dict)) for v in values):
        return frozenset()
    return frozenset(
        decimal.Decimal(str(v)) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
        for v in values
    )


def _fixed_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


class NeverFires(Check):
    """A rule whose conditions cannot all hold for any observation."""

    code = "RS504"
    name = "never-fires"
    description = "a rule that can never fire: impossible 'when', 'unless' always true, empty jurisdiction"

    def run(self, context: LintContext) -> Iterator[Problem]:
        """One warning per rule that can never fire, at the part that makes it so."""
        analyzers: dict[int, Analyzer] = {}
        for entry in context.rules():
            pack = entry.pack
            analyzer = analyzers.get(id(pack))
            if analyzer is None:
                macros = {name: context.expression(text) for name, text in pack.mapping("macros").items()}
                lists = {name: _list_values(values) for name, values in pack.mapping("lists").items()}
                analyzer = analyzers[id(pack)] = Analyzer(macros, lists, _closed_fields(pack, context))
            yield from self._rule(entry, analyzer, context)
        for entry in context.rules("overrides"):
            yield from self._scope(entry)

    def _rule(self, entry: RuleEntry, analyzer: Analyzer, context: LintContext) -> Iterator[Problem]:
        name = entry.id or "this rule"
        when = analyzer.verdict(context.expression(entry.data.get("when")))
        if when.holds is False:
            yield self.problem(entry.location("when"), f"rule {name} can never fire: {when.reason}")
            return
        unless = analyzer.verdict(context.expression(entry.data.get("unless")))
        if unless.holds is True:
            yield self.problem(
                entry.location("unless"),
                f"rule {name} can never fire: its unless always holds ({unless.reason})",
            )
            return
        yield from self._scope(entry)

    def _scope(self, entry: RuleEntry) -> Iterator[Problem]:
        """Validity dates in the wrong order, or a jurisdiction level with no names."""
        name = entry.id or "this rule"
        low, high = _fixed_date(entry.data.get("valid_from")), _fixed_date(entry.data.get("valid_until"))
        if low is not None and high is not None and low > high:
            yield self.problem(
                entry.location("valid_until"),
                f"rule {name} can never fire: valid_until {high} is before valid_from {low}",
            )
        jurisdiction = entry.data.get("jurisdiction")
        for level, names in jurisdiction.items() if isinstance(jurisdiction, dict) else ():
            if isinstance(names, list) and not names:
                yield self.problem(
                    entry.location("jurisdiction", level),
                    f"rule {name} can never fire: jurisdiction {level} lists no names",
                )
