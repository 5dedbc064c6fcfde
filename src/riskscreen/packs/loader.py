"""Load rule packs: files and folders in, a complete :class:`RuleSet` or every problem out.

The load runs in phases (read and validate every file, merge categories, check ids,
type-check every expression against every category it applies to, apply overrides) and
only builds the rule set when no phase found a problem: nothing is ever half-loaded.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Mapping
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
from ..engine.regex import UnsafeRegexError, use_linear_time_regexes
from ..engine.settling import compile_settling
from ..engine.symbols import READ_ROOTS, SymbolTable
from ..errors import Problem, RuleLoadError, SourceLocation
from ..models import Severity
from ..templates import template_problems
from . import problem_codes as codes
from .attrtypes import AttrType
from .categories import CategoryRegistry, Declaration
from .discovery import MAX_PACK_BYTES, discover_pack_files, discover_packs, display_path, pack_copies
from .expression_errors import expression_problem
from .ruleset import CompiledRule, PackInfo, RuleSet
from .schema import DEFAULT_SCORES, OverrideSpec, PackSpec, RuleSpec
from .schema_errors import drop_invalid, schema_problem, suggest
from .setchecks import check_ids, declare_categories, macro_cycles, raw_rule_ids, ruleset_digest
from .yamlsrc import Path as YPath
from .yamlsrc import SourceMap, load_yaml

__all__ = ["discover_pack_files", "discover_packs", "display_path", "load_ruleset", "pack_copies"]


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
                    Problem(
                        SourceLocation(shown),
                        f"file is larger than {MAX_PACK_BYTES} bytes",
                        codes.FILE_TOO_LARGE,
                    )
                )
                return None
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(
                Problem(SourceLocation(shown), f"cannot read file: {exc}", codes.FILE_UNREADABLE)
            )
            return None
        document, problems = load_yaml(text, shown)
        self.problems.extend(problems)
        if document is None:
            return None
        if not isinstance(document.data, dict):
            self.problems.append(
                Problem(
                    SourceLocation(shown, 1, 1),
                    "a rule pack must be a mapping with a 'pack' key",
                    codes.NOT_A_PACK,
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

    # -- phase 3: expressions -------------------------------------------------------

    def build_tables(self, pack: _Pack) -> None:
        spec = pack.spec
        for name in [*spec.lists, *spec.macros]:
            if name in READ_ROOTS:
                where: YPath = ("lists", name) if name in spec.lists else ("macros", name)
                self.problem(
                    pack,
                    where,
                    f"{name!r} is an observation field; choose another name",
                    codes.NAME_CLASH,
                    key=True,
                )
        for name in spec.lists:
            if name in spec.macros:
                self.problem(
                    pack, ("macros", name), f"{name!r} is both a list and a macro", codes.NAME_CLASH, key=True
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
                    offset, code = 0, codes.NOT_TRUE_OR_FALSE
                    message = (
                        f"expression must be true or false, but it gives a {result_type.name.lower()} value"
                    )
                use_linear_time_regexes(rule.statement)
                mark_null_handling(rule.statement, table.plain_names)
            except (
                UnsafeRegexError,
                rule_engine.errors.EngineError,
                RecursionError,
                ValueError,
                TypeError,
            ) as exc:
                found = expression_problem(text, table.context, exc)
                if found is None:
                    raise
                offset, message, code = found
            if not message:
                if first is None:
                    paths = tuple(expression_paths(rule.statement, READ_ROOTS))
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
        for cycle in macro_cycles(uses):
            self.problem(
                pack,
                ("macros", cycle[0]),
                "macro cycle: " + " -> ".join([*cycle, cycle[0]]),
                codes.MACRO_CYCLE,
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
            self.problems.append(
                Problem(pack.source.offset_location(where, offset), text, codes.MESSAGE_TEMPLATE)
            )

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
        compiled = isinstance(self.evaluator, Compiler)
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
            # with the compiler, settling an undecided rule runs generated code too
            settling=compile_settling(rule.id, source, when, unless, pack.macros) if compiled else None,
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
    declare_categories(loader, packs, plugin_declarations)
    check_ids(loader, packs)
    known_ids = {r.id for p in packs for r in p.spec.rules} | raw_rule_ids(packs)
    overrides: dict[str, list[tuple[OverrideSpec, str, str]]] = {}
    for pack in packs:
        for i, override in zip(pack.override_index, pack.spec.overrides, strict=True):
            where = str(pack.source.location(("overrides", i)))
            if override.id not in known_ids:
                loader.problem(
                    pack,
                    ("overrides", i, "id"),
                    f"override names unknown rule {override.id!r}{suggest(override.id, known_ids)}",
                    codes.UNKNOWN_OVERRIDE,
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
        digest=ruleset_digest(packs, derived, loader.registry, plugins or {}, sorted(functions or {})),
        copies=tuple((display_path(c), display_path(o)) for c, o in copies),
    )
