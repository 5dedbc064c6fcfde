"""Load rule packs: files and folders in, a complete :class:`RuleSet` or every problem out.

The load runs in phases (read and validate every file, merge categories, check ids,
type-check every expression against every category it applies to, apply overrides) and
only builds the rule set when no phase found a problem: nothing is ever half-loaded.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rule_engine
from pydantic import BaseModel, ValidationError
from rule_engine import DataType

from ..durations import parse_duration
from ..engine.analysis import expression_paths, expression_symbols
from ..engine.compiler import Compiler
from ..engine.evaluator import Evaluator, ParsedExpression
from ..engine.nulls import mark_null_handling
from ..engine.regex import RegexProblem, use_linear_time_regexes
from ..engine.symbols import OBJECT_ROOTS, SymbolTable
from ..errors import Problem, RuleLoadError, SourceLocation
from ..models import Severity
from ..templates import template_problems
from .attrtypes import AttrType
from .categories import CategoryRegistry, Declaration, declaration_of
from .diagnose import describe_engine_error
from .discovery import MAX_PACK_BYTES, discover_pack_files, discover_packs, display_path, pack_copies
from .ruleset import CompiledRule, PackInfo, RuleSet
from .schema import DEFAULT_SCORES, OverrideSpec, PackSpec, RuleSpec
from .schema_errors import drop_invalid, schema_problem, suggest
from .yamlsrc import Path as YPath
from .yamlsrc import SourceMap, load_yaml

__all__ = ["discover_pack_files", "discover_packs", "display_path", "load_ruleset", "pack_copies"]

_BASE_SYMBOLS = frozenset(
    {"id", "kind", "category", "reported_at", "occurred_at", "description", "status"} | OBJECT_ROOTS
)
_READ_ROOTS = _BASE_SYMBOLS


@dataclass
class _Pack:
    spec: PackSpec
    source: SourceMap
    path: str
    tables: dict[str, SymbolTable] = field(default_factory=dict)
    macros: dict[str, ParsedExpression] = field(default_factory=dict)
    macro_paths: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rule_index: list[int] = field(default_factory=list)
    override_index: list[int] = field(default_factory=list)


@dataclass
class _Loader:
    derived: Mapping[str, AttrType]
    evaluator: Evaluator
    timezone: Any
    functions: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    registry: CategoryRegistry = field(default_factory=CategoryRegistry)

    def problem(self, pack: _Pack, where: YPath, message: str, code: str, *, key: bool = False) -> None:
        src = pack.source
        location = src.key_location(where) if key else src.location(where)
        self.problems.append(Problem(location, message, code))

    # -- phase 1: files -------------------------------------------------------------

    def read(self, path: Path) -> _Pack | None:
        shown = display_path(path)
        try:
            if path.stat().st_size > MAX_PACK_BYTES:
                self.problems.append(
                    Problem(SourceLocation(shown), f"file is larger than {MAX_PACK_BYTES} bytes", "RS105")
                )
                return None
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(Problem(SourceLocation(shown), f"cannot read file: {exc}", "RS104"))
            return None
        document, problems = load_yaml(text, shown)
        self.problems.extend(problems)
        if document is None:
            return None
        if not isinstance(document.data, dict):
            self.problems.append(
                Problem(
                    SourceLocation(shown, 1, 1), "a rule pack must be a mapping with a 'pack' key", "RS106"
                )
            )
            return None
        kept: dict[str, list[int]] = {}
        spec = self.validate(document.data, document.source, kept)
        if spec is None:
            return None
        return _Pack(
            spec,
            document.source,
            shown,
            rule_index=kept.get("rules", list(range(len(spec.rules)))),
            override_index=kept.get("overrides", list(range(len(spec.overrides)))),
        )

    def validate(
        self, data: dict[Any, Any], source: SourceMap, kept: dict[str, list[int]]
    ) -> PackSpec | None:
        """The pack's spec; parts that fail validation are reported and left out.

        Leaving out only the bad parts lets the later phases check the rest, so one
        misspelt key does not hide every expression error behind it.
        """
        data = copy.deepcopy(data)
        for _ in range(3):
            try:
                return PackSpec.model_validate(data)
            except ValidationError as exc:
                errors = exc.errors()
            for error in errors:
                self.problems.append(schema_problem(source, error))
            if not drop_invalid(data, errors, kept):
                return None
        return None

    # -- phase 2: categories and ids ------------------------------------------------

    def declare_categories(
        self, packs: Sequence[_Pack], plugin_declarations: Iterable[tuple[str, str, Declaration]]
    ) -> None:
        for category, name, declaration in plugin_declarations:
            earlier = self.registry.declare(category, name, declaration)
            if earlier is not None:
                self.problems.append(
                    Problem(
                        SourceLocation(declaration.source),
                        f"attribute {category}.attrs.{name} declared as {declaration.type} here "
                        f"and as {earlier.type} in {earlier.source}",
                        "RS301",
                    )
                )
        for pack in packs:
            for category, spec in pack.spec.categories.items():
                self.registry.add_category(category)
                if spec.description:
                    self.registry.titles.setdefault(category, spec.description)
                for name, declared in spec.attrs.items():
                    where = ("categories", category, "attrs", name)
                    declaration = declaration_of(declared, str(pack.source.location(where)))
                    earlier = self.registry.declare(category, name, declaration)
                    if earlier is not None:
                        self.problem(
                            pack,
                            where,
                            f"attribute {category}.attrs.{name} declared as {declaration.type} here "
                            f"and as {earlier.type} in {earlier.source}",
                            "RS301",
                        )

    def check_ids(self, packs: Sequence[_Pack]) -> None:
        # by pack object, not by the shown location: two files may be shown alike
        pack_ids: dict[str, _Pack] = {}
        rule_ids: dict[str, tuple[_Pack, str]] = {}
        for pack in packs:
            owner = pack_ids.setdefault(pack.spec.pack, pack)
            if owner is not pack:
                self.problem(
                    pack,
                    ("pack",),
                    f"pack id {pack.spec.pack!r} is already used in {owner.source.location(('pack',))}"
                    f"{_shipped_note(owner)}",
                    "RS302",
                )
            for i, rule in zip(pack.rule_index, pack.spec.rules, strict=True):
                here = str(pack.source.location(("rules", i, "id")))
                first, where = rule_ids.setdefault(rule.id, (pack, here))
                if first is not pack or where != here:
                    self.problem(
                        pack,
                        ("rules", i, "id"),
                        f"rule id {rule.id!r} is already used in {where}{_shipped_note(first, advice=False)}",
                        "RS303",
                    )
            if pack.spec.applies_to is not None and not pack.spec.applies_to:
                self.problem(
                    pack, ("applies_to",), "applies_to is empty: name categories, or omit it", "RS304"
                )
            for i, category in enumerate(pack.spec.applies_to or ()):
                if category not in self.registry.attrs:
                    self.problem(
                        pack,
                        ("applies_to", i),
                        f"unknown category {category!r}{suggest(category, self.registry.names)}; "
                        "declare it under 'categories' or fix the name",
                        "RS305",
                    )

    # -- phase 3: expressions -------------------------------------------------------

    def build_tables(self, pack: _Pack) -> None:
        spec = pack.spec
        for name in [*spec.lists, *spec.macros]:
            if name in _BASE_SYMBOLS:
                where: YPath = ("lists", name) if name in spec.lists else ("macros", name)
                self.problem(
                    pack, where, f"{name!r} is an observation field; choose another name", "RS306", key=True
                )
        for name in spec.lists:
            if name in spec.macros:
                self.problem(
                    pack, ("macros", name), f"{name!r} is both a list and a macro", "RS306", key=True
                )
        lists = {name: tuple(values) for name, values in spec.lists.items()}
        targets = [c for c in spec.applies_to or () if c in self.registry.attrs] if spec.applies_to else ["*"]
        for category in targets:
            attrs = (
                self.registry.shared_attr_types() if category == "*" else self.registry.attr_types(category)
            )
            pack.tables[category] = SymbolTable(
                category=category,
                attrs=attrs,
                derived=self.derived,
                lists=lists,
                macro_names=tuple(spec.macros),
                timezone=self.timezone,
                functions=self.functions,
            )

    def parse(self, pack: _Pack, where: YPath, text: str) -> ParsedExpression | None:
        """Parse ``text`` in every table of the pack; report each distinct problem once."""
        first: ParsedExpression | None = None
        seen: dict[tuple[int, str], list[str]] = {}
        failures: list[tuple[int, str, str]] = []
        for category, table in pack.tables.items():
            offset, message, code = 0, "", ""
            try:
                rule = rule_engine.Rule(text, context=table.context)
                result_type = rule.statement.expression.result_type
                if result_type not in (DataType.BOOLEAN, DataType.UNDEFINED):
                    offset, code = 0, "RS204"
                    message = (
                        f"expression must be true or false, but it gives a {result_type.name.lower()} value"
                    )
                use_linear_time_regexes(rule.statement)
                mark_null_handling(rule.statement, table.plain_names)
            except RegexProblem as exc:
                offset = max(0, min((i for i in (text.find("=~"), text.find("!~")) if i >= 0), default=0))
                message, code = str(exc), "RS206"
            except rule_engine.errors.RuleSyntaxError as exc:
                token = exc.token
                offset = len(text.rstrip()) if token is None else int(token.lexpos)
                shown = "end of expression" if token is None else repr(str(token.value))
                message, code = f"syntax error at {shown}", "RS201"
            except rule_engine.errors.SymbolResolutionError as exc:
                offset = _find_word(text, exc.symbol_name)
                message, code = f"unknown symbol {exc.symbol_name!r}{_hint(exc.suggestion)}", "RS202"
            except rule_engine.errors.AttributeResolutionError as exc:
                offset = _find_word(text, exc.attribute_name, dotted=True)
                message, code = f"unknown attribute {exc.attribute_name!r}{_hint(exc.suggestion)}", "RS203"
            except rule_engine.errors.EngineError as exc:
                message, code = _engine_message(exc), "RS205"
                described = describe_engine_error(text, table.context, exc)
                if described is not None:
                    offset, message = described
            except (RecursionError, ValueError, TypeError) as exc:
                message, code = f"cannot parse expression: {exc}", "RS205"
            if not message:
                if first is None:
                    paths = tuple(expression_paths(rule.statement, _READ_ROOTS))
                    name, location = _expression_origin(pack, where)
                    first = ParsedExpression(text, rule, paths, name, location)
                continue
            key = (offset, message)
            if key not in seen:
                seen[key] = []
                failures.append((offset, message, code))
            seen[key].append(category)
        for offset, message, code in failures:
            categories = seen[(offset, message)]
            suffix = ""
            if len(pack.tables) > len(categories) and "*" not in categories:
                suffix = f" (category {', '.join(categories)})"
            self.problems.append(Problem(pack.source.offset_location(where, offset), message + suffix, code))
        return first if not failures else None

    def parse_macros(self, pack: _Pack) -> None:
        macros = pack.spec.macros
        uses: dict[str, set[str]] = {}
        for name, text in macros.items():
            parsed = self.parse(pack, ("macros", name), text)
            if parsed is not None:
                pack.macros[name] = parsed
                uses[name] = expression_symbols(parsed.rule.statement) & set(macros)
        for cycle in _cycles(uses):
            self.problem(
                pack,
                ("macros", cycle[0]),
                "macro cycle: " + " -> ".join([*cycle, cycle[0]]),
                "RS307",
                key=True,
            )
            for name in cycle:
                pack.macros.pop(name, None)
        for name in pack.macros:
            pack.macro_paths[name] = _closure_paths(name, pack.macros, uses)

    def reads(self, pack: _Pack, *expressions: ParsedExpression | None) -> tuple[str, ...]:
        paths: list[str] = []
        for expression in expressions:
            if expression is None:
                continue
            paths.extend(expression.paths)
            for name in sorted(expression_symbols(expression.rule.statement) & set(pack.macros)):
                paths.extend(pack.macro_paths.get(name, ()))
        return tuple(dict.fromkeys(paths))

    # -- phase 4: rules and overrides -----------------------------------------------

    def compile_rules(
        self, pack: _Pack, overrides: Mapping[str, list[tuple[OverrideSpec, str, str]]]
    ) -> list[CompiledRule]:
        compiled: list[CompiledRule] = []
        for i, rule in zip(pack.rule_index, pack.spec.rules, strict=True):
            when = self.parse(pack, ("rules", i, "when"), rule.when)
            unless = self.parse(pack, ("rules", i, "unless"), rule.unless) if rule.unless else None
            if rule.message:
                self.check_message(pack, ("rules", i, "message"), rule.message)
            if when is None or (rule.unless and unless is None):
                continue
            line = pack.source.location(("rules", i)).line
            compiled.append(
                self._compiled(pack, rule, when, unless, f"{pack.path}:{line}", overrides.get(rule.id, []))
            )
        return compiled

    def check_message(self, pack: _Pack, where: YPath, template: str) -> None:
        """Placeholders naming no field of the pack's categories, or with a bad spec: load errors."""
        categories = pack.spec.applies_to or self.registry.names
        attrs = {name for c in categories for name in self.registry.attr_types(c)}
        for offset, text in template_problems(template, attrs, self.derived):
            self.problems.append(Problem(pack.source.offset_location(where, offset), text, "RS207"))

    def _compiled(
        self,
        pack: _Pack,
        rule: RuleSpec,
        when: ParsedExpression,
        unless: ParsedExpression | None,
        source: str,
        overrides: list[tuple[OverrideSpec, str, str]],
    ) -> CompiledRule:
        fields: dict[str, Any] = {
            name: getattr(rule, name) for name in OverrideSpec.model_fields if name != "id"
        }
        for override, _, _ in overrides:
            fields.update({k: getattr(override, k) for k in override.model_fields_set if k != "id"})
        severity: Severity = fields["severity"] or "medium"
        score = fields["score"] if fields["score"] is not None else DEFAULT_SCORES[severity]
        respond_text = fields["respond_within"]
        return CompiledRule(
            id=rule.id,
            pack=pack.spec.pack,
            title=fields["title"],
            severity=severity,
            score=float(score),
            message=fields["message"] or fields["title"],
            action=fields["action"],
            escalate_to=fields["escalate_to"] or "village",
            respond_within=parse_duration(respond_text) if respond_text else None,
            respond_within_text=respond_text,
            tags=tuple(fields["tags"] or ()),
            references=tuple(r.text for r in fields["references"] or ()),
            enabled=fields["enabled"] if fields["enabled"] is not None else True,
            valid_from=fields["valid_from"],
            valid_until=fields["valid_until"],
            jurisdiction=tuple(
                (level, frozenset(names)) for level, names in sorted((fields["jurisdiction"] or {}).items())
            ),
            source=source,
            categories=frozenset(pack.spec.applies_to) if pack.spec.applies_to else None,
            when=when,
            unless=unless,
            when_predicate=self.evaluator.compile(when),
            unless_predicate=self.evaluator.compile(unless) if unless else None,
            reads=self.reads(pack, when, unless),
            description=fields["description"],
            overridden_by=tuple(where for _, where, _ in overrides),
            override_packs=tuple(dict.fromkeys(pack_id for _, _, pack_id in overrides)),
            macros=pack.macros,
        )


