"""Hooks are called the way pluggy calls them: order, wrappers, isolation, tracing.

Every test builds the same plugins twice: once under a bare pluggy ``PluginManager`` with
riskscreen's hook specifications (what a plugin author reads about in pluggy's
documentation) and once inside a :class:`~riskscreen.Screener`; both must call them in the
same order and return the same findings.
"""

from __future__ import annotations

import io
from collections.abc import Generator, Mapping
from typing import Any

import pluggy
import pytest

from riskscreen import CheckFinding, Observation, Record, Screener, hookimpl, hookspecs
from riskscreen.plugins import TRACE_PLUGINS_ENV, build_plugin_manager, trace_hook_calls

OBSERVATION = {
    "id": "obs-1",
    "category": "other",
    "reported_at": "2026-07-01T09:00:00+08:00",
    "description": "巡查",
}


def finding(rule_id: str) -> CheckFinding:
    return CheckFinding(rule_id=rule_id, title=rule_id, severity="low", message=rule_id)


class Checker:
    """A plugin whose check logs its call and finds one thing named after it."""

    def __init__(self, name: str, log: list[str]) -> None:
        self.riskscreen_plugin_name = name
        self.log = log

    def _run(self) -> list[CheckFinding]:
        self.log.append(self.riskscreen_plugin_name)
        return [finding(f"CHK-{self.riskscreen_plugin_name}")]


class Normal(Checker):
    @hookimpl
    def riskscreen_check(self) -> list[CheckFinding]:
        return self._run()


class First(Checker):
    @hookimpl(tryfirst=True)
    def riskscreen_check(self) -> list[CheckFinding]:
        return self._run()


class Last(Checker):
    @hookimpl(trylast=True)
    def riskscreen_check(self) -> list[CheckFinding]:
        return self._run()


class Wrapper(Checker):
    """A new-style wrapper that adds a finding and drops the one of the plugin named ``drop``."""

    @hookimpl(wrapper=True)
    def riskscreen_check(self) -> Generator[None, list[list[CheckFinding]], list[list[CheckFinding]]]:
        self.log.append(f"{self.riskscreen_plugin_name}:before")
        result = yield
        self.log.append(f"{self.riskscreen_plugin_name}:after")
        kept = [[f for f in answer if f.rule_id != "CHK-drop"] for answer in result]
        return [*kept, [finding(f"CHK-{self.riskscreen_plugin_name}")]]


class OldWrapper(Checker):
    """An old-style hookwrapper that only watches."""

    @hookimpl(hookwrapper=True)
    def riskscreen_check(self) -> Generator[None, Any, None]:
        self.log.append(f"{self.riskscreen_plugin_name}:before")
        outcome = yield
        self.log.append(f"{self.riskscreen_plugin_name}:after:{len(outcome.get_result())}")


def plugins(log: list[str]) -> list[Checker]:
    return [
        Last("last", log),
        Normal("a", log),
        Wrapper("wrap", log),
        First("first", log),
        Normal("drop", log),
        OldWrapper("watch", log),
        Normal("b", log),
    ]


def under_pluggy(objects: list[Checker]) -> list[str]:
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    for plugin in objects:
        manager.register(plugin, name=plugin.riskscreen_plugin_name)
    screener = Screener(builtin=False)
    observation = screener.validate(OBSERVATION)
    assert isinstance(observation, Observation)
    record = screener.record_for(observation)
    answers = manager.hook.riskscreen_check(observation=observation, record=record, config=None, findings=())
    return sorted(f.rule_id for answer in answers for f in answer)


def test_plugins_are_called_in_pluggys_order_with_its_wrappers() -> None:
    expected_log: list[str] = []
    expected = under_pluggy(plugins(expected_log))
    log: list[str] = []
    result = Screener(builtin=False, plugins=plugins(log)).screen(OBSERVATION)
    assert log == expected_log
    # tryfirst, then the last registered first, then trylast; wrappers around them all
    assert log[:3] == ["watch:before", "wrap:before", "first"]
    assert log[-3:] == ["last", "wrap:after", "watch:after:6"]
    assert result.alert is not None
    assert sorted(f.rule_id for f in result.alert.findings) == expected
    assert "CHK-drop" not in expected and "CHK-wrap" in expected


def test_a_finding_a_wrapper_adds_is_attributed_to_the_wrapper() -> None:
    result = Screener(builtin=False, plugins=plugins([])).screen(OBSERVATION)
    assert result.alert is not None
    sources = {f.rule_id: f.source for f in result.alert.findings}
    assert sources["CHK-wrap"] == "plugin:wrap"
    assert sources["CHK-a"] == "plugin:a"


