"""Checks of the rule set as a whole: category declarations, unique ids, macro cycles, its digest.

These run between reading the files and parsing the expressions (see
:mod:`riskscreen.packs.loader`); each reports through the loader's ``problem`` list.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ..errors import Problem, SourceLocation
from . import problem_codes as codes
from .attrtypes import AttrType
from .categories import CategoryRegistry, Declaration, declaration_of
from .schema_errors import suggest

if TYPE_CHECKING:
    from .loader import _Loader, _Pack

__all__ = [
    "check_ids",
    "declare_categories",
    "macro_cycles",
    "raw_rule_ids",
    "ruleset_digest",
    "shipped_note",
]


def declare_categories(
    loader: _Loader, packs: Sequence[_Pack], plugin_declarations: Iterable[tuple[str, str, Declaration]]
) -> None:
    """Declare every category attribute (plugins first, then packs); two types for one is a problem."""
    for category, name, declaration in plugin_declarations:
        earlier = loader.registry.declare(category, name, declaration)
        if earlier is not None:
            loader.problems.append(
                Problem(
                    SourceLocation(declaration.source),
                    f"attribute {category}.attrs.{name} declared as {declaration.type} here "
                    f"and as {earlier.type} in {earlier.source}",
                    codes.ATTRIBUTE_TYPE_CONFLICT,
                )
            )
    for pack in packs:
        for category, spec in pack.spec.categories.items():
            loader.registry.add_category(category)
            if spec.description:
                loader.registry.titles.setdefault(category, spec.description)
            for name, declared in spec.attrs.items():
                where = ("categories", category, "attrs", name)
                declaration = declaration_of(declared, str(pack.source.location(where)))
                earlier = loader.registry.declare(category, name, declaration)
                if earlier is not None:
                    loader.problem(
                        pack,
                        where,
                        f"attribute {category}.attrs.{name} declared as {declaration.type} here "
                        f"and as {earlier.type} in {earlier.source}",
                        codes.ATTRIBUTE_TYPE_CONFLICT,
                    )


def check_ids(loader: _Loader, packs: Sequence[_Pack]) -> None:
    """Pack and rule ids are unique; applies_to names known categories."""
    # by pack object, not by the shown location: two files may be shown alike
    pack_ids: dict[str, _Pack] = {}
    rule_ids: dict[str, tuple[_Pack, str]] = {}
    for pack in packs:
        owner = pack_ids.setdefault(pack.spec.pack, pack)
        if owner is not pack:
            loader.problem(
                pack,
                ("pack",),
                f"pack id {pack.spec.pack!r} is already used in {owner.source.location(('pack',))}"
                f"{shipped_note(owner)}",
                codes.DUPLICATE_PACK_ID,
            )
        for i, rule in zip(pack.rule_index, pack.spec.rules, strict=True):
            here = str(pack.source.location(("rules", i, "id")))
            first, where = rule_ids.setdefault(rule.id, (pack, here))
            if first is not pack or where != here:
                loader.problem(
                    pack,
                    ("rules", i, "id"),
                    f"rule id {rule.id!r} is already used in {where}{shipped_note(first, advice=False)}",
                    codes.DUPLICATE_RULE_ID,
                )
        if pack.spec.applies_to is not None and not pack.spec.applies_to:
            loader.problem(
                pack,
                ("applies_to",),
                "applies_to is empty: name categories, or omit it",
                codes.EMPTY_APPLIES_TO,
            )
        for i, category in enumerate(pack.spec.applies_to or ()):
            if category not in loader.registry.attrs:
                loader.problem(
                    pack,
                    ("applies_to", i),
                    f"unknown category {category!r}{suggest(category, loader.registry.names)}; "
                    "declare it under 'categories' or fix the name",
                    codes.UNKNOWN_CATEGORY,
                )


def shipped_note(pack: _Pack, *, advice: bool = True) -> str:
    """What to do about a clash with an earlier pack, the usual cause being a copy of a shipped one."""
    shipped = "shipped with riskscreen" if pack.path.startswith("rules/") else ""
    if not advice:
        return f" ({shipped})" if shipped else ""
    return (
        f" ({shipped + ': ' if shipped else ''}give your pack and its rules their own ids, "
        "tune the other pack's rules with overrides, or screen with --no-builtin)"
    )


def raw_rule_ids(packs: Sequence[_Pack]) -> set[str]:
    """Ids written in the files, including rules left out for schema errors."""
    ids: set[str] = set()
    for pack in packs:
        rules = pack.source.data.get("rules") if isinstance(pack.source.data, dict) else None
        for rule in rules if isinstance(rules, list) else ():
            if isinstance(rule, dict) and isinstance(rule.get("id"), str):
                ids.add(rule["id"])
    return ids


def macro_cycles(uses: Mapping[str, set[str]]) -> list[list[str]]:
    """Each macro cycle once, as the list of names in order."""
    cycles: list[list[str]] = []
    reported: set[frozenset[str]] = set()

    def visit(name: str, stack: list[str]) -> None:
        for used in sorted(uses.get(name, ())):
            if used in stack:
                cycle = stack[stack.index(used) :]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    cycles.append(cycle)
            elif len(stack) < 100:
                visit(used, [*stack, used])

    for name in sorted(uses):
        visit(name, [name])
    return cycles


def ruleset_digest(
    packs: Sequence[_Pack],
    derived: Mapping[str, AttrType],
    registry: CategoryRegistry,
    plugins: Mapping[str, str],
    functions: Sequence[str],
) -> str:
    """A hash of what decides outcomes: packs, categories, derived fields, plugins; not file paths."""
    canonical = {
        "plugins": dict(sorted(plugins.items())),
        "functions": list(functions),
        "packs": [p.spec.model_dump(mode="json") for p in packs],
        "categories": {
            c: {k: str(v) for k, v in sorted(registry.attr_types(c).items())} for c in registry.names
        },
        "derived": {k: str(v) for k, v in sorted(derived.items())},
    }
    blob = json.dumps(canonical, sort_keys=True, ensure_ascii=False, default=str).encode()
    return "sha256:" + hashlib.sha256(blob).hexdigest()
