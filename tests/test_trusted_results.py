"""Results built without validation are exactly the results pydantic's constructors build.

The screener builds findings, alerts and results from values it already checked
(:func:`riskscreen.construct.trusted`); under :func:`~riskscreen.construct.validating`
every one of them goes through the models' validating constructors instead. Both must give
the same ``model_dump()``, the same JSON and equal models, on the shipped sample and on
the benchmark workloads (calm and alert-heavy).
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskscreen import Screener
from riskscreen.cli.compact import Compacting, pretty
from riskscreen.construct import trusted, validating
from riskscreen.models import Finding, Insufficient, ScreenResult
from riskscreen.readers import read_records
from riskscreen.results import alert_indented, encode_alert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import workload  # noqa: E402  (the benchmarks' generator, not an installed module)


def _same(records: list[Any], screener: Screener) -> int:
    fast = list(screener.iter_screen(records))
    with validating():
        reference = list(screener.iter_screen(records))
    assert len(fast) == len(reference)
    for mine, theirs in zip(fast, reference, strict=True):
        assert mine.model_dump() == theirs.model_dump()
        assert mine.model_dump_json() == theirs.model_dump_json()
        assert mine == theirs
        assert mine.model_fields_set == theirs.model_fields_set
    _same_plain(records, screener, reference)
    return sum(r.alert is not None for r in fast)


def _same_plain(records: list[Any], screener: Screener, reference: list[ScreenResult]) -> None:
    """Alerts as plain data (``screen_plain``) write the validated alert's JSON; the rest is ``screen``'s."""
    lines, models = Compacting("jsonl", None), Compacting("jsonl", None)
    document, rows = Compacting("json", None), Compacting("csv", None)
    for index, (record, theirs) in enumerate(zip(records, reference, strict=True)):
        plain = screener.screen_plain(copy.deepcopy(record), index)
        if isinstance(plain, dict):
            assert theirs.alert is not None
            assert encode_alert(plain) == theirs.alert.model_dump_json()
            assert screener._results.alert_from(plain) == theirs.alert
        else:
            assert plain == theirs and theirs.alert is None
        # what --format jsonl keeps of the record, written from the data or from the models
        assert lines(screener, copy.deepcopy(record), index) == models.compact(theirs)
        # and what --format json and csv keep of it (written from the alert's data)
        assert document(screener, copy.deepcopy(record), index) == document.compact(theirs)
        assert rows(screener, copy.deepcopy(record), index) == rows.compact(theirs)


def test_the_shipped_sample() -> None:
    records = list(read_records(str(ROOT / "examples" / "observations.jsonl"), None, "utf-8-sig"))
    assert _same(records, Screener()) > 0


@pytest.mark.parametrize(("firing", "quiet"), [(None, 0.0), (workload.HEAVY_FIRING, workload.HEAVY_QUIET)])
def test_the_benchmark_workloads(tmp_path: Path, firing: float | None, quiet: float) -> None:
    workload.write_packs(workload.generate_rules(200, 10, firing=firing), tmp_path / "packs")
    records = list(workload.observations(400, 10, quiet=quiet))
    alerts = _same(records, Screener([tmp_path / "packs"], builtin=False))
    assert alerts > 100


def test_defaults_are_fresh_and_required_fields_required() -> None:
    first = trusted(Insufficient, rule_id="R-1", missing=[])
    second = trusted(Insufficient, rule_id="R-2", missing=[])
    assert first == Insufficient(rule_id="R-1", missing=[])
    result = trusted(ScreenResult, index=0, observation_id="a", status="no_alert")
    other = trusted(ScreenResult, index=1, observation_id="b", status="no_alert")
    assert result.insufficient is not other.insufficient  # a default list is never shared
    assert first.model_dump_json() == '{"rule_id":"R-1","missing":[]}' != second.model_dump_json()
    with pytest.raises(TypeError, match="title is required"):
        trusted(Finding, rule_id="R-1", pack="p", severity="low", score=1.0, message="m", source="s")


_texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_places = st.fixed_dictionaries(
    {},
    optional={
        "district": st.one_of(st.none(), _texts),
        "village": st.one_of(st.none(), _texts, st.just('王庄"\\\n\u2028🚧')),
        "address": _texts,
        "grid_id": st.none(),
        "lat": st.floats(-90, 90, allow_nan=False),
        "lon": st.floats(-180, 180, allow_nan=False),
    },
)
SAMPLE = [r for r in read_records(str(ROOT / "examples" / "observations.jsonl"), None, "utf-8-sig")]
_SHIPPED = Screener()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([r for r in SAMPLE if isinstance(r, dict)]), _texts, _places, st.booleans())
def test_plain_alerts_write_the_models_json_for_any_text(
    record: dict[str, Any], identifier: str, place: dict[str, Any], in_utc: bool
) -> None:
    # ids, places and times as people send them: quotes, control characters, line
    # separators, emoji, empty parts and coordinates, times in another zone
    record = {**copy.deepcopy(record), "id": identifier or "x", "location": place}
    if in_utc and isinstance(record.get("reported_at"), str):
        record["reported_at"] = record["reported_at"][:19] + "Z"
    with validating():
        theirs = _SHIPPED.screen(copy.deepcopy(record), 3)
    plain = _SHIPPED.screen_plain(copy.deepcopy(record), 3)
    if isinstance(plain, dict):
        assert theirs.alert is not None
        assert encode_alert(plain) == theirs.alert.model_dump_json()
        assert json.loads(encode_alert(plain)) == json.loads(theirs.alert.model_dump_json())
    else:
        assert plain == theirs


def test_json_alerts_holding_a_float_python_writes_otherwise_come_from_the_model() -> None:
    # --format json is json.dumps of the model's JSON mode: Python writes 1e-05 where orjson
    # writes 0.00001, so such an alert is written from its model, as before
    record = next(r for r in SAMPLE if isinstance(r, dict) and isinstance(_SHIPPED.screen_plain(r), dict))
    plain = _SHIPPED.screen_plain(copy.deepcopy(record))
    assert isinstance(plain, dict)

    class Tiny(Screener):
        def screen_plain(self, data: Any, index: int = 0) -> ScreenResult | dict[str, Any]:
            found = _SHIPPED.screen_plain(data, index)
            if isinstance(found, dict):
                found["findings"][0] = {**found["findings"][0], "values": {"attrs.depth_m": 1e-05}}
            return found

    tiny = Tiny.__new__(Tiny)
    tiny.__dict__.update(_SHIPPED.__dict__)
    kept = Compacting("json", None)(tiny, copy.deepcopy(record), 0)
    assert kept.shows == "alert" and '"attrs.depth_m": 1e-05' in kept.encoded
    data = tiny.screen_plain(copy.deepcopy(record))
    assert isinstance(data, dict) and alert_indented(data) is None
    assert kept.encoded == pretty(_SHIPPED._results.alert_from(data))
