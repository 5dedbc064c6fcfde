"""A typed facade over the hooks of one plugin manager.

:class:`PluginHost` calls every hook through pluggy (``manager.hook.<name>(...)``), so
pluggy's call order (tryfirst, normal, trylast), its wrappers and its hook-call
monitoring apply. Implementations are isolated (:mod:`riskscreen.plugins.isolation`):
whatever a plugin does wrong becomes a load problem (set-up hooks) or a recorded
:class:`~riskscreen.models.PluginFailure` (record hooks), never a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any

import pluggy
from pydantic import BaseModel, ValidationError

from ..engine.record import Record
from ..errors import Problem, SourceLocation
from ..models import Finding, Observation, PluginFailure
from ..packs.attrtypes import AttrType
from ..packs.categories import Declaration
from ..packs.problem_codes import PLUGIN_PROBLEM
from ..plugin_api import CheckFinding, CheckInfo, CheckUndecided
from . import contributions
from .isolation import PER_PLUGIN, HookCall, describe
from .manager import PluginInfo, plugin_infos

__all__ = ["PluginHost", "PluginSetup"]


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
        self.plugins: list[PluginInfo] = plugin_infos(self.manager)
        self.configs: dict[str, Any] = {}
        self.configs = self._configs()
        # a record hook nobody implements costs nothing per record
        self._enrich = self.manager.hook.riskscreen_enrich
        self._check = self.manager.hook.riskscreen_check
        self._has_enrich = bool(self._enrich.get_hookimpls())
        self._has_check = bool(self._check.get_hookimpls())

    # -- helpers ----------------------------------------------------------------------

    def _setup(self, hook: str) -> list[tuple[str, Any]]:
        """Each plugin's answer to a set-up hook; a failing plugin is a load problem.

        pluggy calls the implementations in its order; the answers come back in the order
        the plugins were registered (built-in, entry points, plugins passed in), so that
        when two plugins declare one name the first registered keeps it.
        """
        call = HookCall(hook, self.configs)
        with call.active():
            answers = getattr(self.manager.hook, hook)()
        for failure in call.failures:
            self._problem(failure.plugin, f"hook {hook} raised {failure.message}")
        rank = {name: i for i, (name, _) in enumerate(self.manager.list_name_plugin())}
        return sorted(call.attribute(answers), key=lambda answer: rank.get(answer[0], len(rank)))

    def _problem(self, plugin: str, message: str) -> None:
        self.problems.append(Problem(SourceLocation(f"plugin {plugin}"), message, PLUGIN_PROBLEM))

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
        return contributions.categories(self._setup("riskscreen_categories"), self._problem)

    def attribute_types(self, model: type[BaseModel], plugin: str, category: str) -> dict[str, Declaration]:
        """The attributes a category model declares: type, description and unit."""
        return contributions.attribute_types(model, plugin, category, self._problem)

    def derived(self, reserved: Mapping[str, str]) -> dict[str, tuple[AttrType, str]]:
        """``derived.*`` name -> (type, plugin), with collisions reported naming both plugins."""
        found, inputs = contributions.derived(self._setup("riskscreen_derived"), reserved, self._problem)
        self.derived_inputs.update(inputs)
        return found

    def functions(self) -> dict[str, tuple[Callable[..., Any], Any, str]]:
        """Function name -> (wrapped callable, rule-engine type, plugin)."""
        return contributions.functions(self._setup("riskscreen_functions"), self.configs, self._problem)

    def checks(self) -> list[tuple[str, CheckInfo]]:
        """(plugin, declaration) for every check the plugins declare."""
        return contributions.checks(self._setup("riskscreen_checks"), self._problem)

    # -- record hooks ---------------------------------------------------------------------

    def _record_call(self, hook: str, on_result: Callable[[str, Any], Any] | None = None) -> HookCall:
        return HookCall(hook, self.configs, self.time_budget, self.watchdog, on_result)

    def enrich(self, observation: Observation, derived: dict[str, Any], errors: list[PluginFailure]) -> None:
        """Add every plugin's ``derived.*`` values to ``derived``; failures go to ``errors``.

        Each plugin's values are added as soon as it returns, so the plugins called later
        see them. A plugin may only set the fields it declared; it sees the others read-only.
        With a time budget, a call that returns late has its result discarded; with the
        watchdog on, the call is abandoned when the budget runs out.
        """
        if not self._has_enrich:
            return
        owned = self.derived_owners

        def merge(plugin: str, values: Any) -> None:
            foreign = sorted(k for k in values if owned.get(k) != plugin)
            if foreign:
                message = f"returned fields it does not declare: {', '.join(map(str, foreign))}"
                call.fail(plugin, message)
            derived.update((k, v) for k, v in values.items() if owned.get(k) == plugin)

        call = self._record_call("riskscreen_enrich", merge)
        token = call.enter()
        try:
            self._enrich(observation=observation, derived=MappingProxyType(derived), config=PER_PLUGIN)
        finally:
            call.leave(token)
        if call.failures:
            errors.extend(
                PluginFailure(plugin=f.plugin, hook=f.hook, message=f.message) for f in call.failures
            )

    @property
    def shipped_only(self) -> bool:
        """Whether every plugin is one riskscreen ships (its own, or the four domain plugins).

        Those hold nothing a forked process must not share (see :mod:`riskscreen.parallel`);
        a plugin from elsewhere may hold an open connection or a file, so with one the
        command line's workers are started fresh.
        """
        return all(_shipped(plugin) for _, plugin in self.manager.list_name_plugin())

    @property
    def has_checks(self) -> bool:
        """Whether any plugin implements ``riskscreen_check``."""
        return self._has_check

    def check(
        self,
        observation: Observation,
        record: Record,
        errors: list[PluginFailure],
        findings: tuple[Finding, ...] = (),
    ) -> list[tuple[str, CheckFinding | CheckUndecided]]:
        """(plugin, finding or undecided check) from every plugin's checks; failures go to ``errors``.

        The results are pluggy's (after any wrapper); each item is attributed to the plugin
        that returned it, or to the wrapper that added it.
        """
        if not self._has_check:
            return []
        call = self._record_call("riskscreen_check")
        token = call.enter()
        try:
            answers = self._check(
                observation=observation, record=record, config=PER_PLUGIN, findings=findings
            )
        finally:
            call.leave(token)
        found: list[tuple[str, CheckFinding | CheckUndecided]] = []
        for plugin, answer in call.attribute(answers):
            try:
                found.extend((call.owner(r) or plugin, contributions.check_result(r)) for r in answer)
            except (ValidationError, TypeError) as exc:
                message = f"returned something that is not a list of findings: {describe(exc)}"
                call.fail(plugin, message)
        if call.failures:
            errors.extend(
                PluginFailure(plugin=f.plugin, hook=f.hook, message=f.message) for f in call.failures
            )
        return found


#: The modules of the plugins riskscreen ships: its own and the four domain plugins'.
_SHIPPED_MODULES = (
    "riskscreen.",
    "riskscreen_construction.",
    "riskscreen_machinery.",
    "riskscreen_sand.",
    "riskscreen_well.",
)


def _shipped(plugin: object) -> bool:
    module = plugin.__name__ if isinstance(plugin, ModuleType) else type(plugin).__module__
    return f"{module}.".startswith(_SHIPPED_MODULES)
