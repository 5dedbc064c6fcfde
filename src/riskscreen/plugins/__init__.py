"""The plugin machinery: building the manager, calling hooks, checking what plugins return.

- :mod:`~riskscreen.plugins.manager` builds the pluggy manager of one Screener (specs,
  built-in plugins, entry points) and traces hook calls on request;
- :mod:`~riskscreen.plugins.isolation` wraps each hook implementation so that a plugin
  that raises, overruns its time budget or misbehaves in a wrapper is recorded, not
  propagated;
- :mod:`~riskscreen.plugins.contributions` checks what the set-up hooks return;
- :mod:`~riskscreen.plugins.host` is the typed facade the Screener calls.
"""

from __future__ import annotations

from .host import PluginHost, PluginSetup
from .manager import (
    DEFAULT_PLUGINS,
    DISABLE_AUTOLOAD_ENV,
    DISABLE_PLUGINS_ENV,
    TRACE_PLUGINS_ENV,
    PluginInfo,
    build_plugin_manager,
    disabled_from_environment,
    distribution_version,
    trace_hook_calls,
)

__all__ = [
    "DEFAULT_PLUGINS",
    "DISABLE_AUTOLOAD_ENV",
    "DISABLE_PLUGINS_ENV",
    "TRACE_PLUGINS_ENV",
    "PluginHost",
    "PluginInfo",
    "PluginSetup",
    "build_plugin_manager",
    "disabled_from_environment",
    "distribution_version",
    "trace_hook_calls",
]
