"""Building the plugin manager, and a typed facade over its hooks.

The manager is built by :func:`build_plugin_manager` for each Screener, never at import:
it adds the hook specifications, registers the built-in plugins, loads the ``riskscreen``
entry-point group (unless ``RISKSCREEN_DISABLE_PLUGIN_AUTOLOAD`` is set) and checks that
every implementation matches a specification. :class:`PluginHost` calls the hooks and
turns whatever a plugin does wrong into a load problem (set-up hooks) or a recorded
:class:`~riskscreen.models.PluginError` (record hooks), never a crash.
"""

from __future__ import annotations

import concurrent.futures
import functools
import importlib
import inspect
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pluggy
from pydantic import BaseModel, ValidationError

from . import hookspecs
from .engine.record import Record
from .errors import Problem, SourceLocation
from .models import Finding, Observation, PluginError
from .packs.attrtypes import AttrType, attr_type_from_annotation, parse_attr_type
from .packs.categories import Declaration, model_declarations
from .plugin_api import CheckFinding, CheckInfo, CheckUndecided, DerivedField

__all__ = [
    "DEFAULT_PLUGINS",
    "DISABLE_AUTOLOAD_ENV",
    "DISABLE_PLUGINS_ENV",
    "PluginHost",
    "PluginInfo",
    "PluginSetup",
    "build_plugin_manager",
]

#: Built-in plugins, registered like external ones: (name, module).
DEFAULT_PLUGINS: tuple[tuple[str, str], ...] = (("core", "riskscreen.builtin.core"),)
#: Set to any non-empty value to skip loading plugins from entry points.
DISABLE_AUTOLOAD_ENV = "RISKSCREEN_DISABLE_PLUGIN_AUTOLOAD"
#: Comma-separated plugin names to disable.
DISABLE_PLUGINS_ENV = "RISKSCREEN_DISABLE_PLUGINS"


def disabled_from_environment() -> list[str]:
    """Plugin names listed in ``RISKSCREEN_DISABLE_PLUGINS``."""
    return [n.strip() for n in os.environ.get(DISABLE_PLUGINS_ENV, "").split(",") if n.strip()]


def build_plugin_manager(
    *,
    load_entrypoints: bool = True,
    disable: Iterable[str] = (),
    extra: Iterable[object] = (),
) -> pluggy.PluginManager:
    """A plugin manager with the specs, the built-in plugins, entry-point plugins and ``extra``.

    Plugins named in ``disable`` (or in ``RISKSCREEN_DISABLE_PLUGINS``) are blocked, so
    they are neither registered nor called.
    """
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    for name in [*disable, *disabled_from_environment()]:
        manager.set_blocked(name)
    for name, module in DEFAULT_PLUGINS:
        if not manager.is_blocked(name):
            manager.register(importlib.import_module(module), name=name)
    if load_entrypoints and not os.environ.get(DISABLE_AUTOLOAD_ENV):
        manager.load_setuptools_entrypoints(hookspecs.PROJECT)
    for plugin in extra:
        given = getattr(plugin, "riskscreen_plugin_name", None) or getattr(plugin, "__name__", None)
        if given is None or not manager.is_blocked(str(given)):
            manager.register(plugin, name=str(given) if given else None)
    manager.check_pending()
    return manager


@dataclass(frozen=True)
class PluginInfo:
    """A registered plugin: its name, version and where it came from."""

    name: str
    version: str
    builtin: bool


@dataclass
class _Impl:
    plugin: str
    function: Callable[..., Any]
    argnames: tuple[str, ...]


@dataclass(frozen=True)
class PluginSetup:
    """What the plugins contribute to a rule set, gathered once per Screener."""

    pack_paths: list[Path]
    declarations: list[tuple[str, str, Declaration]]
    models: dict[str, type[BaseModel]]
    derived: dict[str, AttrType]
    #: derived name -> the observation fields it is computed from (undeclared: absent)
    derived_inputs: dict[str, tuple[str, ...]]
    functions: dict[str, tuple[Callable[..., Any], Any]]
    checks: list[tuple[str, CheckInfo]]


