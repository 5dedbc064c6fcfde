"""Isolating each hook implementation, so that pluggy can do the calling without a crash.

pluggy calls a hook's implementations in its own order (tryfirst, normal, trylast; within
each, the last registered first) and runs wrappers around them. It stops at the first
exception, though, and one misbehaving plugin must never take the others down. So each
implementation's function is replaced, once, by an isolating function that:

- passes the plugin its own configuration as ``config`` (the hook is called with
  :data:`PER_PLUGIN` in its place);
- records an exception, or an overrun of the time budget, as a failure of that plugin and
  returns ``None``, which pluggy leaves out of the results;
- remembers which plugin returned which value, so the host can attribute results;
- for a wrapper (``wrapper=True`` or ``hookwrapper=True``), records a failure before or
  after its ``yield`` and lets the result pass through unchanged.

The bookkeeping lives in a :class:`HookCall` set for the duration of one hook call (a
context variable, so threads screening at once never share one). Called outside of a
:class:`HookCall`, the isolating functions call the plugin directly.
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import time
from collections.abc import Callable, Generator, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pluggy

__all__ = ["PER_PLUGIN", "Failure", "HookCall", "isolate", "watchdog_pool"]


class _PerPlugin:
    """Stands for ``config`` in a hook call: each plugin receives its own configuration."""

    def __repr__(self) -> str:
        return "<the plugin's configuration>"


#: The ``config`` argument to pass to record hooks.
PER_PLUGIN: Any = _PerPlugin()


@dataclass(frozen=True)
class Failure:
    """One plugin that failed during a hook call."""

    plugin: str
    hook: str
    message: str


@dataclass
class HookCall:
    """What one hook call found out: failures, and which plugin returned which value."""

    hook: str
    configs: Mapping[str, Any] = field(default_factory=dict)
    time_budget: float | None = None
    watchdog: bool = False
    #: called with (plugin, value) as each implementation returns, in call order
    on_result: Callable[[str, Any], Any] | None = None
    failures: list[Failure] = field(default_factory=list)
    #: (plugin, value) for each implementation that returned a value, in call order
    returned: list[tuple[str, Any]] = field(default_factory=list)
    _origin: dict[int, tuple[str, Any]] = field(default_factory=dict)

    def fail(self, plugin: str, message: str) -> None:
        """Record a failure of ``plugin``."""
        self.failures.append(Failure(plugin, self.hook, message))

    def claim(self, plugin: str, value: Any) -> None:
        """Attribute ``value`` (and the items of a list) to ``plugin`` unless already attributed."""
        # the value itself is kept so that its id cannot be reused during the call
        self._origin.setdefault(id(value), (plugin, value))
        if isinstance(value, list):
            for item in value:
                self._origin.setdefault(id(item), (plugin, item))

    def attribute(self, results: list[Any]) -> list[tuple[str, Any]]:
        """pluggy's results of the call, each with the plugin that returned it (or a wrapper added)."""
        if len(results) == len(self.returned) and all(
            value is mine for value, (_, mine) in zip(results, self.returned, strict=True)
        ):
            return list(self.returned)  # no wrapper changed them: call order says who is who
        return [(self.owner(value) or "?", value) for value in results if value is not None]

    def owner(self, value: Any) -> str | None:
        """The plugin that returned ``value`` (or added it to the results), if known."""
        found = self._origin.get(id(value))
        return found[0] if found is not None else None

    @contextmanager
    def active(self) -> Iterator[HookCall]:
        """Make this the current hook call of this thread (or task) for the ``with`` block."""
        token = _CURRENT.set(self)
        try:
            yield self
        finally:
            _CURRENT.reset(token)


_CURRENT: contextvars.ContextVar[HookCall | None] = contextvars.ContextVar(
    "riskscreen_hook_call", default=None
)


def describe(exc: BaseException) -> str:
    """An exception as ``Type: message``."""
    return f"{type(exc).__name__}: {exc}"


class _OverrunError(Exception):
    def __init__(self, budget: float) -> None:
        super().__init__(f"ran past its time budget of {budget:g} s; its result was discarded")


def isolate(manager: pluggy.PluginManager) -> None:
    """Replace the function of every implementation of every ``riskscreen_`` hook by an isolating one."""
    for name in manager.hook.__dict__:
        if not name.startswith("riskscreen_"):
            continue
        for impl in getattr(manager.hook, name).get_hookimpls():
            if getattr(impl.function, "__riskscreen_isolated__", False):
                continue
            plugin = manager.get_name(impl.plugin) or "?"
            if impl.wrapper:
                impl.function = _isolate_wrapper(impl.function, plugin)
            elif impl.hookwrapper:
                impl.function = _isolate_old_wrapper(impl.function, plugin)
            else:
                impl.function = _isolate_call(impl.function, plugin, tuple(impl.argnames))