class BrokenWrapper(Checker):
    @hookimpl(wrapper=True)
    def riskscreen_check(self) -> Generator[None, Any, Any]:
        yield
        raise RuntimeError("wrapper broke")


class BrokenBeforeYield(Checker):
    @hookimpl(hookwrapper=True)
    def riskscreen_check(self) -> Generator[None, Any, None]:
        raise RuntimeError("broke early")
        yield


class Raises(Checker):
    @hookimpl
    def riskscreen_check(self) -> list[CheckFinding]:
        raise ValueError("check crashed")


def test_a_failing_implementation_or_wrapper_is_recorded_and_the_others_still_run() -> None:
    log: list[str] = []
    objects = [
        Normal("a", log),
        Raises("bad", log),
        BrokenWrapper("wrap", log),
        BrokenBeforeYield("early", log),
    ]
    result = Screener(builtin=False, plugins=objects).screen(OBSERVATION)
    assert result.alert is not None
    assert [f.rule_id for f in result.alert.findings] == ["CHK-a"]
    errors = {(e.plugin, e.message) for e in result.alert.plugin_errors}
    assert errors == {
        ("bad", "ValueError: check crashed"),
        ("wrap", "wrapper failed after its yield: RuntimeError: wrapper broke"),
        ("early", "wrapper failed before its yield: RuntimeError: broke early"),
    }


class SetupWrapper:
    """A wrapper on a set-up hook: legal in pluggy, so it must not stop a Screener from loading."""

    riskscreen_plugin_name = "setupwrap"

    @hookimpl(wrapper=True)
    def riskscreen_derived(self) -> Generator[None, Any, Any]:
        result = yield
        return result

    @hookimpl(hookwrapper=True)
    def riskscreen_rule_packs(self) -> Generator[None, Any, None]:
        yield


def test_wrappers_on_set_up_hooks_load() -> None:
    screener = Screener(plugins=[SetupWrapper()])
    assert "setupwrap" in {p.name for p in screener.plugin_host.plugins}
    assert "WELL-001" in screener.rule_ids  # the installed plugins' packs still load


class Enricher:
    def __init__(self, name: str, field: str, log: list[str]) -> None:
        self.riskscreen_plugin_name = name
        self.field = field
        self.log = log

    @hookimpl
    def riskscreen_derived(self) -> Mapping[str, str]:
        return {self.field: "int"}

    @hookimpl
    def riskscreen_enrich(self, derived: Mapping[str, Any]) -> Mapping[str, Any]:
        self.log.append(
            f"{self.riskscreen_plugin_name} sees {sorted(k for k in derived if k.startswith('f_'))}"
        )
        return {self.field: 1}


def test_enrichment_runs_in_pluggys_order_and_each_sees_the_earlier_ones() -> None:
    log: list[str] = []
    Screener(builtin=False, plugins=[Enricher("one", "f_one", log), Enricher("two", "f_two", log)]).screen(
        OBSERVATION
    )
    # pluggy calls the last registered first
    assert log == ["two sees []", "one sees ['f_two']"]


def test_tracing_writes_every_hook_call(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(TRACE_PLUGINS_ENV, "1")
    Screener(builtin=False, plugins=[Normal("a", [])]).screen(OBSERVATION)
    err = capsys.readouterr().err
    assert "riskscreen trace: riskscreen_derived() -> [core]" in err
    assert "riskscreen trace: riskscreen_check(observation=" in err
    assert "-> [a]" in err
    assert "returned [[CheckFinding(rule_id='CHK-a'" in err


def test_tracing_to_a_stream() -> None:
    stream = io.StringIO()
    manager = build_plugin_manager(load_entrypoints=False, extra=[First("first", [])])
    trace_hook_calls(manager, stream)
    manager.hook.riskscreen_checks()
    assert stream.getvalue().splitlines()[0] == "riskscreen trace: riskscreen_checks() -> []"


def test_without_tracing_nothing_is_written(capsys: pytest.CaptureFixture[str]) -> None:
    Screener(builtin=False, plugins=[Normal("a", [])]).screen(OBSERVATION)
    assert "riskscreen trace" not in capsys.readouterr().err


def test_an_isolated_implementation_called_directly_behaves_as_the_plugin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    manager = build_plugin_manager(load_entrypoints=False, extra=[Raises("bad", [])])
    with pytest.raises(ValueError, match="check crashed"):
        manager.hook.riskscreen_check(observation=None, record=Record({}), config=None, findings=())