@dataclass
class PluginHost:
    """Typed access to the hooks of one plugin manager."""

    manager: pluggy.PluginManager
    plugin_settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    time_budget: float | None = None
    watchdog: bool = False
    derived_owners: dict[str, str] = field(default_factory=dict)
    derived_inputs: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        versions = {
            str(self.manager.get_name(p)): str(d.version) for p, d in self.manager.list_plugin_distinfo()
        }
        builtin = {name for name, _ in DEFAULT_PLUGINS}
        self.plugins: list[PluginInfo] = []
        for plugin in self.manager.get_plugins():
            name = self.manager.get_name(plugin) or "?"
            version = versions.get(name) or str(getattr(plugin, "__version__", "") or "")
            self.plugins.append(PluginInfo(name, version, name in builtin))
        self.plugins.sort(key=lambda p: (not p.builtin, p.name))
        self.configs = self._configs()
        self._enrich = self._impls("riskscreen_enrich")
        self._check = self._impls("riskscreen_check")

    # -- helpers ----------------------------------------------------------------------

    def _impls(self, hook: str) -> list[_Impl]:
        caller = getattr(self.manager.hook, hook)
        impls = []
        for impl in caller.get_hookimpls():
            name = self.manager.get_name(impl.plugin) or "?"
            impls.append(_Impl(name, impl.function, tuple(impl.argnames)))
        return impls

    def _setup(self, hook: str) -> list[tuple[str, Any]]:
        """Each plugin's answer to a set-up hook; a failing plugin becomes a load problem."""
        answers = []
        for impl in self._impls(hook):
            try:
                answer = impl.function()
            except Exception as exc:
                self._problem(impl.plugin, f"hook {hook} raised {type(exc).__name__}: {exc}")
                continue
            if answer is not None:
                answers.append((impl.plugin, answer))
        return answers

    def _problem(self, plugin: str, message: str) -> None:
        self.problems.append(Problem(SourceLocation(f"plugin {plugin}"), message, "RS401"))

    def _configs(self) -> dict[str, Any]:
        configs: dict[str, Any] = {}
        for plugin, model in self._setup("riskscreen_config_model"):
            raw = self.plugin_settings.get(plugin, {})
            try:
                configs[plugin] = model.model_validate(raw)
            except ValidationError as exc:
                for error in exc.errors():
                    where = ".".join(str(p) for p in error["loc"])
                    text = str(error["msg"]).removeprefix("Value error, ")
                    self._problem(
                        plugin, f"configuration {where}: {text}" if where else f"configuration: {text}"
                    )
        for plugin in self.plugin_settings:
            if plugin not in {p.name for p in self.plugins}:
                self._problem(plugin, "configuration given for a plugin that is not loaded")
        return configs

    # -- set-up hooks -------------------------------------------------------------------

    def setup(self, *, with_packs: bool) -> PluginSetup:
        """Call every set-up hook once; problems accumulate in :attr:`problems`."""
        declarations: list[tuple[str, str, Declaration]] = []
        models: dict[str, type[BaseModel]] = {}
        owners: dict[str, str] = {}
        for plugin, category, model in self.categories():
            if category in models:
                self._problem(
                    plugin, f"category {category!r} is already registered by plugin {owners[category]}"
                )
                continue
            models[category], owners[category] = model, plugin
            for name, declaration in self.attribute_types(model, plugin, category).items():
                declarations.append((category, name, declaration))
        return PluginSetup(
            pack_paths=self.rule_packs() if with_packs else [],
            declarations=declarations,
            models=models,
            derived=self._derived_types(),
            derived_inputs=dict(self.derived_inputs),
            functions={name: (function, kind) for name, (function, kind, _) in self.functions().items()},
            checks=self.checks(),
        )

    @property
    def versions(self) -> dict[str, str]:
        """Plugin name -> version, external plugins only."""
        return {p.name: p.version for p in self.plugins if not p.builtin}

    def _derived_types(self) -> dict[str, AttrType]:
        found = self.derived({})
        self.derived_owners = {name: plugin for name, (_, plugin) in found.items()}
        return {name: attr_type for name, (attr_type, _) in found.items()}

    def rule_packs(self) -> list[Path]:
        """Pack paths the plugins ship."""
        return [Path(p) for _, paths in self._setup("riskscreen_rule_packs") for p in paths]

    def categories(self) -> list[tuple[str, str, type[BaseModel]]]:
        """(plugin, category, attrs model) for every category a plugin registers."""
        found = []
        for plugin, mapping in self._setup("riskscreen_categories"):
            for category, model in dict(mapping).items():
                if not (isinstance(model, type) and issubclass(model, BaseModel)):
                    self._problem(plugin, f"category {category!r}: expected a pydantic model, got {model!r}")
                    continue
                found.append((plugin, category, model))
        return found

    def attribute_types(self, model: type[BaseModel], plugin: str, category: str) -> dict[str, Declaration]:
        """The attributes a category model declares: type, description and unit."""
        types: dict[str, Declaration] = {}
        for name in model.model_fields:
            try:
                types.update(model_declarations(model, f"plugin {plugin}", only=name))
            except ValueError as exc:
                self._problem(plugin, f"category {category!r} {exc}")
        return types

    def derived(self, reserved: Mapping[str, str]) -> dict[str, tuple[AttrType, str]]:
        """``derived.*`` name -> (type, plugin), with collisions reported naming both plugins."""
        found: dict[str, tuple[AttrType, str]] = {}
        for plugin, mapping in self._setup("riskscreen_derived"):
            for name, declared in dict(mapping).items():
                owner = found.get(name, (None, reserved.get(name)))[1]
                if owner is not None:
                    self._problem(plugin, f"derived field {name!r} is already provided by plugin {owner}")
                    continue
                try:
                    spec = declared if isinstance(declared, str) else DerivedField.model_validate(declared)
                    found[name] = (parse_attr_type(spec if isinstance(spec, str) else spec.type), plugin)
                except (ValueError, ValidationError) as exc:
                    self._problem(plugin, f"derived field {name!r}: {exc}")
                    continue
                if isinstance(spec, DerivedField):
                    self.derived_inputs[name] = tuple(spec.inputs)
        return found

    def functions(self) -> dict[str, tuple[Callable[..., Any], Any, str]]:
        """Function name -> (wrapped callable, rule-engine type, plugin)."""
        from rule_engine import DataType

        found: dict[str, tuple[Callable[..., Any], Any, str]] = {}
        for plugin, mapping in self._setup("riskscreen_functions"):
            for name, function in dict(mapping).items():
                if name in found:
                    self._problem(plugin, f"function {name!r} is already provided by plugin {found[name][2]}")
                    continue
                try:
                    signature = inspect.signature(function)
                    hints = _hints(function)
                    names = [p for p in signature.parameters if p != "config"]
                    arguments = [attr_type_from_annotation(hints[p]) for p in names]
                    result = attr_type_from_annotation(hints["return"])
                except (KeyError, ValueError, TypeError) as exc:
                    self._problem(plugin, f"function {name!r} needs annotated arguments and result: {exc}")
                    continue
                data_type = DataType.FUNCTION(
                    name, return_type=result.rule_type, argument_types=tuple(a.rule_type for a in arguments)
                )
                if "config" in signature.parameters:
                    # a keyword-only ``config`` receives the plugin's validated configuration
                    function = functools.partial(function, config=self.configs.get(plugin))
                found[name] = (_plain_numbers(function, arguments), data_type, plugin)
        return found

    def checks(self) -> list[tuple[str, CheckInfo]]:
        """(plugin, declaration) for every check the plugins declare."""
        found = []
        for plugin, infos in self._setup("riskscreen_checks"):
            for info in infos:
                try:
                    found.append((plugin, CheckInfo.model_validate(info)))
                except ValidationError as exc:
                    self._problem(plugin, f"check declaration {info!r}: {exc.errors()[0]['msg']}")
        return found

    # -- record hooks ---------------------------------------------------------------------

    def _call(self, impl: _Impl, hook: str, arguments: Mapping[str, Any], errors: list[PluginError]) -> Any:
        """Call one implementation; an exception or an overrun becomes a recorded error.

        With a time budget, a call that returns late has its result discarded; with the
        watchdog on, the call runs in a worker thread and is abandoned when the budget
        runs out, so even a plugin that hangs cannot stop the screening.
        """
        kwargs = {k: arguments[k] for k in impl.argnames}
        budget = self.time_budget
        started = time.perf_counter()
        try:
            if budget is not None and self.watchdog:
                future = _watchdog_pool().submit(impl.function, **kwargs)
                try:
                    return future.result(timeout=budget)
                except concurrent.futures.TimeoutError:
                    raise _Overrun(budget) from None
            result = impl.function(**kwargs)
            if budget is not None and time.perf_counter() - started > budget:
                raise _Overrun(budget)
            return result
        except Exception as exc:
            errors.append(PluginError(plugin=impl.plugin, hook=hook, message=_describe(exc)))
            return None

    def enrich(self, observation: Observation, derived: dict[str, Any], errors: list[PluginError]) -> None:
        """Add every plugin's ``derived.*`` values to ``derived``; failures go to ``errors``.

        A plugin may only set the fields it declared; it sees the others read-only.
        """
        view = MappingProxyType(derived)
        for impl in self._enrich:
            arguments = {"observation": observation, "derived": view, "config": self.configs.get(impl.plugin)}
            values = self._call(impl, "riskscreen_enrich", arguments, errors)
            if not values:
                continue
            owned = self.derived_owners
            foreign = sorted(k for k in values if owned.get(k) != impl.plugin)
            if foreign:
                message = f"returned fields it does not declare: {', '.join(map(str, foreign))}"
                errors.append(PluginError(plugin=impl.plugin, hook="riskscreen_enrich", message=message))
            derived.update((k, v) for k, v in values.items() if owned.get(k) == impl.plugin)

    def check(
        self,
        observation: Observation,
        record: Record,
        errors: list[PluginError],
        findings: tuple[Finding, ...] = (),
    ) -> list[tuple[str, CheckFinding | CheckUndecided]]:
        """(plugin, finding or undecided check) from every plugin's checks; failures go to ``errors``."""
        found: list[tuple[str, CheckFinding | CheckUndecided]] = []
        for impl in self._check:
            arguments = {
                "observation": observation,
                "record": record,
                "config": self.configs.get(impl.plugin),
                "findings": findings,
            }
            results = self._call(impl, "riskscreen_check", arguments, errors) or []
            try:
                found.extend((impl.plugin, _check_result(r)) for r in results)
            except (ValidationError, TypeError) as exc:
                message = f"returned something that is not a list of findings: {_describe(exc)}"
                errors.append(PluginError(plugin=impl.plugin, hook="riskscreen_check", message=message))
        return found


