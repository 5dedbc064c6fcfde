"""The candidate index: applicable rules resolved once per date and place, rules fused per category."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from riskscreen import Screener
from riskscreen.engine.plan import RuleIndex, fuse
from riskscreen.engine.record import MissingValueError, Record
from riskscreen.models import Location
from tests.helpers import observation

PACK = """
pack: seasonal
version: 1.0.0
applies_to: [well_drilling]
categories:
  well_drilling:
    attrs: {depth_m: float, has_permit: bool, zone: string}
rules:
  - id: ALWAYS
    title: t
    when: attrs.depth_m > 10
  - id: SUMMER
    title: t
    when: attrs.depth_m > 10
    valid_from: 06-01
    valid_until: 08-31
  - id: NORTH
    title: t
    when: not attrs.has_permit
    unless: attrs.zone == "ok"
    jurisdiction: {district: [北管区]}
  - id: BROKEN
    title: t
    when: attrs.zone =~ "a" and attrs.depth_m > 1
"""


def _index(screener: Screener) -> RuleIndex:
    return RuleIndex(screener.ruleset.candidates)


def test_validity_and_jurisdiction_are_resolved_before_evaluation(
    screener_from: Callable[..., Screener],
) -> None:
    index = _index(screener_from(PACK))
    north = Location(district="北管区")
    south = Location(district="南管区")
    ids = [r.id for r in index.applicable("well_drilling", date(2026, 7, 1), north)]
    assert ids == ["ALWAYS", "SUMMER", "NORTH", "BROKEN"]
    ids = [r.id for r in index.applicable("well_drilling", date(2026, 12, 1), south)]
    assert ids == ["ALWAYS", "BROKEN"]
    # the same date and place give the very same resolved set
    first = index.applicable("well_drilling", date(2026, 7, 1), north)
    assert index.applicable("well_drilling", date(2026, 7, 1), Location(district="北管区")) is first
    assert index.applicable("flood", date(2026, 7, 1), north) == ()


def _per_rule(rules: Any, record: Record) -> list[tuple[str, Any]]:
    outcomes: list[tuple[str, Any]] = []
    for rule in rules:
        try:
            if not rule.when_predicate(record):
                continue
            if rule.unless_predicate is not None and rule.unless_predicate(record):
                continue
        except MissingValueError as missing:
            outcomes.append((rule.id, ("missing", missing.path)))
            continue
        except Exception as exc:
            outcomes.append((rule.id, type(exc).__name__))
            continue
        outcomes.append((rule.id, None))
    return outcomes


def test_fused_evaluation_gives_each_rules_own_outcome(screener_from: Callable[..., Screener]) -> None:
    screener = screener_from(PACK)
    index = _index(screener)
    rules = index.applicable("well_drilling", date(2026, 7, 1), Location(district="北管区"))
    cases: list[dict[str, Any]] = [
        {"depth_m": 20, "has_permit": False, "zone": "a"},
        {"depth_m": 5, "has_permit": False, "zone": "ok"},
        {"has_permit": True},
        {"depth_m": "deep", "has_permit": "no", "zone": 3},  # unvalidated: the interpreter decides
        {},
    ]
    for attrs in cases:
        symbols = {"attrs": attrs, "status": "new"}
        north = Location(district="北管区")
        fused = index.evaluate("well_drilling", date(2026, 7, 1), north, Record(symbols))
        got = [
            (rule.id, None if failure is None else ("missing", failure.path))
            if failure is None or isinstance(failure, MissingValueError)
            else (rule.id, type(failure).__name__)
            for rule, failure in fused
        ]
        assert got == _per_rule(rules, Record(symbols)), attrs


def test_fused_function_reports_fired_missing_and_undecided_rules(
    screener_from: Callable[..., Screener],
) -> None:
    screener = screener_from(PACK)
    rules = screener.ruleset.candidates("well_drilling")
    function = fuse(rules)
    events = function(Record({"attrs": {"depth_m": 20, "has_permit": True, "zone": 7}}))
    assert 0 in events and 1 in events  # ALWAYS and SUMMER fired
    assert (3, None) in events  # BROKEN met a number where a string was expected: ask the rule
    missing = function(Record({"attrs": {}}))
    expected = [(0, "attrs.depth_m"), (1, "attrs.depth_m"), (2, "attrs.has_permit"), (3, "attrs.zone")]
    assert [(i, e.path) for i, e in missing] == expected


def test_screening_results_do_not_depend_on_fusion(screener_from: Callable[..., Screener]) -> None:
    screener = screener_from(PACK)
    records = [
        observation(attrs={"depth_m": 20, "has_permit": False}, reported_at="2026-07-01T09:00:00+08:00"),
        observation(attrs={"depth_m": 20, "zone": "ok"}, reported_at="2026-12-01T09:00:00+08:00"),
        observation(attrs={"zone": "abc", "depth_m": 3}),
    ]
    fused = [screener.screen(r).model_dump_json() for r in records]
    # the same rules evaluated one by one through their predicates
    for plan in screener._index._categories["well_drilling"].plans.values():
        count = len(plan.rules)
        plan.fused = lambda record, count=count: [(i, None) for i in range(count)]
    assert [screener.screen(r).model_dump_json() for r in records] == fused


def test_threads_sharing_a_screener_get_the_serial_results() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from riskscreen.readers import read_records

    screener = Screener()
    records = [r for r in read_records("examples/observations.jsonl") if isinstance(r, dict)]
    expected = [screener.screen(r, i).model_dump_json() for i, r in enumerate(records)]
    fresh = Screener()  # plans, caches and lazily built parts are first built under contention
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = pool.map(lambda pair: fresh.screen(pair[1], pair[0]), enumerate(records))
        got = [result.model_dump_json() for result in results]
    assert got == expected


def test_plugin_record_hooks_run_once_per_record_whatever_the_number_of_rules() -> None:
    from collections.abc import Mapping

    from riskscreen import hookimpl
    from riskscreen.readers import read_records

    calls = {"enrich": 0, "check": 0}

    class Counting:
        @hookimpl
        def riskscreen_enrich(self, observation: Any, derived: Any, config: Any) -> Mapping[str, Any] | None:
            calls["enrich"] += 1
            return None

        @hookimpl
        def riskscreen_check(self, observation: Any, record: Any, config: Any, findings: Any) -> None:
            calls["check"] += 1

    screener = Screener(plugins=[Counting()])
    records = [r for r in read_records("examples/observations.jsonl") if isinstance(r, dict)][:50]
    results = [screener.screen(r) for r in records]
    screened = sum(1 for r in results if r.error is None)
    assert len(screener.ruleset.rules) > 50
    assert calls == {"enrich": screened, "check": screened}
