"""Chunking is invisible: any chunk size gives the same cases and the same history as one report at a time."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskscreen import Screener
from riskscreen.store import Tracker, TrackerOptions

from .helpers import report

ADDRESSES = ["东村1号", "东村 1号", "东村一号", "东村2号", "西村3号"]

reports_strategy = st.lists(
    st.tuples(
        st.integers(0, len(ADDRESSES) - 1),  # where (three spellings of one site)
        st.integers(1, 28),  # which day of November
        st.integers(0, 23),  # which hour
        st.integers(0, 3),  # danger: 0 no alert, 1 P3, 3 P1
    ),
    min_size=1,
    max_size=25,
)


def _store(
    screener: Screener, records: list[dict[str, Any]], chunk_size: int, folder: Path
) -> tuple[Any, ...]:
    with Tracker(
        screener, f"sqlite:///{folder / f'c{chunk_size}.db'}", options=TrackerOptions(chunk_size=chunk_size)
    ) as tracker:
        summary = tracker.ingest(records)
        cases = [
            (c.site, c.status, c.priority, c.reports, c.observation_ids, c.rule_ids, [e.what for e in c.log])
            for c in tracker.cases()
        ]
        stored = [(r.observation_id, r.status, r.priority, r.rule_ids, r.case_id) for r in tracker.reports()]
    counts = (summary.new, summary.merged, summary.reopened, summary.lifted, summary.alerts, summary.no_alert)
    return counts, cases, stored


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reports_strategy, st.integers(2, 30))
def test_any_chunk_size_gives_what_one_report_at_a_time_gives(
    screener: Screener, drawn: list[tuple[int, int, int, int]], chunk_size: int
) -> None:
    records = [
        report(f"r{i}", f"2026-11-{day:02d}T{hour:02d}:00", address=ADDRESSES[where], danger=danger)
        for i, (where, day, hour, danger) in enumerate(drawn)
    ]
    with tempfile.TemporaryDirectory() as scratch:
        one_by_one = _store(screener, records, 1, Path(scratch))
        chunked = _store(screener, records, chunk_size, Path(scratch))
    assert chunked == one_by_one
