"""``iter_screen``: a list is validated a few records ahead, with the results one by one gives."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskscreen import Screener
from riskscreen.jsonline import JsonLine
from riskscreen.models import ScreenResult
from riskscreen.readers import read_records
from riskscreen.results import encode_alert
from riskscreen.settings import Settings
from riskscreen.steps import plain_in_steps

ROOT = Path(__file__).resolve().parents[1]
SCREENER = Screener()
SAMPLE = list(read_records(str(ROOT / "examples" / "observations.jsonl"), None, "utf-8-sig"))
LINES = list(read_records(str(ROOT / "examples" / "observations.jsonl"), None, "utf-8-sig", lines=True))
# the sample's valid and invalid records, a JSON line that is not an object, and odd inputs
_RECORDS = st.sampled_from([*SAMPLE[:80], *LINES[:40], JsonLine("[1, 2]", 9), "text", None, {}])


def _dumps(results: Any) -> list[str]:
    return [result.model_dump_json() for result in results]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_RECORDS, max_size=45))
def test_a_list_screens_as_each_record_on_its_own(records: list[Any]) -> None:
    # lengths around the chunk size, error records among valid ones: same results, same indexes
    one_by_one = [SCREENER.screen(copy.deepcopy(r), index) for index, r in enumerate(records)]
    held = list(SCREENER.iter_screen(copy.deepcopy(records)))
    as_tuple = list(SCREENER.iter_screen(tuple(copy.deepcopy(records))))
    streamed = list(SCREENER.iter_screen(iter(copy.deepcopy(records))))
    assert _dumps(held) == _dumps(as_tuple) == _dumps(streamed) == _dumps(one_by_one)
    assert [r.index for r in held] == list(range(len(records)))


def test_strict_mode_errors_come_in_their_place() -> None:
    strict = Screener(settings=Settings(strict=True))
    records = [r for r in SAMPLE if isinstance(r, dict)][:20]
    records[3] = {**records[3], "attrs": {**records[3].get("attrs", {}), "depht_m": 3}}
    records[17] = {**records[17], "attrs": {"no_such_attribute": 1}}
    held = list(strict.iter_screen(copy.deepcopy(records)))
    assert _dumps(held) == _dumps(strict.screen(copy.deepcopy(r), i) for i, r in enumerate(records))
    assert held[3].status == held[17].status == "error" and held[4].status != "error"


def test_the_sample_gives_the_same_batch_from_a_list_and_from_the_reader() -> None:
    path = str(ROOT / "examples" / "observations.jsonl")
    from_list = SCREENER.screen_many(list(read_records(path, lines=True)))
    from_reader = SCREENER.screen_many(read_records(path, lines=True))
    assert from_list.model_dump_json() == from_reader.model_dump_json()
    assert from_list.summary.errors > 0 and from_list.summary.alerts > 0


def test_records_from_other_iterables_are_not_read_ahead() -> None:
    # a queue or a pipe: each result comes out before the next record is asked for
    asked: list[int] = []

    def source() -> Iterator[dict[str, Any]]:
        for index, record in enumerate(r for r in SAMPLE[:30] if isinstance(r, dict)):
            asked.append(index)
            yield record

    results = SCREENER.iter_screen(source())
    next(results)
    assert asked == [0]
    next(results)
    assert asked == [0, 1]


def test_a_list_that_grows_while_screened_is_screened_to_its_end() -> None:
    records: list[Any] = [r for r in SAMPLE if isinstance(r, dict)][:3]
    seen = []
    for result in SCREENER.iter_screen(records):
        seen.append(result.index)
        if len(records) < 40:
            records.append(copy.deepcopy(SAMPLE[len(records)]))
    assert seen == list(range(40))


def test_plain_in_steps_gives_what_screen_plain_gives() -> None:
    records = [*SAMPLE[:50], *LINES[200:240]]
    stepped = plain_in_steps(SCREENER, copy.deepcopy(records), indexes=range(7, 7 + len(records)))
    one_by_one = [SCREENER.screen_plain(copy.deepcopy(r), 7 + k) for k, r in enumerate(records)]
    assert len(stepped) == len(one_by_one) == len(records)
    for mine, theirs in zip(stepped, one_by_one, strict=True):
        if isinstance(theirs, dict):
            assert isinstance(mine, dict) and encode_alert(mine) == encode_alert(theirs)
        else:
            assert isinstance(mine, ScreenResult) and mine.model_dump_json() == theirs.model_dump_json()
    assert any(isinstance(r, dict) for r in stepped) and any(isinstance(r, ScreenResult) for r in stepped)
