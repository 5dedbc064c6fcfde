"""The compiler: rule expressions as Python functions, with rule-engine's exact semantics.

:class:`Compiler` implements the :class:`~riskscreen.engine.evaluator.Evaluator`
protocol. It translates the typed syntax tree rule-engine built for an expression (see
:mod:`riskscreen.engine.codegen`) into the body of one Python function, compiled once
at load time. Three rules keep its answers identical to rule-engine's:

- the generated code evaluates in rule-engine's order, so a value the record lacks
  raises :class:`~riskscreen.engine.record.MissingValueError` exactly where it would there;
- it only returns a value when every operation met the types it was written for; any
  other case (and any exception but a missing value) is handed to rule-engine's
  interpreter for the whole expression, which then decides, errors included;
- a node without a translation is evaluated by rule-engine in place, and an expression
  the compiler cannot handle at all gets the interpreter's predicate: loading never
  fails because of the compiler.
"""

from __future__ import annotations

import decimal
import functools
import linecache
import threading
from typing import TYPE_CHECKING, Any

from . import internals
from .evaluator import Interpreter, ParsedExpression, Predicate
from .record import MissingValueError, Record
from .sourcetext import identifier, layout
from .symbols import SymbolTable

if TYPE_CHECKING:
    from .codegen import Translation

__all__ = ["CompiledSource", "Compiler", "register_source", "table_of"]

_TOP = """\
def {name}(record):
    # {title}
{reset}    M = record.memo
    try:
        return {source}
    except MissingValueError:
        raise
    except Exception:
        return _fallback(record)
"""

# A macro that depends on the record alone is evaluated once per record.
_REMEMBERED = """\
def {name}(record):
    # {title}
    M = record.memo
    v = M.get(_key)
    if v is not None:
        return v
    try:
        v = {source}
    except MissingValueError:
        raise
    except Exception:
        v = _fallback(record)
    if v is not None:
        M[_key] = v
    return v
"""

_registered_lock = threading.Lock()


def register_source(filename: str, source: str) -> str:
    """Put generated ``source`` in :mod:`linecache` under ``filename``; the name used is returned.

    Tracebacks, ``inspect.getsource`` and debuggers then show the generated lines. A
    name already holding other source gets a number (``#2``, ``#3``...), so every code
    object keeps its own lines.
    """
    lines = source.splitlines(keepends=True)
    with _registered_lock:
        candidate, number = filename, 1
        while True:
            entry = linecache.cache.get(candidate)
            if entry is None or list(entry)[2:3] == [lines]:
                break
            number += 1
            candidate = f"{filename[:-1]} #{number}>"
        # no modification time: linecache.checkcache leaves the entry alone
        linecache.cache[candidate] = (len(source), None, lines, candidate)
    return candidate


def _filename(title: str) -> str:
    return f"<riskscreen {title}>"


def table_of(context: Any) -> SymbolTable | None:
    """The symbol table resolving a rule-engine context's symbols, when it is ours."""
    resolver = internals.context_resolver(context)
    table = getattr(resolver, "__self__", None)
    if isinstance(table, SymbolTable) and getattr(resolver, "__func__", None) is SymbolTable.resolve:
        return table
    return None


def _nested_fallback(rule: Any, record: Record) -> Any:
    # a macro evaluated inside a rule runs under the rule's decimal context
    with decimal.localcontext(rule.context.decimal_context):
        return rule.statement.evaluate(record)


def _top_fallback(rule: Any, record: Record) -> Any:
    return rule.evaluate(record)


