"""A content-keyed cache of loaded rule sets, shared safely between processes.

Loading reads YAML, validates every pack, type-checks every expression against every
category it applies to and compiles it: a second or more for a thousand rules. The
result only depends on what was loaded, so :func:`load_cached` keeps it on disk, keyed
by a SHA-256 of everything that decides it: the bytes and shown paths of every pack
file, the plugins' declarations, models, functions and versions, the timezone, the
riskscreen, pydantic and Python versions, and riskscreen's and rule-engine's source code.
Any change gives another key.

Entries are pickles written to a temporary file and renamed into place, so a reader
never sees half an entry and processes may share the directory. The compiled rules are
stored as bytecode, and so are the functions that settle undecided rules
(:mod:`~riskscreen.engine.settling`); rule-engine's syntax trees are not stored but parsed
again only when something asks for one (an explanation, an expression the compiler left
to the interpreter). Unreadable, foreign or stale entries are ignored, and a rule set that
cannot be stored is simply not cached: the cache never changes what is loaded.

The directory is ``$RISKSCREEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/riskscreen``, else
``~/.cache/riskscreen``; ``RISKSCREEN_CACHE=off`` turns the cache off. Entries are only
read from a directory owned by the current user and not writable by others.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import marshal
import os
import pickle
import platform
import sys
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pydantic
import rule_engine
from rule_engine.types import DataType

from .._version import __version__
from ..cachedir import CACHE_DIR_ENV, CACHE_ENV, cache_dir, cache_enabled, private, write_entry
from ..engine import internals
from ..engine.compiler import CompiledSource, Compiler, restore_predicate, source_of, table_of
from ..engine.evaluator import ParsedExpression
from ..engine.record import Record
from ..engine.settling import SettlingSource, restore_settling
from ..engine.settling import source_of as settling_source
from .categories import CategoryRegistry
from .discovery import discover_packs, display_path
from .ruleset import RuleSet

__all__ = [
    "CACHE_DIR_ENV",
    "CACHE_ENV",
    "LazyRule",
    "cache_dir",
    "cache_enabled",
    "load_cached",
    "load_ruleset",
    "source_fingerprint",
]

_FORMAT = 1
_KEPT = 32


def load_ruleset(paths: Iterable[str | os.PathLike[str]], **arguments: Any) -> RuleSet:
    """:func:`riskscreen.packs.loader.load_ruleset`, imported when it is called.

    The loader brings the YAML reader, the pack schema's pydantic models and the
    expression checks with it; a rule set read from the cache needs none of them, so a
    screener passes this to :func:`load_cached` instead of the loader itself.
    """
    from .loader import load_ruleset as load

    return load(paths, **arguments)


# -- what is restored lazily ---------------------------------------------------------------


class LazyRule:
    """A rule-engine ``Rule`` restored from the cache: parsed the first time it is needed.

    It offers what the rest of riskscreen uses (``text``, ``context``, ``statement``,
    ``evaluate``, ``matches``); anything else is looked up on the parsed rule.
    """

    def __init__(self, text: str, table: Any) -> None:
        self.text = text
        self._table = table
        self._rule: Any = None
        self._lock = threading.Lock()

    @property
    def context(self) -> Any:
        """The rule-engine context, which does not need parsing."""
        return self._table.context

    def parsed(self) -> Any:
        """The rule, parsed as the loader parsed it."""
        rule = self._rule
        if rule is None:
            with self._lock:
                rule = self._rule
                if rule is None:
                    # imported here: they walk rule-engine's trees, which screening from the
                    # cache never builds
                    from ..engine.nulls import mark_null_handling
                    from ..engine.regex import use_linear_time_regexes

                    rule = rule_engine.Rule(self.text, context=self._table.context)
                    use_linear_time_regexes(rule.statement)
                    mark_null_handling(rule.statement, self._table.plain_names)
                    self._rule = rule
        return rule

    @property
    def statement(self) -> Any:
        """The parsed statement."""
        return self.parsed().statement

    def evaluate(self, thing: Any) -> Any:
        """rule-engine's ``Rule.evaluate``."""
        return self.parsed().evaluate(thing)

    def matches(self, thing: Any) -> bool:
        """rule-engine's ``Rule.matches``."""
        return bool(self.parsed().matches(thing))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("_rule", "_table", "_lock"):
            raise AttributeError(name)
        return getattr(self.parsed(), name)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"<LazyRule text={self.text!r} >"


class _LazyPredicate:
    """An expression whose compiled code needs the syntax tree: compiled on first use."""

    def __init__(self, text: str, rule: Any, nested: bool, name: str = "", location: str = "") -> None:
        self.text, self.rule, self.nested = text, rule, nested
        self.name, self.location = name, location
        self._predicate: Callable[[Record], Any] | None = None

    def __call__(self, record: Record) -> Any:
        return self._compiled()(record)

    def _compiled(self) -> Callable[[Record], Any]:
        predicate = self._predicate
        if predicate is None:
            parsed = ParsedExpression(self.text, self.rule, (), self.name, self.location)
            predicate = self._predicate = Compiler().compile(parsed, nested=self.nested)
        return predicate

    def compiled_source(self) -> CompiledSource | None:
        """The generated source, compiling the expression now if it has not run yet."""
        return source_of(self._compiled())


