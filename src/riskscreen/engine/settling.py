"""Settling undecided rules with generated code: :mod:`~riskscreen.engine.kleene`'s reading, compiled.

A rule that read a missing value may still be certain not to fire (``a and false``);
:func:`~riskscreen.engine.kleene.cannot_fire` finds out by walking rule-engine's trees,
tens of microseconds a rule, and a rule set read from the cache would have to parse its
rules (importing rule-engine's parser) the first time one is undecided. This module
writes the same reading, when a rule is loaded, as one Python function per rule: the
and/or skeleton of ``when`` and ``unless`` (macros inlined, see :func:`kleene.plan
<riskscreen.engine.kleene.plan>`) becomes statements over three values (``True``,
``False`` and ``None`` for unknown), and each clause becomes the compiler's translation
of it (:mod:`~riskscreen.engine.codegen`). The function is kept with the rule
(:attr:`CompiledRule.settling <riskscreen.packs.ruleset.CompiledRule.settling>`) and
stored in the rule-set cache as bytecode, like compiled predicates.

The answers are kleene's whatever the compiler makes of a clause:

- a clause that needs a path the record lacks is unknown before anything is evaluated;
- a clause the compiler cannot translate, or whose code meets a case it leaves to the
  interpreter, is evaluated by rule-engine (:class:`ClauseReading`) as kleene evaluates it;
- a rule whose reading cannot be generated at all keeps kleene's interpreted reading.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Mapping
from types import CodeType
from typing import Any

from . import internals, kleene
from .compiler import register_source, table_of
from .evaluator import ParsedExpression
from .record import MissingValueError, Record
from .sourcetext import identifier, layout

__all__ = [
    "ClauseReading",
    "Settling",
    "SettlingSource",
    "compile_settling",
    "never_settled",
    "restore_settling",
    "source_of",
]

#: Whether a rule that read a missing value is certain not to fire on the record.
Settling = Callable[[Record], bool]


def never_settled(record: Record) -> bool:
    """The reading of a rule with no ``and`` / ``or`` in ``when`` and no ``unless``: nothing settles it."""
    return False


class ClauseReading:
    """One clause evaluated by rule-engine as kleene evaluates it: ``True``, ``False`` or ``None``.

    The clause is found again in ``rule``'s tree by ``steps``, so a rule read back from
    the cache is parsed only when a clause actually needs the interpreter. ``top`` is the
    rule whose condition is settled: clauses evaluate under its decimal context.
    """

    __slots__ = ("_node", "rule", "steps", "top")

    def __init__(self, top: Any, rule: Any, steps: tuple[str, ...]) -> None:
        self.top = top
        self.rule = rule
        self.steps = steps
        self._node: Any = None

    def __reduce__(self) -> tuple[Any, ...]:
        return (ClauseReading, (self.top, self.rule, self.steps))

    def __repr__(self) -> str:
        return f"ClauseReading({self.rule.text!r}, {'.'.join(self.steps) or 'whole'})"

    def __call__(self, record: Record) -> bool | None:
        node = self._node
        if node is None:
            node = self.rule.statement.expression
            for step in self.steps:
                node = getattr(node, step)
            self._node = node
        try:
            with decimal.localcontext(self.top.context.decimal_context):
                return bool(node.evaluate(record))
        except MissingValueError:
            return None
        except Exception:  # a clause that fails otherwise settles nothing (as kleene reads it)
            return None


class SettlingSource:
    """The Python a generated settling function runs, kept for inspection and the cache.

    ``names`` are the globals it needs (picklable: values, path loaders, contexts, the
    macros' predicates, :class:`ClauseReading` objects), ``function`` its name and
    ``filename`` the name its lines are registered under in :mod:`linecache`.
    """

    __slots__ = ("code", "filename", "function", "names", "source")

    def __init__(self, source: str, names: dict[str, Any], function: str, filename: str) -> None:
        self.source = source
        self.names = names
        self.function = function
        self.filename = filename
        self.code: Any = None

    def __repr__(self) -> str:
        return f"SettlingSource({self.function})"

    def __getstate__(self) -> dict[str, Any]:
        # bytecode is stored separately (marshal), by whoever stores the function
        return {name: getattr(self, name) for name in self.__slots__ if name != "code"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, value)
        self.code = None


def source_of(settling: Any) -> SettlingSource | None:
    """What a generated settling function runs, or ``None`` for any other callable."""
    found = getattr(settling, "riskscreen_settling", None)
    return found if isinstance(found, SettlingSource) else None


class _Writer:
    """Writes one rule's settling function, statement by statement."""

    def __init__(self, rule_id: str) -> None:
        self.rule_id = rule_id
        self.lines: list[str] = []
        self.names: dict[str, Any] = {"MissingValueError": MissingValueError, "_missing": Record.is_missing}
        self.clauses = 0
        self.variables = 0

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    def bind(self, name: str, value: Any) -> str:
        present = self.names.setdefault(name, value)
        if present is not value:
            raise ValueError(f"{self.rule_id}: the name {name} is bound to two values")
        return name

    def condition(
        self, label: str, expression: ParsedExpression, macros: Mapping[str, ParsedExpression]
    ) -> str:
        """Statements giving ``expression``'s three-valued reading; the variable holding it."""
        shown = " ".join(expression.text.split())
        self.emit(1, f"# {label}: {shown}")
        context = expression.rule.context
        if "re_groups" in context.symbols:
            # kleene starts each condition afresh: forget a match made before (see internals)
            name = self.bind(f"{label}_context", context)
            self.emit(1, internals.reset_regex_groups_source(name))
        # not kept by kleene: its caches would hold every rule set ever loaded in the process
        return self.step(kleene.plan(expression, macros, keep=False), 1, label, expression.rule)

    def variable(self, label: str) -> str:
        self.variables += 1
        return f"{label}_{self.variables}"

    def step(self, plan: kleene.Plan, depth: int, label: str, top: Any) -> str:
        kind = plan[0]
        if kind is kleene.AND:
            # false and anything is false; true and x is x; unknown and true stays unknown
            left = self.step(plan[1], depth, label, top)
            self.emit(depth, f"if {left} is not False:")
            right = self.step(plan[2], depth + 1, label, top)
            self.emit(depth + 1, f"if {right} is not True:")
            self.emit(depth + 2, f"{left} = {right}")
            return left
        if kind is kleene.OR:
            # true or anything is true; false or x is x; unknown or x stays unknown (a rule
            # never fires on a value the report lacks)
            left = self.step(plan[1], depth, label, top)
            self.emit(depth, f"if {left} is not True:")
            right = self.step(plan[2], depth + 1, label, top)
            self.emit(depth + 1, f"if {left} is False:")
            self.emit(depth + 2, f"{left} = {right}")
            return left
        return self.clause(plan, depth, label, top)

    def clause(self, plan: kleene.Plan, depth: int, label: str, top: Any) -> str:
        from ..exprtext import node_text  # writing a rule's code, never when it is restored

        _, node, needed, rule, steps, via = plan
        self.clauses += 1
        target = self.variable(label)
        prefix = identifier(f"{self.rule_id} {label} clause {self.clauses}")
        reading = self.bind(f"{prefix}_read", ClauseReading(top, rule, steps))
        expression = self.translate(node, rule, prefix)
        through = f"  (in macro {' > '.join(via)})" if via else ""
        self.emit(depth, f"# {' '.join(node_text(node).split())}{through}")
        if needed:
            # kleene's order: a clause lacking a value is unknown before it is evaluated
            lacking = " or ".join(f"_missing(record, {path!r})" for path in needed)
            self.emit(depth, f"if {lacking}:")
            self.emit(depth + 1, f"{target} = None")
            self.emit(depth, "else:")
            depth += 1
        if expression is None:
            self.emit(depth, f"{target} = {reading}(record)  # left to rule-engine")
            return target
        self.emit(depth, "try:")
        self.emit(depth + 1, f"{target} = bool({layout(expression, '    ' * (depth + 2))})")
        self.emit(depth, "except MissingValueError:")
        self.emit(depth + 1, f"{target} = None")
        self.emit(depth, "except Exception:  # a case the compiled code leaves to rule-engine")
        self.emit(depth + 1, f"{target} = {reading}(record)")
        return target

    def translate(self, node: Any, rule: Any, prefix: str) -> str | None:
        """The clause as generated Python, or ``None`` when only rule-engine's tree can say."""
        # imported here: code restored from the cache runs without the translator and
        # rule-engine's syntax tree classes it brings
        from .codegen import Translation

        context = rule.context
        translation = Translation(context, table_of(context), context.default_timezone, prefix)
        source = translation.expression(node, True)
        if translation.needs_tree:
            # code holding tree nodes cannot be stored without the tree: the clause's
            # reading parses the rule instead, and only if it is ever needed
            return None
        for name, value in translation.names.items():
            self.bind(name, value)
        return source


def compile_settling(
    rule_id: str,
    location: str,
    when: ParsedExpression,
    unless: ParsedExpression | None,
    macros: Mapping[str, ParsedExpression],
) -> Settling | None:
    """The rule's :func:`kleene.cannot_fire <riskscreen.engine.kleene.cannot_fire>` as a function.

    ``None`` when it cannot be generated: the rule then keeps kleene's interpreted reading.
    """
    try:
        return _compile(rule_id, location, when, unless, macros)
    except Exception:  # never let settling stop loading: kleene reads the rule instead
        return None


def _compile(
    rule_id: str,
    location: str,
    when: ParsedExpression,
    unless: ParsedExpression | None,
    macros: Mapping[str, ParsedExpression],
) -> Settling:
    settles_when = kleene.branches(when, macros, keep=False)
    if not settles_when and unless is None:
        return never_settled
    writer = _Writer(rule_id)
    function = identifier(f"{rule_id} cannot fire")
    title = f"{rule_id} settling at {location}" if location else f"{rule_id} settling"
    if settles_when:
        decided = writer.condition("when", when, macros)
        writer.emit(1, f"if {decided} is False:")
        writer.emit(2, "return True  # the rule cannot hold")
    if unless is not None:
        excepted = writer.condition("unless", unless, macros)
        writer.emit(1, f"return {excepted} is True  # the exception holds")
    else:
        writer.emit(1, "return False")
    header = [
        f"def {function}(record):",
        f"    # {title}: certain not to fire whatever the values it lacks? (engine.kleene)",
        "    M = record.memo",
    ]
    source = "\n".join(header + writer.lines) + "\n"
    filename = register_source(f"<riskscreen {title}>", source)
    code = compile(source, filename, "exec")
    # only the globals the code reads are kept: translations bind helpers they may not use,
    # and everything kept is stored in the rule-set cache and read back on every start
    used = _global_names(code)
    names = {name: value for name, value in writer.names.items() if name in used}
    return _bind(SettlingSource(source, names, function, filename), code)


def _global_names(code: Any) -> set[str]:
    """Every name ``code`` and the code nested in it may look up (a superset of its globals)."""
    names: set[str] = set()
    todo = [code]
    while todo:
        current = todo.pop()
        names.update(current.co_names)
        todo.extend(c for c in current.co_consts if isinstance(c, CodeType))
    return names


def _bind(settling: SettlingSource, code: Any) -> Settling:
    names = dict(settling.names)
    exec(code, names)
    function = names[settling.function]
    settling.code = code
    function.riskscreen_settling = settling
    return function  # type: ignore[no-any-return]


def restore_settling(settling: SettlingSource, code: Any) -> Settling:
    """A settling function rebuilt from what :func:`compile_settling` made, from its bytecode."""
    if settling.filename:
        # the stored code keeps its file name: give it its lines again in this process
        register_source(settling.filename, settling.source)
    return _bind(settling, code)
