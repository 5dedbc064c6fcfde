"""Results built without validation are exactly the results pydantic's constructors build.

The screener builds findings, alerts and results from values it already checked
(:func:`riskscreen.construct.trusted`); under :func:`~riskscreen.construct.validating`
every one of them goes through the models' validating constructors instead. Both must give
the same ``model_dump()``, the same JSON and equal models, on the shipped sample and on
the benchmark workloads (calm and alert-heavy).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from riskscreen import Screener
from riskscreen.construct import trusted, validating
from riskscreen.models import Finding, Insufficient, ScreenResult
from riskscreen.readers import read_records

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
    return sum(r.alert is not None for r in fast)


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