def _check_result(result: Any) -> CheckFinding | CheckUndecided:
    """A check's result as a finding or an undecided check (dicts are read by their keys)."""
    if isinstance(result, (CheckFinding, CheckUndecided)):
        return result
    if isinstance(result, Mapping) and "check_id" in result:
        return CheckUndecided.model_validate(result)
    return CheckFinding.model_validate(result)


class _Overrun(Exception):
    def __init__(self, budget: float) -> None:
        super().__init__(f"ran past its time budget of {budget:g} s; its result was discarded")


_POOL: list[concurrent.futures.ThreadPoolExecutor] = []


def _watchdog_pool() -> concurrent.futures.ThreadPoolExecutor:
    """Worker threads for watched plugin calls (created on first use, shared)."""
    if not _POOL:
        _POOL.append(
            concurrent.futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="riskscreen-plugin")
        )
    return _POOL[0]


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _hints(function: Callable[..., Any]) -> dict[str, Any]:
    import typing

    return typing.get_type_hints(function)


def _plain_numbers(function: Callable[..., Any], arguments: list[AttrType]) -> Callable[..., Any]:
    """Call ``function`` with ``float``/``int`` where rule-engine passes ``Decimal``."""
    kinds = [a.name for a in arguments]

    def call(*args: Any) -> Any:
        converted = [
            (int(v) if kind == "int" else float(v)) if isinstance(v, Decimal) else v
            for v, kind in zip(args, kinds, strict=False)
        ]
        return function(*converted)

    call.__name__ = getattr(function, "__name__", "function")
    return call


def distribution_version(name: str) -> str:
    """The installed version of a distribution, or ``""``."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""
