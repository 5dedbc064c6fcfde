"""The plugin host: every hook, isolation of failing plugins, disabling, entry points.

The plugin below is written the way a third party would write one, using only the public
API, to prove an outsider can add a category, a derived field, a function and a check.
"""

from __future__ import annotations

import inspect
import sys
import textwrap
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel, Field

from riskscreen import (
    CheckFinding,
    CheckInfo,
    Observation,
    Record,
    RuleLoadError,
    Screener,
    Settings,
    YearlyWindow,
    hookimpl,
    hookspecs,
)
from riskscreen.cli.main import main
from riskscreen.plugins import DISABLE_AUTOLOAD_ENV, DISABLE_PLUGINS_ENV

QUARRY_PACK = """
pack: quarry_rules
version: 1.0.0
applies_to: [quarry]
rules:
  - id: QR-001
    title: 深坑开采
    when: quarry_half(attrs.depth_m) > 3 and derived.quarry_in_season
    severity: high
    message: "{location.village}采坑深{attrs.depth_m}米"
    references: ["矿产资源法 第三条"]
"""


class QuarryAttrs(BaseModel):
    """Attributes of the quarry category."""

    depth_m: float | None = Field(default=None, ge=0)
    permit: Literal["valid", "none"] | None = None
    equipment: list[str] | None = None


class QuarryConfig(BaseModel):
    """Local thresholds of the quarry plugin."""

    season: YearlyWindow = YearlyWindow(start="06-01", end="09-30")
    max_depth_m: float = 10


class QuarryPlugin:
    """A third-party plugin: category, derived field, function, check, configuration, packs."""

    riskscreen_plugin_name = "quarry"
    __version__ = "2.3.4"

    def __init__(self, pack: Path | None = None) -> None:
        self.pack = pack
        self.calls: dict[str, int] = {}

    def _count(self, hook: str) -> None:
        self.calls[hook] = self.calls.get(hook, 0) + 1

    @hookimpl
    def riskscreen_rule_packs(self) -> list[Path]:
        self._count("riskscreen_rule_packs")
        return [self.pack] if self.pack else []

    @hookimpl
    def riskscreen_categories(self) -> Mapping[str, type[BaseModel]]:
        self._count("riskscreen_categories")
        return {"quarry": QuarryAttrs}

    @hookimpl
    def riskscreen_derived(self) -> Mapping[str, str]:
        self._count("riskscreen_derived")
        return {"quarry_in_season": "bool", "quarry_too_deep": "bool"}

    @hookimpl
    def riskscreen_functions(self) -> Mapping[str, Any]:
        self._count("riskscreen_functions")

        def quarry_half(value: float) -> float:
            return value / 2

        def quarry_over_cap(depth: float, *, config: QuarryConfig) -> bool:
            return depth > config.max_depth_m

        return {"quarry_half": quarry_half, "quarry_over_cap": quarry_over_cap}

    @hookimpl
    def riskscreen_config_model(self) -> type[BaseModel]:
        self._count("riskscreen_config_model")
        return QuarryConfig

    @hookimpl
    def riskscreen_checks(self) -> list[CheckInfo]:
        self._count("riskscreen_checks")
        return [CheckInfo(id="QP-001", title="超深开采", severity="critical", references=["矿产资源法"])]

    @hookimpl
    def riskscreen_enrich(
        self, observation: Observation, derived: Mapping[str, Any], config: QuarryConfig
    ) -> Mapping[str, Any]:
        self._count("riskscreen_enrich")
        assert "local_hour" in derived  # the core's fields come first
        depth = observation.attrs.get("depth_m")
        return {
            "quarry_in_season": config.season.contains(observation.reported_at.date()),
            "quarry_too_deep": None if depth is None else depth > config.max_depth_m,
        }

    @hookimpl
    def riskscreen_check(
        self, observation: Observation, record: Record, config: QuarryConfig
    ) -> list[CheckFinding]:
        self._count("riskscreen_check")
        if observation.attrs.get("permit") == "valid" and observation.id == "explode":
            raise RuntimeError("check crashed")
        if record.lookup("derived.quarry_too_deep"):
            depth = record.lookup("attrs.depth_m")
            return [
                CheckFinding(
                    rule_id="QP-001",
                    title="超深开采",
                    severity="critical",
                    message=f"开采深度{depth:g}米，超过{config.max_depth_m:g}米",
                    escalate_to="department",
                )
            ]
        return []