def _expression_origin(pack: _Pack, where: YPath) -> tuple[str, str]:
    """What an expression is (``WELL-001 when``, ``macro unpermitted``) and its ``file:line``."""
    found = pack.source.location(where)
    location = f"{found.path}:{found.line}" if found.line > 0 else found.path
    if where[0] == "rules" and isinstance(where[1], int):
        return f"{pack.spec.rules[where[1]].id} {where[-1]}", location
    if where[0] == "macros":
        return f"{pack.spec.pack} macro {where[-1]}", location
    return " ".join(str(part) for part in where), location


def _shipped_note(pack: _Pack, *, advice: bool = True) -> str:
    """What to do about a clash with an earlier pack, the usual cause being a copy of a shipped one."""
    shipped = "shipped with riskscreen" if pack.path.startswith("rules/") else ""
    if not advice:
        return f" ({shipped})" if shipped else ""
    return (
        f" ({shipped + ': ' if shipped else ''}give your pack and its rules their own ids, "
        "tune the other pack's rules with overrides, or screen with --no-builtin)"
    )


def _raw_rule_ids(packs: Sequence[_Pack]) -> set[str]:
    """Ids written in the files, including rules left out for schema errors."""
    ids: set[str] = set()
    for pack in packs:
        rules = pack.source.data.get("rules") if isinstance(pack.source.data, dict) else None
        for rule in rules if isinstance(rules, list) else ():
            if isinstance(rule, dict) and isinstance(rule.get("id"), str):
                ids.add(rule["id"])
    return ids


