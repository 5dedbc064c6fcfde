"""Override messages that name fields observations do not have (``RS503``).

A rule's own message is checked when its pack loads (``RS207``, an error). An override
may replace the message of a rule in another pack; the linter checks those placeholders
too, against the observation's fields, the attributes declared for the rule's categories
and the ``derived.*`` fields, and suggests the closest name.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Problem
from ..templates import placeholders, unknown_field
from .base import Check, LintContext, RuleEntry

__all__ = ["UnknownMessageField"]


class UnknownMessageField(Check):
    """A ``message`` placeholder naming a field no observation of the rule's categories has."""

    code = "RS503"
    name = "unknown-message-field"
    description = "a message template names a field that observations do not have"
    needs_ruleset = True

    def run(self, context: LintContext) -> Iterator[Problem]:
        """One warning per unknown placeholder, at the placeholder."""
        assert context.screener is not None
        ruleset = context.screener.ruleset
        registry = ruleset.registry
        derived = sorted(ruleset.derived)
        for entry in [*context.rules(), *context.rules("overrides")]:
            message = entry.data.get("message")
            if not isinstance(message, str):
                continue
            categories = self._categories(entry, context)
            if categories is None:
                attrs = sorted({a for c in registry.names for a in registry.attr_types(c)})
            else:
                attrs = sorted({a for c in categories for a in registry.attr_types(c)})
            for path in placeholders(message):
                problem = _unknown(path, attrs, derived)
                if problem is None:
                    continue
                offset = message.find("{" + path) + 1
                location = entry.pack.source.offset_location((*entry.where, "message"), offset)
                yield self.problem(location, f"message names {{{path}}}, {problem}")

    @staticmethod
    def _categories(entry: RuleEntry, context: LintContext) -> list[str] | None:
        """The categories whose observations the rule sees (None: every category)."""
        if entry.where[0] == "overrides" and context.screener is not None:
            rule = context.screener.ruleset.rule(entry.id)
            if rule is None:
                return []
            return sorted(rule.categories) if rule.categories is not None else None
        applies = entry.pack.section("applies_to")
        if isinstance(applies, list) and applies:
            return [str(c) for c in applies]
        return None


def _unknown(path: str, attrs: list[str], derived: list[str]) -> str | None:
    """Why ``path`` names nothing an observation has, or None when it is known."""
    reason = unknown_field(path, attrs, derived)
    return None if reason is None else f"but {reason}"