class _TableContext:
    """Stands for a symbol table's rule-engine context in restored compiled code.

    The context is rebuilt with its table, which may not be complete yet while the code
    that refers to it is restored; this looks it up when used.
    """

    __slots__ = ("_table",)

    def __init__(self, table: Any) -> None:
        self._table = table

    def __getattr__(self, name: str) -> Any:
        table = self._table
        if table._context is None:
            # what compiled code reads, answered without making rule-engine's context (which
            # would build rule-engine's parser): see SymbolTable.context
            if name == "decimal_context":
                return table.decimal_context
            if name == "symbols":
                return frozenset(table._parsed_symbols)
        return getattr(table.context, name)


def _data_type(name: str) -> Any:
    return getattr(DataType, name)


def _restore_object(cls: Any, state: dict[str, Any]) -> Any:
    instance = cls.__new__(cls)
    instance.__dict__.update(state)
    return instance


def _restore_predicate(compiled: CompiledSource, code: bytes) -> Any:
    return restore_predicate(compiled, marshal.loads(code))


def _restore_settling(settling: SettlingSource, code: bytes) -> Any:
    return restore_settling(settling, marshal.loads(code))


def _bound(owner: Any, name: str) -> Any:
    return getattr(owner, name)


_DATA_TYPES = {id(getattr(DataType, name)): name for name in DataType}
_DATA_TYPE_DEFINITION = internals.data_type_definition()


def _compound_type(family: str, *arguments: Any) -> Any:
    """A parameterised rule-engine type, made the way rule-engine makes it."""
    if family == "FUNCTION":
        name, return_type, argument_types, minimum = arguments
        return DataType.FUNCTION(
            name, return_type=return_type, argument_types=argument_types, minimum_arguments=minimum
        )
    if family == "OBJECT":
        name, attributes, accessor = arguments
        return DataType.OBJECT(name, attributes=attributes, accessor=accessor)
    return getattr(DataType, family)(*arguments)


def _reduce_type(obj: Any) -> Any:
    """How a rule-engine type is stored: singletons by name, the others by their parts."""
    name = _DATA_TYPES.get(id(obj))
    if name is not None:
        return (_data_type, (name,))
    if DataType.is_type(obj, DataType.NULLABLE):
        return (_compound_type, ("NULLABLE", obj.inner_type))
    if DataType.is_type(obj, DataType.ARRAY) or DataType.is_type(obj, DataType.SET):
        family = "ARRAY" if DataType.is_type(obj, DataType.ARRAY) else "SET"
        return (_compound_type, (family, obj.value_type))
    if DataType.is_type(obj, DataType.MAPPING):
        return (_compound_type, ("MAPPING", obj.key_type, obj.value_type))
    if DataType.is_type(obj, DataType.OBJECT):
        return (_compound_type, ("OBJECT", obj.name, obj.attributes, obj.accessor))
    if DataType.is_type(obj, DataType.FUNCTION):
        arguments = (obj.value_name, obj.return_type, obj.argument_types, obj.minimum_arguments)
        return (_compound_type, ("FUNCTION", *arguments))
    raise pickle.PicklingError(f"cannot store the rule-engine type {obj!r}")


class _Pickler(pickle.Pickler):
    """Pickles a rule set: trees and contexts by reference to their symbol tables."""

    def __init__(self, file: io.BytesIO, persistent: Mapping[int, tuple[str, str]]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._persistent = persistent

    def persistent_id(self, obj: Any) -> Any:
        return self._persistent.get(id(obj))

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, _DATA_TYPE_DEFINITION):
            return _reduce_type(obj)
        if isinstance(obj, (rule_engine.Rule, LazyRule)):
            table = table_of(obj.context) if isinstance(obj, rule_engine.Rule) else obj._table
            if table is None:
                raise pickle.PicklingError("a rule of a context riskscreen did not make")
            return (LazyRule, (obj.text, table))
        if isinstance(obj, rule_engine.Context):
            table = table_of(obj)
            if table is None:
                raise pickle.PicklingError("a context riskscreen did not make")
            return (_TableContext, (table,))
        settling = settling_source(obj)
        if settling is not None:
            return (_restore_settling, (settling, marshal.dumps(settling.code)))
        compiled = source_of(obj)
        if compiled is not None:
            if compiled.needs_tree or compiled.code is None:
                arguments = (compiled.text, compiled.rule, compiled.nested, compiled.name, compiled.location)
                return (_LazyPredicate, arguments)
            return (_restore_predicate, (compiled, marshal.dumps(compiled.code)))
        owner = getattr(obj, "__self__", None)
        if isinstance(owner, rule_engine.Rule) and callable(obj):
            return (_bound, (owner, obj.__name__))
        if isinstance(obj, CategoryRegistry):
            state = {k: v for k, v in obj.__dict__.items() if k != "_validators"}
            state["_validators"] = {}
            return (_restore_object, (type(obj), state))
        return NotImplemented


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, persistent: Mapping[tuple[str, str], Any]) -> None:
        super().__init__(file)
        self._objects = persistent

    def persistent_load(self, pid: Any) -> Any:
        return self._objects[tuple(pid)]