def _mark(function: Callable[..., Any], original: Callable[..., Any]) -> Callable[..., Any]:
    function.__riskscreen_isolated__ = True  # type: ignore[attr-defined]
    function.__wrapped__ = original  # type: ignore[attr-defined]
    function.__name__ = getattr(original, "__name__", "hookimpl")
    return function


def _isolate_call(function: Callable[..., Any], plugin: str, argnames: tuple[str, ...]) -> Callable[..., Any]:
    config_at = argnames.index("config") if "config" in argnames else None

    def call(*args: Any) -> Any:
        current = _CURRENT.get()
        if config_at is not None and args[config_at] is PER_PLUGIN:
            args = (
                *args[:config_at],
                None if current is None else current.configs.get(plugin),
                *args[config_at + 1 :],
            )
        if current is None:
            return function(*args)
        try:
            result = _timed(function, args, current)
        except Exception as exc:
            current.fail(plugin, describe(exc))
            return None
        if result is not None:
            current.returned.append((plugin, result))
            current.claim(plugin, result)
            if current.on_result is not None:
                current.on_result(plugin, result)
        return result

    return _mark(call, function)


def _timed(function: Callable[..., Any], args: tuple[Any, ...], current: HookCall) -> Any:
    """Call ``function``; past the time budget its result is discarded (or, watched, abandoned)."""
    budget = current.time_budget
    if budget is None:
        return function(*args)
    if current.watchdog:
        future = watchdog_pool().submit(function, *args)
        try:
            return future.result(timeout=budget)
        except concurrent.futures.TimeoutError:
            raise _OverrunError(budget) from None
    started = time.perf_counter()
    result = function(*args)
    if time.perf_counter() - started > budget:
        raise _OverrunError(budget)
    return result


def _isolate_wrapper(function: Callable[..., Any], plugin: str) -> Callable[..., Any]:
    """A new-style wrapper: ``result = yield`` gives the inner result; what it returns replaces it."""

    def wrap(*args: Any) -> Generator[None, Any, Any]:
        current = _CURRENT.get()
        if current is None:
            return (yield from function(*args))
        try:
            inner = function(*args)
            next(inner)
        except Exception as exc:
            current.fail(plugin, f"wrapper failed before its yield: {describe(exc)}")
            return (yield)
        result = yield  # the inner implementations are isolated: they never raise Exception
        try:
            inner.send(result)
        except StopIteration as stop:
            _claim_new(current, plugin, stop.value)
            return stop.value
        except Exception as exc:
            current.fail(plugin, f"wrapper failed after its yield: {describe(exc)}")
            return result
        inner.close()
        current.fail(plugin, "wrapper yielded more than once; its result was discarded")
        return result

    return _mark(wrap, function)


def _isolate_old_wrapper(function: Callable[..., Any], plugin: str) -> Callable[..., Any]:
    """An old-style ``hookwrapper``: ``outcome = yield`` gives a result object it may replace."""

    def wrap(*args: Any) -> Generator[None, Any, None]:
        current = _CURRENT.get()
        if current is None:
            yield from function(*args)
            return
        try:
            inner = function(*args)
            next(inner)
        except Exception as exc:
            current.fail(plugin, f"wrapper failed before its yield: {describe(exc)}")
            yield
            return
        outcome = yield
        try:
            inner.send(outcome)
        except StopIteration:
            if outcome.exception is None:
                _claim_new(current, plugin, outcome.get_result())
            return
        except Exception as exc:
            current.fail(plugin, f"wrapper failed after its yield: {describe(exc)}")
            return
        inner.close()
        current.fail(plugin, "wrapper yielded more than once")

    return _mark(wrap, function)


def _claim_new(current: HookCall, plugin: str, results: Any) -> None:
    """Results a wrapper added (not returned by an implementation) belong to the wrapper's plugin."""
    if isinstance(results, list):
        for value in results:
            if value is not None:
                current.claim(plugin, value)


_POOL: list[concurrent.futures.ThreadPoolExecutor] = []


def watchdog_pool() -> concurrent.futures.ThreadPoolExecutor:
    """Worker threads for watched plugin calls (created on first use, shared)."""
    if not _POOL:
        _POOL.append(
            concurrent.futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="riskscreen-plugin")
        )
    return _POOL[0]