class CompiledSource:
    """The Python a compiled predicate runs, kept for inspection, fusion and caching.

    ``expression`` is the translated expression alone and ``names`` the globals it needs
    (unique in the process, so expressions can be combined into one function); ``reset``
    names the rule-engine context whose regex groups are cleared before it runs, if any.
    ``loaders`` are the record paths it reads itself, ``macro_refs`` the macros it calls
    (as the symbol table's macro mapping and a name, resolved when it runs). ``name`` and
    ``location`` say which rule clause or macro it is and where it is written; ``filename``
    is the name its code is registered under in :mod:`linecache`.
    """

    __slots__ = (
        "code",
        "expression",
        "filename",
        "interpreted",
        "loaders",
        "location",
        "macro_refs",
        "name",
        "names",
        "needs_tree",
        "nested",
        "remembered",
        "reset",
        "rule",
        "source",
        "text",
    )

    def __init__(
        self,
        text: str,
        source: str,
        translation: Translation,
        *,
        nested: bool,
        remembered: bool,
        name: str = "",
        location: str = "",
        filename: str = "",
    ) -> None:
        self.text = text
        self.source = source
        self.name = name
        self.location = location
        self.filename = filename
        self.expression = translation.source
        self.names = translation.names
        self.reset = translation.context_name if translation.regex_groups and not nested else None
        self.nested = nested
        self.remembered = remembered
        self.interpreted = translation.interpreted
        self.loaders = tuple(dict.fromkeys(translation.loaders))
        self.macro_refs = tuple(translation.macro_refs)
        self.needs_tree = translation.needs_tree
        self.code: Any = None
        self.rule: Any = None

    def __repr__(self) -> str:
        return f"CompiledSource({self.text!r}, interpreted={self.interpreted})"

    def __getstate__(self) -> dict[str, Any]:
        # bytecode is stored separately (marshal), by whoever stores the predicate
        return {name: getattr(self, name) for name in self.__slots__ if name != "code"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.name = self.location = self.filename = ""
        for name, value in state.items():
            setattr(self, name, value)
        self.code = None


class Compiler:
    """Compiles parsed expressions to Python functions (see the module documentation).

    ``compiled`` and ``interpreted`` count the expressions handled each way; an
    expression counts as compiled even when some of its nodes are interpreted in place.
    """

    name = "compiler"

    def __init__(self) -> None:
        self.compiled = 0
        self.interpreted = 0
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        # a compiler sent to another process starts its counts afresh
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]

    def compile(self, expression: ParsedExpression, *, nested: bool = False) -> Predicate:
        """A predicate for ``expression``; ``nested`` for macros evaluated inside a rule."""
        try:
            predicate = self._compile(expression, nested)
        except Exception:
            with self._lock:
                self.interpreted += 1
            return Interpreter().compile(expression, nested=nested)
        with self._lock:
            self.compiled += 1
        return predicate

    def _compile(self, expression: ParsedExpression, nested: bool) -> Predicate:
        # imported here: predicates restored from the cache run without the translator and
        # rule-engine's syntax tree classes it brings
        from .codegen import translate

        rule = expression.rule
        context = rule.context
        label = expression.name or ("macro" if nested else "expression")
        translation = translate(
            rule.statement.expression, context, table_of(context), context.default_timezone, identifier(label)
        )
        return build_predicate(
            expression.text, translation, rule, nested, name=expression.name, location=expression.location
        )


def source_of(predicate: Any) -> CompiledSource | None:
    """What a compiled predicate runs, or ``None`` for an interpreted one."""
    found = getattr(predicate, "riskscreen_source", None)
    return found if isinstance(found, CompiledSource) else None


def _function_name(name: str, nested: bool) -> str:
    return identifier(name) if name else ("rule_macro" if nested else "rule_expression")


def _title(name: str, location: str, text: str) -> str:
    """What a generated function says it is: rule clause (or macro), place, or the text."""
    shown = " ".join(text.split())
    title = name or (shown if len(shown) <= 60 else shown[:59] + "…")
    return f"{title} at {location}" if location else title


def build_predicate(
    text: str, translation: Translation, rule: Any, nested: bool, *, name: str = "", location: str = ""
) -> Predicate:
    """Compile the translation into a function; the rule provides the interpreter fallback.

    The function is named after ``name`` (``WELL_001_when``) and its code is registered
    in :mod:`linecache` as ``<riskscreen WELL-001 when at rules/well.yaml:12>``.
    """
    names = dict(translation.names)
    names["MissingValueError"] = MissingValueError
    remembered = nested and translation.pure
    # the rule is only looked into when the interpreter is needed (it may be parsed lazily)
    names["_fallback"] = functools.partial(_nested_fallback if nested else _top_fallback, rule)
    function_name = _function_name(name, nested)
    title = _title(name, location, text)
    if remembered:
        names["_key"] = object()
        body = layout(translation.source, "        ")
        source = _REMEMBERED.format(name=function_name, title=title, source=body)
    else:
        clears_groups = translation.regex_groups and not nested
        reset = (
            f"    {internals.reset_regex_groups_source(translation.context_name)}\n" if clears_groups else ""
        )
        body = layout(translation.source, "        ")
        source = _TOP.format(name=function_name, title=title, reset=reset, source=body)
    filename = register_source(_filename(title), source)
    code = compile(source, filename, "exec")
    exec(code, names)
    function = names[function_name]
    compiled = CompiledSource(
        text,
        source,
        translation,
        nested=nested,
        remembered=remembered,
        name=name,
        location=location,
        filename=filename,
    )
    compiled.code = code
    compiled.rule = rule
    function.riskscreen_source = compiled
    return function  # type: ignore[no-any-return]


def restore_predicate(compiled: CompiledSource, code: Any) -> Predicate:
    """A predicate rebuilt from what :func:`build_predicate` made, without translating again."""
    names = dict(compiled.names)
    names["MissingValueError"] = MissingValueError
    names["_fallback"] = functools.partial(
        _nested_fallback if compiled.nested else _top_fallback, compiled.rule
    )
    if compiled.remembered:
        names["_key"] = object()
    if compiled.filename:
        # the stored code keeps its file name: give it its lines again in this process
        register_source(compiled.filename, compiled.source)
    exec(code, names)
    function = (
        names[code.co_consts[0].co_name]
        if compiled.name
        else names["rule_macro" if compiled.nested else "rule_expression"]
    )
    compiled.code = code
    function.riskscreen_source = compiled
    return function  # type: ignore[no-any-return]
