"""Building the plugin manager of one Screener, and tracing its hook calls.

The manager is built by :func:`build_plugin_manager` for each Screener, never at import:
it adds the hook specifications, registers the built-in plugins, loads the ``riskscreen``
entry-point group (unless ``RISKSCREEN_DISABLE_PLUGIN_AUTOLOAD`` is set), checks that every
implementation matches a specification and isolates each implementation
(:mod:`riskscreen.plugins.isolation`). With ``RISKSCREEN_TRACE_PLUGINS`` set, every hook
call is written to standard error.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import Any, TextIO

import pluggy

from .. import hookspecs
from .isolation import isolate

__all__ = [
    "DEFAULT_PLUGINS",
    "DISABLE_AUTOLOAD_ENV",
    "DISABLE_PLUGINS_ENV",
    "TRACE_PLUGINS_ENV",
    "PluginInfo",
    "build_plugin_manager",
    "disabled_from_environment",
    "distribution_version",
    "plugin_infos",
    "trace_hook_calls",
]

#: Built-in plugins, registered like external ones: (name, module).
DEFAULT_PLUGINS: tuple[tuple[str, str], ...] = (("core", "riskscreen.builtin.core"),)
#: Set to any non-empty value to skip loading plugins from entry points.
DISABLE_AUTOLOAD_ENV = "RISKSCREEN_DISABLE_PLUGIN_AUTOLOAD"
#: Comma-separated plugin names to disable.
DISABLE_PLUGINS_ENV = "RISKSCREEN_DISABLE_PLUGINS"
#: Set to any non-empty value to write every hook call to standard error.
TRACE_PLUGINS_ENV = "RISKSCREEN_TRACE_PLUGINS"


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
    they are neither registered nor called. Every implementation is isolated, so that a
    plugin that raises is recorded, not propagated.
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
    isolate(manager)
    if os.environ.get(TRACE_PLUGINS_ENV):
        trace_hook_calls(manager)
    return manager


def trace_hook_calls(manager: pluggy.PluginManager, stream: TextIO | None = None) -> None:
    """Write every hook call of ``manager`` to ``stream`` (standard error by default).

    One line before the call names the hook, its implementations in call order and the
    arguments; one line after gives the results or the exception.
    """

    def write(text: str) -> None:
        print(text, file=stream or sys.stderr, flush=True)

    def before(hook: str, impls: Sequence[pluggy.HookImpl], kwargs: Mapping[str, Any]) -> None:
        order = ", ".join(_impl_label(manager, impl) for impl in reversed(impls))
        arguments = ", ".join(f"{k}={_short(v)}" for k, v in kwargs.items())
        write(f"riskscreen trace: {hook}({arguments}) -> [{order}]")

    def after(
        outcome: pluggy.Result[Any],
        hook: str,
        impls: Sequence[pluggy.HookImpl],
        kwargs: Mapping[str, Any],
    ) -> None:
        if outcome.exception is not None:
            write(f"riskscreen trace: {hook} raised {type(outcome.exception).__name__}: {outcome.exception}")
        else:
            write(f"riskscreen trace: {hook} returned {_short(outcome.get_result())}")

    manager.add_hookcall_monitoring(before, after)


def _impl_label(manager: pluggy.PluginManager, impl: pluggy.HookImpl) -> str:
    name = manager.get_name(impl.plugin) or "?"
    marks = [m for m in ("wrapper", "hookwrapper", "tryfirst", "trylast") if getattr(impl, m)]
    return f"{name} ({', '.join(marks)})" if marks else name


def _short(value: Any, limit: int = 200) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class PluginInfo:
    """A registered plugin: its name, version and where it came from."""

    name: str
    version: str
    builtin: bool


def plugin_infos(manager: pluggy.PluginManager) -> list[PluginInfo]:
    """The registered plugins, built-in ones first, each with its version."""
    versions = {str(manager.get_name(p)): str(d.version) for p, d in manager.list_plugin_distinfo()}
    builtin = {name for name, _ in DEFAULT_PLUGINS}
    found: list[PluginInfo] = []
    for plugin in manager.get_plugins():
        name = manager.get_name(plugin) or "?"
        version = versions.get(name) or str(getattr(plugin, "__version__", "") or "")
        found.append(PluginInfo(name, version, name in builtin))
    found.sort(key=lambda p: (not p.builtin, p.name))
    return found


def distribution_version(name: str) -> str:
    """The installed version of a distribution, or ``""``."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""
