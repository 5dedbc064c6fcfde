"""Absent values across the four plugins: whatever a report leaves out, insufficient evidence
names observation fields a worker can collect, never an internal derived field."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskscreen.attributes import AttributeInfo, category_reference, example_value
from tests.helpers import shipped_screener

PLUGIN_CATEGORIES = ("construction", "machinery", "sand_digging", "well_drilling")


screener = shipped_screener  # built once per session


def test_every_derived_field_of_the_plugins_declares_its_inputs() -> None:
    inputs = screener().missing_inputs.inputs
    derived = screener().ruleset.derived
    assert set(derived) <= set(inputs), sorted(set(derived) - set(inputs))


def _values(attribute: AttributeInfo) -> st.SearchStrategy[Any]:
    if attribute.values:
        one = st.sampled_from(list(attribute.values))
        return st.lists(one, max_size=2) if attribute.type.startswith("list[") else one
    kind = attribute.type
    if kind == "bool":
        return st.booleans()
    if kind == "int":
        return st.integers(1, 5)
    if kind == "float":
        big = [60_000.0, 900_000.0] if attribute.name == "value_cny" else [100.0]
        return st.sampled_from([0.5, 1.0, 3.0, 10.0, *big])
    return st.just(example_value(attribute))


@st.composite
def reports(draw: st.DrawFn) -> dict[str, Any]:
    category = draw(st.sampled_from(PLUGIN_CATEGORIES))
    (info,) = category_reference(screener().ruleset.registry, [category])
    chosen = draw(st.lists(st.sampled_from(info.attributes), unique_by=lambda a: a.name, max_size=6))
    attrs = {a.name: draw(_values(a)) for a in chosen}
    return {
        "id": "r-1",
        "category": category,
        "reported_at": draw(st.sampled_from(["2026-03-01T10:00:00+08:00", "2026-07-20T23:30:00+08:00"])),
        "location": {"village": "东村"},
        "attrs": attrs,
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=reports())
def test_insufficient_evidence_never_names_a_derived_field(report: dict[str, Any]) -> None:
    result = screener().screen(report)
    assert result.status != "error", result.error
    named = [path for entry in result.insufficient for path in entry.missing]
    assert not [p for p in named if p.startswith("derived.")], (report["attrs"], named)
    # a check or rule listed as undecided says what it would add, for could_be
    assert all(entry.score is not None for entry in result.insufficient if entry.error is None)


def test_explain_asks_for_the_attributes_behind_a_derived_field() -> None:
    from riskscreen.explain import explain

    report = {
        "id": "s-1",
        "category": "sand_digging",
        "reported_at": "2026-07-20T10:00:00+08:00",
        "attrs": {"sand_permit": "none", "in_no_mining_zone": True},
    }
    rules = {r.rule_id: r for r in explain(screener(), report).rules}
    near = rules["SAND-007"]
    assert near.outcome == "insufficient"
    assert "attrs.structure_type" in near.summary and "上报缺少 derived." not in near.summary