def quarry(
    obs_id: str = "q-1", reported_at: str = "2026-07-01T09:00:00+08:00", **attrs: Any
) -> dict[str, Any]:
    return {
        "id": obs_id,
        "category": "quarry",
        "reported_at": reported_at,
        "location": {"village": "东村"},
        "attrs": attrs,
    }


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    path = tmp_path / "quarry.yaml"
    path.write_text(textwrap.dedent(QUARRY_PACK), encoding="utf-8")
    return path


@pytest.fixture
def plugin(pack: Path) -> QuarryPlugin:
    return QuarryPlugin(pack)


def build(plugin: QuarryPlugin, **kwargs: Any) -> Screener:
    # builtin=False: no shipped packs or installed plugins, but explicit plugins still load,
    # and a plugin's packs come through riskscreen_rule_packs only when builtin=True
    return Screener(builtin=kwargs.pop("builtin", True), plugins=[plugin], **kwargs)


def test_a_third_party_plugin_adds_category_derived_function_and_check(plugin: QuarryPlugin) -> None:
    screener = build(plugin)
    result = screener.screen(quarry(depth_m=12, permit="none"))
    assert result.alert is not None
    assert [f.rule_id for f in result.alert.findings] == ["QP-001", "QR-001"]
    check, rule = result.alert.findings
    assert (check.pack, check.source, check.score, check.escalate_to) == (
        "quarry",
        "plugin:quarry",
        85.0,
        "department",
    )
    assert check.message == "开采深度12米，超过10米"
    assert rule.message == "东村采坑深12米"
    assert result.alert.priority == "P1"
    assert result.alert.provenance.plugins["quarry"] == "2.3.4"


def test_setup_hooks_run_once_and_record_hooks_once_per_record(plugin: QuarryPlugin) -> None:
    screener = build(plugin)
    screener.screen_many([quarry(f"q-{i}", depth_m=i) for i in range(5)])
    setup = {
        name: plugin.calls[name]
        for name in plugin.calls
        if name not in ("riskscreen_enrich", "riskscreen_check")
    }
    assert set(setup.values()) == {1}
    assert plugin.calls["riskscreen_enrich"] == 5
    assert plugin.calls["riskscreen_check"] == 5


def test_every_hook_is_exercised(plugin: QuarryPlugin) -> None:
    build(plugin).screen(quarry(depth_m=1))
    specs = {
        name
        for name, _ in inspect.getmembers(hookspecs, inspect.isfunction)
        if name.startswith("riskscreen_")
    }
    assert specs == set(plugin.calls)


def test_plugin_model_validates_records_and_keeps_unknown_keys(plugin: QuarryPlugin) -> None:
    screener = build(plugin)
    bad = screener.screen(quarry(depth_m=-1))
    assert bad.error is not None and bad.error.field == "attrs.depth_m"
    wrong = screener.screen(quarry(permit="maybe"))
    assert wrong.error is not None and wrong.error.field == "attrs.permit"
    kept = screener.validate(quarry(depth_m="4.5", note="路边"))
    assert isinstance(kept, Observation) and kept.attrs == {"depth_m": 4.5, "note": "路边"}


def test_configuration_changes_thresholds(plugin: QuarryPlugin) -> None:
    screener = build(
        plugin,
        settings=Settings(
            plugins={"quarry": {"max_depth_m": 20, "season": {"start": "12-01", "end": "02-28"}}}
        ),
    )
    result = screener.screen(quarry(depth_m=12))
    assert result.status == "no_alert"  # not too deep under the local cap, and out of season
    winter = screener.screen(quarry(reported_at="2027-01-10T09:00:00+08:00", depth_m=12))
    assert winter.alert is not None and [f.rule_id for f in winter.alert.findings] == ["QR-001"]


def test_bad_configuration_is_a_load_error_naming_the_plugin(plugin: QuarryPlugin) -> None:
    with pytest.raises(RuleLoadError) as caught:
        build(plugin, settings=Settings(plugins={"quarry": {"max_depth_m": "deep"}}))
    assert str(caught.value).startswith("plugin quarry: configuration max_depth_m:")


def test_a_failing_check_is_isolated_and_marks_the_result_incomplete(plugin: QuarryPlugin) -> None:
    screener = build(plugin)
    result = screener.screen(quarry("explode", depth_m=12, permit="valid"))
    assert result.incomplete is True
    assert [(e.plugin, e.hook) for e in result.plugin_errors] == [("quarry", "riskscreen_check")]
    assert "check crashed" in result.plugin_errors[0].message
    # the YAML rule still ran and the alert says it is incomplete
    assert result.alert is not None and result.alert.incomplete
    assert [f.rule_id for f in result.alert.findings] == ["QR-001"]


