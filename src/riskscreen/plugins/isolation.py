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
from dataclasses import dataclass
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


class HookCall:
    """What one hook call found out: failures, and which plugin returned which value.

    Record hooks run once per observation, so this stays cheap: attribution is worked out
    from the returned values only when a wrapper changed the results.
    """

    __slots__ = ("_added", "configs", "failures", "hook", "on_result", "returned", "time_budget", "watchdog")

    def __init__(
        self,
        hook: str,
        configs: Mapping[str, Any] | None = None,
        time_budget: float | None = None,
        watchdog: bool = False,
        on_result: Callable[[str, Any], Any] | None = None,
    ) -> None:
        self.hook = hook
        self.configs: Mapping[str, Any] = configs if configs is not None else {}
        self.time_budget = time_budget
        self.watchdog = watchdog
        #: called with (plugin, value) as each implementation returns, in call order
        self.on_result = on_result
        self.failures: list[Failure] = []
        #: (plugin, value) for each implementation that returned a value, in call order
        self.returned: list[tuple[str, Any]] = []
        self._added: list[tuple[str, Any]] = []

    def fail(self, plugin: str, message: str) -> None:
        """Record a failure of ``plugin``."""
        self.failures.append(Failure(plugin, self.hook, message))

    def claim(self, plugin: str, value: Any) -> None:
        """Attribute ``value`` (a result a wrapper added) to ``plugin``."""
        self._added.append((plugin, value))

    def attribute(self, results: list[Any]) -> list[tuple[str, Any]]:
        """pluggy's results of the call, each with the plugin that returned it (or a wrapper added)."""
        returned = self.returned
        if len(results) == len(returned) and all(
            value is mine for value, (_, mine) in zip(results, returned, strict=True)
        ):
            return list(returned)  # no wrapper changed them: call order says who is who
        return [(self.owner(value) or "?", value) for value in results if value is not None]

    def owner(self, value: Any) -> str | None:
        """The plugin that returned ``value`` or an item of it (or added it), if known."""
        for plugin, found in [*self.returned, *self._added]:
            if found is value or (isinstance(found, list) and any(item is value for item in found)):
                return plugin
        return None

    @contextmanager
    def active(self) -> Iterator[HookCall]:
        """Make this the current hook call of this thread (or task) for the ``with`` block."""
        token = _CURRENT.set(self)
        try:
            yield self
        finally:
            _CURRENT.reset(token)

    def enter(self) -> contextvars.Token[HookCall | None]:
        """:meth:`active` without a context manager, for the per-record hooks; pair with :meth:`leave`."""
        return _CURRENT.set(self)

    @staticmethod
    def leave(token: contextvars.Token[HookCall | None]) -> None:
        """End what :meth:`enter` began."""
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
            result = function(*args) if current.time_budget is None else _timed(function, args, current)
        except Exception as exc:
            current.fail(plugin, describe(exc))
            return None
        if result is not None:
            current.returned.append((plugin, result))
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
