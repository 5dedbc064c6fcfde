"""Which rules a change adds, removes or changes, comparing the loaded rule definitions.

Definitions are compared after loading (overrides applied, default scores filled in), so a
rule changed by an override in another pack counts as changed, and rewriting a YAML file
without changing what it means does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel

from ..packs.ruleset import CompiledRule

__all__ = ["FIELDS", "FieldChange", "RuleChange", "compare_rules", "definition"]

#: The parts of a definition that are compared, in the order they are reported.
FIELDS = ("expression", "severity", "score", "deadline", "escalation", "validity", "scope", "enabled")


class FieldChange(BaseModel):
    """One part of a rule's definition, before and after."""

    field: str
    base: str
    head: str


class RuleChange(BaseModel):
    """A rule present on both sides whose definition differs."""

    rule_id: str
    changes: list[FieldChange]


def _macros_used(rule: CompiledRule, text: str) -> str:
    """The macros the expression names, with their text: a macro's edit changes the rule."""
    used = [
        f"{name} = {macro.text}"
        for name, macro in sorted(rule.macros.items())
        if re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", text)
    ]
    return "; ".join(used)


def definition(rule: CompiledRule) -> dict[str, str]:
    """The compared parts of a rule, each as text people can read in a report."""
    expression = rule.when.text + (f"  unless: {rule.unless.text}" if rule.unless else "")
    macros = _macros_used(rule, expression)
    validity = f"{rule.valid_from or '…'} – {rule.valid_until or '…'}"
    categories = ", ".join(sorted(rule.categories)) if rule.categories is not None else "every category"
    places = "; ".join(f"{level}: {', '.join(sorted(names))}" for level, names in rule.jurisdiction)
    return {
        "expression": expression + (f"  where {macros}" if macros else ""),
        "severity": rule.severity,
        "score": f"{rule.score:g}",
        "deadline": rule.respond_within_text or "band default",
        # the tier decides who is called out, so moving it is a change people must see
        "escalation": rule.escalate_to,
        "validity": validity if (rule.valid_from or rule.valid_until) else "always",
        "scope": categories + (f" ({places})" if places else ""),
        "enabled": "yes" if rule.enabled else "no",
    }


def compare_rules(
    base: Iterable[CompiledRule], head: Iterable[CompiledRule]
) -> tuple[list[str], list[str], list[RuleChange]]:
    """Rule ids added and removed (sorted), and the rules whose definition changed."""
    before = {rule.id: definition(rule) for rule in base}
    after = {rule.id: definition(rule) for rule in head}
    added = sorted(after.keys() - before.keys())
    removed = sorted(before.keys() - after.keys())
    changed = []
    for rule_id in sorted(before.keys() & after.keys()):
        old, new = before[rule_id], after[rule_id]
        fields = [FieldChange(field=f, base=old[f], head=new[f]) for f in FIELDS if old[f] != new[f]]
        if fields:
            changed.append(RuleChange(rule_id=rule_id, changes=fields))
    return added, removed, changed