# -- keys and files ------------------------------------------------------------------------


_fingerprint: list[str] = []


def _source_fingerprint() -> str:
    """A hash of riskscreen's and rule-engine's code: a changed compiler must not reuse old entries.

    rule-engine's source stands for its version too: hashing it costs less than asking
    the installed distributions (and tells a patched copy from the release).
    """
    if not _fingerprint:
        digest = hashlib.sha256()
        for package in (Path(__file__).resolve().parent.parent, Path(rule_engine.__path__[0]).resolve()):
            digest.update(package.name.encode())
            for folder, subfolders, names in os.walk(package):
                subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
                for name in sorted(names):
                    if name.endswith(".py"):
                        path = os.path.join(folder, name)
                        digest.update(os.path.relpath(path, package).encode())
                        with open(path, "rb") as source:
                            digest.update(source.read())
        _fingerprint.append(digest.hexdigest())
    return _fingerprint[0]


def source_fingerprint() -> str:
    """The hash of riskscreen's and rule-engine's code that keys every cache entry (computed once)."""
    return _source_fingerprint()


def _qualified(obj: Any) -> str:
    target = getattr(obj, "__wrapped__", obj)
    return f"{getattr(target, '__module__', '?')}.{getattr(target, '__qualname__', repr(target))}"


def _key(files: list[Path], arguments: Mapping[str, Any], copies: Sequence[tuple[Path, Path]] = ()) -> str:
    """SHA-256 of everything a load depends on."""
    digest = hashlib.sha256()
    facts: dict[str, Any] = {
        "format": _FORMAT,
        "riskscreen": __version__,
        "code": _source_fingerprint(),
        "pydantic": pydantic.VERSION,
        "python": sys.version,
        "implementation": platform.python_implementation(),
        "timezone": str(arguments.get("timezone")),
        "derived": sorted((k, str(v)) for k, v in (arguments.get("derived") or {}).items()),
        "declarations": sorted(repr(d) for d in arguments.get("plugin_declarations") or ()),
        "models": sorted(
            (category, _qualified(model), json.dumps(model.model_json_schema(), sort_keys=True, default=str))
            for category, model in (arguments.get("plugin_models") or {}).items()
        ),
        "functions": sorted(
            (name, _qualified(function), repr(kind))
            for name, (function, kind) in (arguments.get("functions") or {}).items()
        ),
        "plugins": sorted((arguments.get("plugins") or {}).items()),
        "files": [display_path(path) for path in files],
        "copies": [(display_path(c), display_path(o)) for c, o in copies],
    }
    digest.update(json.dumps(facts, sort_keys=True, default=str).encode())
    for path in files:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _persistent(arguments: Mapping[str, Any]) -> dict[tuple[str, str], Any]:
    """Objects a fresh process gets from its plugins, by a name: not stored, looked up."""
    objects: dict[tuple[str, str], Any] = {}
    for name, (function, kind) in (arguments.get("functions") or {}).items():
        objects[("function", name)] = function
        objects[("function-type", name)] = kind
    for category, model in (arguments.get("plugin_models") or {}).items():
        objects[("model", category)] = model
    return objects


def _read(path: Path, objects: Mapping[tuple[str, str], Any]) -> RuleSet | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        ruleset = _Unpickler(io.BytesIO(data), objects).load()
    except Exception:
        return None
    return ruleset if isinstance(ruleset, RuleSet) else None


def _write(directory: Path, path: Path, ruleset: RuleSet, objects: Mapping[tuple[str, str], Any]) -> None:
    buffer = io.BytesIO()
    _Pickler(buffer, {id(v): k for k, v in objects.items()}).dump(ruleset)
    write_entry(directory, path, buffer.getvalue(), kept=_KEPT, pattern="*.pickle")


def load_cached(
    load: Callable[..., RuleSet], paths: Iterable[str | os.PathLike[str]], **arguments: Any
) -> RuleSet:
    """``load(paths, **arguments)``, or the rule set an identical earlier load produced.

    Only loads with the compiler are cached; load errors are never cached (they are raised
    by ``load`` as always).
    """
    paths = list(paths)
    evaluator = arguments.get("evaluator")
    usable = cache_enabled() and (evaluator is None or type(evaluator) is Compiler)
    files, problems, copies = discover_packs(paths)
    if not usable or problems or list(arguments.get("problems") or ()):
        return load(paths, **arguments)
    try:
        key = _key(files, arguments, copies)
    except Exception:
        return load(paths, **arguments)
    directory = cache_dir()
    if not directory.is_absolute():  # no home directory to speak of: no cache
        return load(paths, **arguments)
    path = directory / f"{key}.pickle"
    objects = _persistent(arguments)
    if path.exists() and private(directory):
        cached = _read(path, objects)
        if cached is not None:
            return cached
    ruleset = load(paths, **arguments)
    with contextlib.suppress(Exception):  # not storable (or no room): simply not cached
        _write(directory, path, ruleset, objects)
    return ruleset