def _engine_message(exc: Any) -> str:
    text = str(getattr(exc, "message", "") or type(exc).__name__)
    if text == "data type mismatch":
        return (
            "type mismatch: the expression compares or combines values of different types "
            "(e.g. a number with a string); check the declared attribute types"
        )
    return text


def _hint(suggestion: str | None) -> str:
    return f"; did you mean {suggestion!r}?" if suggestion else ""


def _find_word(text: str, word: str, *, dotted: bool = False) -> int:
    pattern = (r"\.\s*" if dotted else r"(?<![\w.])") + re.escape(word) + r"(?!\w)"
    match = re.search(pattern, text)
    if match is None:
        return 0
    return match.end() - len(word)


def _cycles(uses: Mapping[str, set[str]]) -> list[list[str]]:
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


def _closure_paths(
    name: str, macros: Mapping[str, ParsedExpression], uses: Mapping[str, set[str]]
) -> tuple[str, ...]:
    paths: list[str] = []
    todo, done = [name], set()
    while todo:
        current = todo.pop(0)
        if current in done or current not in macros:
            continue
        done.add(current)
        paths.extend(macros[current].paths)
        todo.extend(sorted(uses.get(current, ())))
    return tuple(dict.fromkeys(paths))


def load_ruleset(
    paths: Iterable[str | os.PathLike[str]],
    *,
    timezone: Any,
    derived: Mapping[str, AttrType],
    evaluator: Evaluator | None = None,
    plugin_declarations: Iterable[tuple[str, str, Declaration]] = (),
    plugin_models: Mapping[str, type[BaseModel]] | None = None,
    functions: Mapping[str, tuple[Any, Any]] | None = None,
    plugins: Mapping[str, str] | None = None,
    problems: Iterable[Problem] = (),
) -> RuleSet:
    """Load every pack under ``paths`` into one :class:`RuleSet`, or raise :class:`RuleLoadError`.

    Expressions are compiled by ``evaluator`` (default: the
    :class:`~riskscreen.engine.compiler.Compiler`).

    ``derived`` types the ``derived.*`` fields; ``plugin_declarations`` are
    ``(category, attribute, declaration)`` triples registered by plugins, and
    ``plugin_models`` their category models (used to validate records); ``functions``
    maps names callable from rules to ``(callable, rule-engine type)``; ``plugins``
    (name -> version) enters the rule-set hash; ``problems`` found before loading (by the
    plugin host) are reported together with the loader's own.
    """
    loader = _Loader(
        derived=derived,
        evaluator=evaluator or Compiler(),
        timezone=timezone,
        functions=dict(functions or {}),
    )
    loader.problems.extend(problems)
    loader.registry.models.update(plugin_models or {})
    files, problems, copies = discover_packs(paths)
    loader.problems.extend(problems)
    packs = [p for p in (loader.read(f) for f in files) if p is not None]
    loader.declare_categories(packs, plugin_declarations)
    loader.check_ids(packs)
    known_ids = {r.id for p in packs for r in p.spec.rules} | _raw_rule_ids(packs)
    overrides: dict[str, list[tuple[OverrideSpec, str, str]]] = {}
    for pack in packs:
        for i, override in zip(pack.override_index, pack.spec.overrides, strict=True):
            where = str(pack.source.location(("overrides", i)))
            if override.id not in known_ids:
                loader.problem(
                    pack,
                    ("overrides", i, "id"),
                    f"override names unknown rule {override.id!r}{suggest(override.id, known_ids)}",
                    "RS308",
                )
            overrides.setdefault(override.id, []).append((override, where, pack.spec.pack))
    rules: list[CompiledRule] = []
    for pack in packs:
        loader.build_tables(pack)
        if not pack.tables:
            continue
        loader.parse_macros(pack)
        rules.extend(loader.compile_rules(pack, overrides))
        runtime = next(iter(pack.tables.values()))
        for name, parsed in pack.macros.items():
            runtime.macros[name] = loader.evaluator.compile(parsed, nested=True)
    if loader.problems:
        raise RuleLoadError(loader.problems)
    infos = tuple(
        PackInfo(
            p.spec.pack,
            p.spec.version,
            p.spec.title,
            p.path,
            tuple(p.spec.applies_to) if p.spec.applies_to else None,
        )
        for p in packs
    )
    return RuleSet(
        packs=infos,
        rules=tuple(rules),
        registry=loader.registry,
        derived=dict(derived),
        digest=_digest(packs, derived, loader.registry, plugins or {}, sorted(functions or {})),
        copies=tuple((display_path(c), display_path(o)) for c, o in copies),
    )


def _digest(
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
