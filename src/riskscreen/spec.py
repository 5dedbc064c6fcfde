"""What a Screener is built from: a frozen specification that other processes can rebuild.

:class:`ScreenerSpec` holds every argument of :class:`~riskscreen.Screener` (a test checks
that it covers the whole constructor signature). Worker processes receive it pickled and
build the same screener from it; :meth:`ScreenerSpec.portable` checks, argument by
argument and plugin by plugin, that it can travel, and names what cannot in a
:class:`NotPortableError` before any record is read.
"""

from __future__ import annotations

import io
import os
import pickle
import types
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from .errors import RiskscreenError

if TYPE_CHECKING:
    from .engine.evaluator import Evaluator
    from .settings import Settings

__all__ = ["NotPortableError", "ScreenerSpec"]


class NotPortableError(RiskscreenError):
    """A screener asked to screen in several processes holds something they cannot rebuild."""


@dataclass(frozen=True)
class ScreenerSpec:
    """The arguments a :class:`~riskscreen.Screener` was built with, as given."""

    rules: tuple[str | os.PathLike[str], ...] = ()
    builtin: bool = True
    settings: Settings | None = None
    evaluator: Evaluator | None = None
    plugins: tuple[object, ...] = ()
    disable_plugins: tuple[str, ...] = ()

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments to build the screener again."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def portable(self) -> bytes:
        """The specification pickled for another process (plugin modules travel by name).

        Raises :class:`NotPortableError` naming the argument, or the plugin, that cannot be
        pickled: a plugin object defined inside a function, a lambda, an open file ...
        """
        for f in fields(self):
            value = getattr(self, f.name)
            items = enumerate(value) if f.name == "plugins" else [(None, value)]
            for position, item in items:
                try:
                    _dumps(item)
                except Exception as exc:
                    what = f.name if position is None else f"plugin {_plugin_name(item, position)}"
                    raise NotPortableError(
                        f"screening with several processes (jobs > 1) rebuilds the screener in each "
                        f"process, but its {what} cannot be sent to another process "
                        f"({type(exc).__name__}: {exc}); define it at module level, or screen with jobs=1"
                    ) from None
        return _dumps(self)


def _plugin_name(plugin: object, position: int) -> str:
    name = getattr(plugin, "riskscreen_plugin_name", None) or getattr(plugin, "__name__", None)
    return f"{name!r}" if name else f"#{position + 1} ({type(plugin).__qualname__})"


def _module(name: str) -> types.ModuleType:
    import importlib

    return importlib.import_module(name)


class _Pickler(pickle.Pickler):
    # plugin modules (registered as modules, as entry points are) are imported again by name
    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, types.ModuleType):
            return (_module, (obj.__name__,))
        return NotImplemented


def _dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()
