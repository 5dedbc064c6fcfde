"""Every rule of the shipped packs and plugins: compiled and interpreted agree on generated observations."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskscreen import Screener
from riskscreen.engine.compiler import source_of
from riskscreen.engine.evaluator import Interpreter
from riskscreen.engine.record import Record
from riskscreen.models import Observation
from riskscreen.packs.cache import CACHE_ENV
from tests.compiler_support import outcome

_TEXTS = ["none", "major", "ordinary", "餐饮", "小餐饮", "耕地", "河道", "禁采区", "x"]
_WORDS = ["受伤", "无人员伤亡", "起火", "未发生爆炸", "打井", "挖砂", "漏水", "隐患", "火情可能", ""]


@pytest.fixture(scope="module")
def screeners() -> tuple[Screener, Screener]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, "off")  # compile here, not from an earlier process
        return Screener(), Screener(evaluator=Interpreter())


def _value(kind: str) -> st.SearchStrategy[Any]:
    inner = kind[5:-1] if kind.startswith("list[") else kind
    scalar: st.SearchStrategy[Any] = {
        "string": st.sampled_from(_TEXTS),
        "int": st.one_of(st.sampled_from([0, 1, 2, 3, 5, 10, 30, 100]), st.integers(0, 500)),
        "float": st.one_of(st.sampled_from([0.0, 0.5, 1.0, 25.0, 50.0, 80.0]), st.floats(0, 5000)),
        "bool": st.booleans(),
        "datetime": st.sampled_from(["2026-05-01T08:00:00+08:00", "2026-06-30T09:00:00+08:00"]),
    }.get(inner, st.none())
    return st.lists(scalar, max_size=3) if kind.startswith("list[") else scalar


@st.composite
def observations(draw: st.DrawFn, screener: Screener) -> dict[str, Any]:
    registry = screener.ruleset.registry
    category = draw(st.sampled_from(registry.names))
    attrs: dict[str, Any] = {}
    for name, kind in registry.attr_types(category).items():
        if draw(st.integers(0, 9)) > 0:  # mostly present
            attrs[name] = draw(_value(kind.name))
    # attributes of other categories arrive unvalidated: general rules may read them
    other = draw(st.sampled_from(registry.names))
    for name in draw(st.lists(st.sampled_from(sorted(registry.attr_types(other)) or ["x"]), max_size=3)):
        attrs.setdefault(name, draw(st.one_of(st.integers(-1, 5), st.booleans(), st.just("text"))))
    return {
        "id": "obs-1",
        "kind": draw(st.sampled_from(["patrol", "complaint", "incident"])),
        "category": category,
        "reported_at": draw(st.sampled_from(["2026-07-01T09:00:00+08:00", "2026-01-15T23:30:00+08:00"])),
        "occurred_at": draw(st.sampled_from([None, "2026-06-30T22:00:00+08:00"])),
        "location": {"district": draw(st.sampled_from(["北管区", "南管区"])), "village": "东村"},
        "reporter": {"role": draw(st.sampled_from(["hotline", "grid_worker", "citizen"]))},
        "description": "".join(draw(st.lists(st.sampled_from(_WORDS), max_size=3))),
        "status": draw(st.sampled_from(["new", "in_progress", "closed"])),
        "attrs": attrs,
        "history": {
            "reports_7d": draw(st.integers(0, 6)),
            "reports_30d": draw(st.integers(0, 12)),
            "rectified_before": draw(st.booleans()),
        },
    }


def test_every_shipped_rule_is_compiled(screeners: tuple[Screener, Screener]) -> None:
    compiled, _ = screeners
    assert len(compiled.ruleset.rules) > 50
    for rule in compiled.ruleset.rules:
        assert source_of(rule.when_predicate) is not None, rule.id


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_shipped_rules_agree_on_generated_observations(
    screeners: tuple[Screener, Screener], data: st.DataObject
) -> None:
    compiled, interpreted = screeners
    raw = data.draw(observations(compiled))
    # and the whole result, fused evaluation included
    assert compiled.screen(raw).model_dump_json() == interpreted.screen(raw).model_dump_json()
    observation = compiled.validate(raw)
    if not isinstance(observation, Observation):  # a plugin model's constraint was not met
        return
    symbols = compiled.record_for(observation).symbols
    for rule in compiled.ruleset.candidates(observation.category):
        twin = interpreted.ruleset.rule(rule.id)
        assert twin is not None
        pairs = [(rule.when_predicate, twin.when_predicate)]
        if rule.unless_predicate is not None and twin.unless_predicate is not None:
            pairs.append((rule.unless_predicate, twin.unless_predicate))
        for fast, slow in pairs:
            assert outcome(fast, Record(symbols)) == outcome(slow, Record(symbols)), rule.id
