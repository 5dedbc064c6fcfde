"""Message templates that name fields observations do not have (``RS503``).

A placeholder such as ``{attrs.depht_m}`` renders as 未知 (unknown) on every alert
instead of failing, so a typo would go unnoticed; the linter checks each placeholder
against the observation's fields, the attributes declared for the pack's categories and
the ``derived.*`` fields, and suggests the closest name.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..errors import Problem
from ..models import History, Location, Reporter
from ..templates import placeholders
from .base import Check, LintContext, RuleEntry

__all__ = ["UnknownMessageField"]

_SCALARS = ("id", "kind", "category", "reported_at", "occurred_at", "description", "status")
_OBJECTS: dict[str, list[str]] = {
    name: list(model.model_fields)
    for name, model in (("location", Location), ("reporter", Reporter), ("history", History))
}


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
    root, _, rest = path.partition(".")
    roots = [*_SCALARS, *_OBJECTS, "attrs", "derived"]
    if root not in roots:
        return f"but observations have no field {root!r}{_hint(root, roots)}"
    if root in _SCALARS:
        return None if not rest else f"but {root} has no parts ({root!r} is a plain value)"
    options = {"attrs": attrs, "derived": derived}.get(root) or _OBJECTS[root]
    name, _, deeper = rest.partition(".")
    if not name:
        return f"but {root} is an object: name one of its fields, e.g. {{{root}.{options[0]}}}"
    if name not in options:
        if root == "attrs":
            return f"but no attribute {name!r} is declared for the rule's categories{_hint(name, options)}"
        if root == "derived":
            return f"but there is no derived field {name!r}{_hint(name, options)}"
        return f"but {root} has no field {name!r}{_hint(name, options)}"
    if deeper:
        return f"but {root}.{name} has no part {deeper!r}"
    return None


def _hint(name: str, options: list[str]) -> str:
    close = difflib.get_close_matches(name, options, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