class BrokenEnricher:
    """A plugin whose enrichment always fails."""

    riskscreen_plugin_name = "broken"

    @hookimpl
    def riskscreen_enrich(self) -> Mapping[str, Any]:
        raise ValueError("no data")


def test_a_failing_enricher_does_not_stop_other_plugins(plugin: QuarryPlugin) -> None:
    screener = Screener(plugins=[plugin, BrokenEnricher()])
    result = screener.screen(quarry(depth_m=12))
    assert [e.plugin for e in result.plugin_errors] == ["broken"]
    assert result.alert is not None and {f.rule_id for f in result.alert.findings} == {"QP-001", "QR-001"}


def test_conflicting_attribute_types_name_both_sources(plugin: QuarryPlugin, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(
        "pack: other\ncategories:\n  quarry:\n    attrs:\n      depth_m: string\n", encoding="utf-8"
    )
    with pytest.raises(RuleLoadError) as caught:
        Screener([other], plugins=[plugin])
    assert str(caught.value) == (
        f"{other}:5:16: attribute quarry.attrs.depth_m declared as string here and as float in plugin quarry"
    )


class SecondQuarry:
    """Another plugin claiming the same derived field."""

    riskscreen_plugin_name = "second"

    @hookimpl
    def riskscreen_derived(self) -> Mapping[str, str]:
        return {"quarry_in_season": "bool", "is_night": "bool"}


def test_duplicate_derived_fields_name_both_plugins(plugin: QuarryPlugin) -> None:
    with pytest.raises(RuleLoadError) as caught:
        Screener(plugins=[plugin, SecondQuarry()])
    messages = [str(p) for p in caught.value.problems]
    assert "plugin second: derived field 'quarry_in_season' is already provided by plugin quarry" in messages
    assert "plugin second: derived field 'is_night' is already provided by plugin core" in messages


def test_disabling_a_plugin_removes_exactly_its_rules_and_checks(plugin: QuarryPlugin, pack: Path) -> None:
    base = Screener()
    with_plugin = build(plugin)
    assert with_plugin.rule_ids - base.rule_ids == {"QR-001", "QP-001"}
    without = Screener(plugins=[QuarryPlugin(pack)], disable_plugins=["quarry"])
    assert without.rule_ids == base.rule_ids
    assert "quarry" not in {p.name for p in without.plugin_host.plugins}


def test_disabling_through_the_environment(plugin: QuarryPlugin, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DISABLE_PLUGINS_ENV, "quarry, other")
    assert "QP-001" not in build(plugin).rule_ids


def install_fake_distribution(root: Path) -> None:
    """A real installed distribution on sys.path, registering a plugin module by entry point."""
    (root / "fake_quarry_plugin.py").write_text(
        textwrap.dedent(
            """
            from riskscreen import CheckInfo, hookimpl

            @hookimpl
            def riskscreen_checks():
                return [CheckInfo(id="FAKE-001", title="示例", severity="low")]
            """
        ),
        encoding="utf-8",
    )
    info = root / "fake_quarry-0.9.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: fake-quarry\nVersion: 0.9.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[riskscreen]\nfakequarry = fake_quarry_plugin\n", encoding="utf-8"
    )


def test_entry_point_plugins_are_loaded_listed_and_disabled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    install_fake_distribution(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "fake_quarry_plugin", raising=False)
    screener = Screener()
    assert ("fakequarry", "0.9.1") in {(p.name, p.version) for p in screener.plugin_host.plugins}
    assert "FAKE-001" in screener.rule_ids
    assert "FAKE-001" not in Screener(builtin=False).rule_ids  # --no-builtin: no installed plugins
    assert main(["rules", "--format", "json", "--disable-plugin", "fakequarry"]) == 0
    listed = capsys.readouterr().out
    assert "fakequarry" not in listed and "FAKE-001" not in listed
    monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, "1")
    assert "FAKE-001" not in Screener().rule_ids


def test_rules_command_lists_plugins_and_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    install_fake_distribution(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "fake_quarry_plugin", raising=False)
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "fakequarry" in out and "0.9.1" in out and "FAKE-001" in out


