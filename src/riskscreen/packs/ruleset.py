"""A loaded rule set: rules ready to evaluate, indexed by category."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ..engine import kleene
from ..engine.evaluator import ParsedExpression, Predicate
from ..engine.record import Record
from ..engine.settling import Settling
from ..models import Location, Severity, Tier
from .categories import CategoryRegistry

if TYPE_CHECKING:
    # the pack schema (pydantic models of the YAML) is not needed to screen with a loaded set
    from .schema import ValidityDate

__all__ = ["CompiledRule", "PackInfo", "RuleSet"]


@dataclass(frozen=True)
class PackInfo:
    """A loaded pack's identity."""

    id: str
    version: str
    title: str | None
    path: str
    applies_to: tuple[str, ...] | None


@dataclass(frozen=True)
class CompiledRule:
    """A rule with overrides applied and its expressions compiled."""

    id: str
    pack: str
    title: str
    severity: Severity
    score: float
    message: str
    action: str | None
    escalate_to: Tier
    respond_within: timedelta | None
    respond_within_text: str | None
    tags: tuple[str, ...]
    references: tuple[str, ...]
    enabled: bool
    valid_from: ValidityDate | None
    valid_until: ValidityDate | None
    jurisdiction: tuple[tuple[str, frozenset[str]], ...]
    source: str
    categories: frozenset[str] | None
    when: ParsedExpression
    unless: ParsedExpression | None
    when_predicate: Predicate = field(repr=False, compare=False)
    unless_predicate: Predicate | None = field(repr=False, compare=False)
    reads: tuple[str, ...] = ()
    description: str | None = None
    overridden_by: tuple[str, ...] = ()
    override_packs: tuple[str, ...] = ()
    #: The pack's macros by name, so an explanation can follow a rule into the macros it uses.
    macros: Mapping[str, ParsedExpression] = field(default_factory=dict, repr=False, compare=False)
    #: :meth:`cannot_fire` as generated code (:mod:`riskscreen.engine.settling`), made when
    #: the rule is compiled; ``None``: rule-engine's trees are read instead.
    settling: Settling | None = field(default=None, repr=False, compare=False)

    def cannot_fire(self, record: Record) -> bool:
        """Whether the rule, having read a value ``record`` lacks, is certain not to fire on it.

        Its ``when`` is false or its ``unless`` holds whatever the missing values are
        (:func:`riskscreen.engine.kleene.cannot_fire`).
        """
        settling = self.settling
        if settling is not None:
            return settling(record)
        return kleene.cannot_fire(self.when, self.unless, self.macros, record)

    def in_validity(self, day: date) -> bool:
        """Whether the rule applies on local date ``day`` (bounds inclusive; MM-DD recurs yearly)."""
        low, high = self.valid_from, self.valid_until
        if low is None and high is None:
            return True
        if (low is None or low.year is not None) and (high is None or high.year is not None):
            if low is not None and day < date(low.year or 1, low.month, low.day):
                return False
            return not (high is not None and day > date(high.year or 9999, high.month, high.day))
        # yearly window (possibly mixed with a fixed bound, which is then read as its month-day)
        key = (day.month, day.day)
        start = low.key() if low else (1, 1)
        end = high.key() if high else (12, 31)
        if start <= end:
            return start <= key <= end
        return key >= start or key <= end  # a window that wraps over the year end

    def in_jurisdiction(self, location: Location) -> bool:
        """Whether the location matches one of the names at every level the rule gives."""
        return all(getattr(location, level) in names for level, names in self.jurisdiction)


@dataclass(frozen=True)
class RuleSet:
    """Every loaded pack and rule, and the categories they know."""

    packs: tuple[PackInfo, ...]
    rules: tuple[CompiledRule, ...]
    registry: CategoryRegistry
    derived: dict[str, Any]
    digest: str
    #: ``(copy, original)`` display paths of pack files left out as byte-for-byte copies.
    copies: tuple[tuple[str, str], ...] = ()
    _by_category: dict[str, tuple[CompiledRule, ...]] = field(default_factory=dict, repr=False, compare=False)
    _by_id: dict[str, CompiledRule] = field(default_factory=dict, repr=False, compare=False)

    def candidates(self, category: str) -> tuple[CompiledRule, ...]:
        """Enabled rules that can apply to ``category``, in load order."""
        cached = self._by_category.get(category)
        if cached is None:
            cached = tuple(
                r for r in self.rules if r.enabled and (r.categories is None or category in r.categories)
            )
            self._by_category[category] = cached
        return cached

    def rule(self, rule_id: str) -> CompiledRule | None:
        """The rule with this id, if loaded."""
        if not self._by_id and self.rules:
            self._by_id.update((r.id, r) for r in self.rules)
        return self._by_id.get(rule_id)

    @property
    def pack_versions(self) -> dict[str, str]:
        """Pack id -> version."""
        return {p.id: p.version for p in self.packs}