def test_function_arguments_are_type_checked_at_load(plugin: QuarryPlugin, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "pack: bad\napplies_to: [quarry]\nrules:\n"
        "  - id: B-1\n    title: t\n    when: quarry_half('x') > 1\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleLoadError) as caught:
        Screener([bad], builtin=False, plugins=[plugin])
    assert str(caught.value).startswith(f"{bad}:6:11:")


class SlowChecker:
    """A plugin whose check sleeps, and whose enrichment oversteps its declared fields."""

    riskscreen_plugin_name = "slow"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    @hookimpl
    def riskscreen_derived(self) -> Mapping[str, str]:
        return {"slow_flag": "bool"}

    @hookimpl
    def riskscreen_enrich(self) -> Mapping[str, Any]:
        return {"slow_flag": True, "quarry_in_season": False, "is_night": True}

    @hookimpl
    def riskscreen_check(self) -> list[CheckFinding]:
        time.sleep(self.seconds)
        return [CheckFinding(rule_id="SLOW-1", title="慢", severity="low", message="慢")]


def test_a_late_check_is_discarded_and_recorded(plugin: QuarryPlugin) -> None:
    screener = Screener(plugins=[plugin, SlowChecker(0.3)], settings=Settings(plugin_time_budget=0.05))
    result = screener.screen(quarry(depth_m=12))
    assert [(e.plugin, e.hook) for e in result.plugin_errors if e.hook == "riskscreen_check"] == [
        ("slow", "riskscreen_check")
    ]
    assert "time budget" in result.plugin_errors[-1].message
    assert result.alert is not None and "SLOW-1" not in {f.rule_id for f in result.alert.findings}


class HangingChecker:
    """A plugin whose check blocks until the test releases it."""

    riskscreen_plugin_name = "hanging"

    def __init__(self) -> None:
        self.release = threading.Event()
        self.finished = False

    @hookimpl
    def riskscreen_check(self) -> list[CheckFinding]:
        self.release.wait(timeout=30)
        self.finished = True
        return [CheckFinding(rule_id="HANG-1", title="挂起", severity="low", message="挂起")]


def test_the_watchdog_abandons_a_hanging_check(plugin: QuarryPlugin) -> None:
    hanging = HangingChecker()
    settings = Settings(plugin_time_budget=0.2, plugin_watchdog=True)
    try:
        result = Screener(plugins=[plugin, hanging], settings=settings).screen(quarry(depth_m=12))
        # screening returned while the plugin was still blocked: it did not wait for it
        assert not hanging.finished
    finally:
        hanging.release.set()
    assert any(e.plugin == "hanging" and "time budget" in e.message for e in result.plugin_errors)
    assert result.alert is not None and {f.rule_id for f in result.alert.findings} == {"QP-001", "QR-001"}


def test_a_plugin_cannot_overwrite_fields_it_does_not_own(plugin: QuarryPlugin) -> None:
    screener = Screener(plugins=[plugin, SlowChecker(0)])
    result = screener.screen(quarry(depth_m=12))
    overstep = [e for e in result.plugin_errors if e.hook == "riskscreen_enrich"]
    assert len(overstep) == 1 and "is_night, quarry_in_season" in overstep[0].message
    # quarry's own derived field kept its value: QR-001 (needs quarry_in_season) still fires
    assert result.alert is not None and "QR-001" in {f.rule_id for f in result.alert.findings}


class JunkChecker:
    """A plugin whose check returns something that is not findings."""

    riskscreen_plugin_name = "junk"

    @hookimpl
    def riskscreen_check(self) -> Any:
        return [{"rule_id": "J-1"}]


def test_a_check_returning_junk_is_recorded(plugin: QuarryPlugin) -> None:
    result = Screener(plugins=[plugin, JunkChecker()]).screen(quarry(depth_m=12))
    assert [e.plugin for e in result.plugin_errors] == ["junk"]
    assert result.alert is not None and {f.rule_id for f in result.alert.findings} == {"QP-001", "QR-001"}


class FailingFunction:
    """A plugin function that raises for some inputs."""

    riskscreen_plugin_name = "failing"

    @hookimpl
    def riskscreen_functions(self) -> Mapping[str, Any]:
        def quarry_limit_m(kv: float) -> float:
            if kv > 500:
                raise ValueError(f"no clearance known for {kv:g} kV")
            return 6.0

        return {"quarry_limit_m": quarry_limit_m}


def test_a_failing_function_makes_the_rule_insufficient_with_its_reason(
    plugin: QuarryPlugin, tmp_path: Path
) -> None:
    pack = tmp_path / "limit.yaml"
    pack.write_text(
        "pack: limit\napplies_to: [quarry]\nrules:\n"
        "  - id: L-1\n    title: t\n    when: attrs.depth_m < quarry_limit_m(attrs.depth_m * 100)\n",
        encoding="utf-8",
    )
    screener = Screener([pack], builtin=False, plugins=[plugin, FailingFunction()])
    result = screener.screen(quarry(depth_m=8))
    (lacking,) = [i for i in result.insufficient if i.rule_id == "L-1"]
    assert lacking.error is not None and "no clearance known for 800 kV" in lacking.error


class PlainResults:
    """Plugin functions giving text and truth values, one of them of the wrong type."""

    riskscreen_plugin_name = "plain"

    @hookimpl
    def riskscreen_functions(self) -> Mapping[str, Any]:
        def depth_label(depth: float) -> str:
            return "深" if depth > 10 else "浅"

        def is_deep(depth: float) -> bool:
            return depth > 10

        def says_deep(depth: float) -> bool:
            return "是" if depth > 10 else ""  # type: ignore[return-value]  # declared bool, gives text

        return {"depth_label": depth_label, "is_deep": is_deep, "says_deep": says_deep}


def test_functions_giving_text_or_truth_values_decide_as_rule_engine(
    plugin: QuarryPlugin, tmp_path: Path
) -> None:
    # a str or bool result is checked once per call site by compiled code: the same outcome
    # (a finding, no finding, or the rule undecided with rule-engine's message) as interpreted
    pack = tmp_path / "plain.yaml"
    pack.write_text(
        "pack: plain\napplies_to: [quarry]\nrules:\n"
        '  - id: P-1\n    title: t\n    when: depth_label(attrs.depth_m) == "深"\n'
        "  - id: P-2\n    title: t\n    when: is_deep(attrs.depth_m)\n"
        "  - id: P-3\n    title: t\n    when: says_deep(attrs.depth_m)\n",
        encoding="utf-8",
    )
    from riskscreen.engine.evaluator import Interpreter

    compiled = Screener([pack], builtin=False, plugins=[plugin, PlainResults()])
    interpreted = Screener([pack], builtin=False, plugins=[plugin, PlainResults()], evaluator=Interpreter())
    for depth in (12, 3, 12, 3):  # again: what a call site learnt the first time holds
        results = [s.screen(quarry(depth_m=depth)) for s in (compiled, interpreted)]
        assert results[0].model_dump_json() == results[1].model_dump_json()
        fired = {f.rule_id for f in results[0].alert.findings} if results[0].alert else set()
        assert fired & {"P-1", "P-2"} == ({"P-1", "P-2"} if depth > 10 else set())
        (wrong,) = [i for i in results[0].insufficient if i.rule_id == "P-3"]
        assert wrong.error is not None and "mismatch on returned value" in wrong.error


def test_functions_can_read_the_plugin_configuration(plugin: QuarryPlugin, tmp_path: Path) -> None:
    pack = tmp_path / "cap.yaml"
    pack.write_text(
        "pack: cap\napplies_to: [quarry]\nrules:\n"
        "  - id: C-1\n    title: t\n    when: quarry_over_cap(attrs.depth_m)\n",
        encoding="utf-8",
    )

    def fired(settings: Settings) -> set[str]:
        result = Screener([pack], builtin=False, plugins=[plugin], settings=settings).screen(
            quarry(depth_m=12)
        )
        return {f.rule_id for f in result.alert.findings} if result.alert else set()

    assert "C-1" in fired(Settings())
    assert "C-1" not in fired(Settings(plugins={"quarry": {"max_depth_m": 20}}))


class FollowUp:
    """A check that builds on what the YAML rules found."""

    riskscreen_plugin_name = "followup"

    def __init__(self) -> None:
        self.seen: list[tuple[str, ...]] = []

    @hookimpl
    def riskscreen_check(self, findings: tuple[Any, ...]) -> list[CheckFinding]:
        self.seen.append(tuple(f.rule_id for f in findings))
        if any(f.rule_id == "QR-001" for f in findings):
            return [CheckFinding(rule_id="FU-1", title="跟进", severity="info", message="已有规则命中")]
        return []


def test_checks_see_the_rule_findings_but_not_other_plugins_findings(plugin: QuarryPlugin) -> None:
    follow = FollowUp()
    result = Screener(plugins=[plugin, follow]).screen(quarry(depth_m=12))
    assert follow.seen == [("QR-001",)]  # the rules' findings only, not quarry's check QP-001
    assert result.alert is not None and "FU-1" in {f.rule_id for f in result.alert.findings}
