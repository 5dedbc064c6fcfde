"""The weekly report's numbers, computed from generated case histories (no database)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings

from riskscreen.report import PeriodError, date_range, parse_week, weekly, wilson_interval
from riskscreen.report.model import PRIORITY_KEYS, Counts
from riskscreen.report.precision import rule_precision
from riskscreen.report.timeline import timeline
from riskscreen.store.models import Case, CaseLogEntry

from .histories import W48, ZONE, build_case, case_histories, random_cases

NOW = W48 + timedelta(days=10)
COUNT_FIELDS = ("open_at_start", "new", "merged", "reopened", "resolved", "in_progress", "overdue")


def summed(rows: list[Counts]) -> Counts:
    total = Counts()
    for row in rows:
        total.add(row)
    return total


@settings(max_examples=60, deadline=None)
@given(case_histories())
def test_totals_are_the_sum_of_every_breakdown_and_the_flow_balances(cases: list[Case]) -> None:
    report = weekly(cases, "2026-W48", now=NOW)
    for rows in (report.by_district, report.by_village, report.by_category):
        assert summed(list(rows)) == report.totals
    for counts in [
        report.totals,
        report.previous,
        *report.by_district,
        *report.by_village,
        *report.by_category,
    ]:
        # in progress at the end = open at the start + new + reopened - resolved, row by row
        assert counts.in_progress == counts.open_at_start + counts.new + counts.reopened - counts.resolved
        assert sum(counts.by_priority[k] for k in PRIORITY_KEYS) == counts.new
        assert 0 <= counts.overdue <= counts.in_progress
    # a week's end is the next week's start
    assert report.previous.in_progress == report.totals.open_at_start
    assert report.trend[-1].new == report.totals.new
    assert report.trend[-2].new == report.previous.new
    assert report.change.new == report.totals.new - report.previous.new
    assert report.empty == (not report.by_category)


@settings(max_examples=40, deadline=None)
@given(case_histories())
def test_weekly_new_cases_add_up_to_every_case_opened(cases: list[Case]) -> None:
    first = parse_week("2026-W40")
    weeks = [first]
    while weeks[-1].label != "2026-W52":
        weeks.append(parse_week(f"2026-W{int(weeks[-1].label[-2:]) + 1}"))
    assert sum(weekly(cases, w, now=NOW, trend_weeks=1).totals.new for w in weeks) == len(cases)


def test_a_case_merged_into_then_closed_in_the_week_counts_in_each_column() -> None:
    opened = W48 + timedelta(days=1, hours=9)  # Tuesday 09:00
    case = build_case(
        1, opened, [(2, "merged"), (3, "merged"), (30, "in_progress"), (50, "closed")], priority="P1"
    )
    report = weekly([case], "2026-W48", now=NOW)
    totals = report.totals
    assert (totals.open_at_start, totals.new, totals.merged, totals.resolved, totals.in_progress) == (
        0,
        1,
        2,
        1,
        0,
    )
    assert totals.by_priority["P1"] == 1
    assert report.by_village[0].label == "东村" and report.by_village[0].district == "北管区"
    assert report.by_category[0].label == "房屋建设"


def test_open_cases_carry_over_and_overdue_ones_are_counted() -> None:
    before = W48 - timedelta(days=3)
    late = build_case(1, before, [(5, "escalated")], respond_by=before + timedelta(hours=4))
    on_time = build_case(2, W48 + timedelta(days=6), [], respond_by=NOW + timedelta(days=30))
    report = weekly([late, on_time], "2026-W48", now=NOW)
    assert report.totals.open_at_start == 1
    assert report.totals.in_progress == 2
    assert report.totals.overdue == 1
    assert report.previous.new == 1 and report.change.new == 0


def test_a_deadline_still_ahead_is_not_overdue_in_the_current_week() -> None:
    now = W48 + timedelta(days=2)
    case = build_case(1, W48 + timedelta(hours=1), [], respond_by=W48 + timedelta(days=4))
    assert weekly([case], "2026-W48", now=now).totals.overdue == 0
    assert weekly([case], "2026-W48", now=NOW).totals.overdue == 1


def test_one_village_name_in_two_districts_is_two_rows_keyed_by_district() -> None:
    cases = [
        build_case(1, W48 + timedelta(hours=1), [], village="东村", district="北管区"),
        build_case(2, W48 + timedelta(hours=2), [], village="东村", district="南管区"),
        build_case(3, W48 + timedelta(hours=3), [], village="东村", district="南管区"),
        build_case(4, W48 + timedelta(hours=4), [], village=None, district=None),
    ]
    rows = weekly(cases, "2026-W48", now=NOW).by_village
    assert sorted((r.key, r.label, r.district, r.new) for r in rows) == [
        ("/", "未填写", "未填写", 1),
        ("北管区/东村", "东村", "北管区", 1),
        ("南管区/东村", "东村", "南管区", 2),
    ]


def test_reopened_cases_flow_back_into_progress() -> None:
    case = build_case(1, W48 - timedelta(days=10), [(24, "rectified"), (24 * 11, "reopened")])
    report = weekly([case], "2026-W48", now=NOW)
    assert (report.totals.open_at_start, report.totals.reopened, report.totals.in_progress) == (0, 1, 1)


def test_the_week_is_read_in_local_time() -> None:
    # Sunday 23:30 in Shanghai is Sunday 15:30 UTC: the last minutes of W47, not W48
    case = build_case(1, datetime(2026, 11, 22, 23, 30, tzinfo=ZONE), [])
    assert weekly([case], "2026-W47", now=NOW).totals.new == 1
    assert weekly([case], "2026-W48", now=NOW).totals.new == 0
    # the same instant read in UTC falls in W47 too, but 00:30 Monday Shanghai does not
    monday = build_case(2, datetime(2026, 11, 23, 0, 30, tzinfo=ZONE), [])
    assert weekly([monday], "2026-W48", now=NOW).totals.new == 1
    assert weekly([monday], "2026-W47", now=NOW, timezone_name="UTC").totals.new == 1


def test_an_empty_week_is_a_report_that_says_so() -> None:
    # every case of the store was opened after the week
    report = weekly(random_cases(3, 20, W48 + timedelta(weeks=2), 7), "2026-W48", now=NOW)
    assert report.cases == 20
    assert report.empty
    assert report.totals == Counts()
    assert report.by_village == [] and report.top_rules == []


def test_status_changes_are_replayed_from_the_stores_notes() -> None:
    opened = W48 + timedelta(hours=1)
    log = [
        CaseLogEntry(at=opened, by="tracker", what="opened", note="新案件"),
        CaseLogEntry(at=opened + timedelta(hours=2), by="王", what="status", note="待处理 → 处理中"),
        # a person's note after the colon may name statuses too; the arrow decides
        CaseLogEntry(
            at=opened + timedelta(hours=5),
            by="王",
            what="status",
            note="处理中 → 已整改：原处理中的问题已整改",
        ),
    ]
    case = Case(id="C1", site="s", category="construction", status="rectified", log=log, opened_at=opened)
    line = timeline(case)
    assert [s for _, s in line.changes] == ["open", "in_progress", "rectified"]
    assert weekly([case], "2026-W48", now=NOW).totals.resolved == 1


def test_a_status_the_log_does_not_explain_is_taken_from_the_case() -> None:
    opened = W48 + timedelta(hours=1)
    case = Case(
        id="C1",
        site="s",
        category="construction",
        status="closed",
        disposition="confirmed",
        opened_at=opened,
        closed_at=opened + timedelta(days=1),
        log=[CaseLogEntry(at=opened, by="tracker", what="opened")],
    )
    assert weekly([case], "2026-W48", now=NOW).totals.resolved == 1


def test_rule_precision_counts_closed_dispositions_only() -> None:
    opened = W48 - timedelta(days=20)
    cases = [
        build_case(1, opened, [(1, "closed")], rule_ids=("A",), disposition="confirmed"),
        build_case(2, opened, [(1, "closed")], rule_ids=("A", "B"), disposition="false_alarm"),
        build_case(3, opened, [(1, "closed")], rule_ids=("A",), disposition="duplicate"),
        build_case(4, opened, [(1, "in_progress")], rule_ids=("A",)),
        build_case(5, opened, [(1, "closed")], rule_ids=("A",), disposition="confirmed"),
    ]
    rows = {r.rule_id: r for r in rule_precision(cases)}
    a = rows["A"]
    assert (a.cases, a.dispositions, a.confirmed, a.false_alarm, a.duplicate) == (5, 4, 2, 1, 1)
    assert a.precision == pytest.approx(2 / 3)
    assert a.low is not None and a.high is not None and a.low < 2 / 3 < a.high
    assert rows["B"].precision == 0.0
    # the rule crying wolf comes first
    assert [r.rule_id for r in rule_precision(cases)] == ["B", "A"]
    # a case closed after the period's end has no disposition yet in that period's report
    early = rule_precision(cases, until=opened + timedelta(minutes=30))
    assert all(r.dispositions == 0 and r.precision is None for r in early)


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    # reference values of the Wilson score interval at 95%
    [(0, 10, 0.0, 0.2775), (5, 10, 0.2366, 0.7634), (10, 10, 0.7225, 1.0), (81, 263, 0.2553, 0.3662)],
)
def test_wilson_interval_matches_reference_values(
    successes: int, trials: int, low: float, high: float
) -> None:
    lo, hi = wilson_interval(successes, trials)
    assert lo == pytest.approx(low, abs=5e-4) and hi == pytest.approx(high, abs=5e-4)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-48", "write it as YYYY-Www, e.g. 2026-W48"),
        ("last week", "write it as YYYY-Www, e.g. 2026-W48"),
        ("2026-W54", "2026 has weeks 1 to 53"),
        ("2025-W53", "2025 has weeks 1 to 52"),
    ],
)
def test_a_bad_week_says_what_a_week_looks_like(text: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        parse_week(text)


def test_weeks_and_ranges() -> None:
    week = parse_week("2026-W48")
    assert (week.first, week.last, week.previous().label) == (
        date(2026, 11, 23),
        date(2026, 11, 29),
        "2026-W47",
    )
    assert parse_week("2027w1").first == date(2027, 1, 4)
    assert date_range(date(2026, 11, 23), date(2026, 11, 29)) == week
    month = date_range(date(2026, 11, 1), date(2026, 11, 30))
    assert month.label == "2026-11-01..2026-11-30" and month.previous().first == date(2026, 10, 2)
    with pytest.raises(PeriodError, match="ends"):
        date_range(date(2026, 11, 2), date(2026, 11, 1))


@settings(max_examples=40, deadline=None)
@given(case_histories())
def test_rule_precision_is_bounded_by_its_interval(cases: list[Case]) -> None:
    rows = rule_precision(cases)
    closed = [c for c in cases if c.status == "closed" and c.disposition]
    assert sum(r.dispositions for r in rows) == sum(len(set(c.rule_ids)) for c in closed)
    for row in rows:
        assert row.confirmed + row.false_alarm + row.duplicate == row.dispositions <= row.cases
        if row.precision is None:
            assert row.confirmed + row.false_alarm == 0 and row.low is None
        else:
            assert row.low is not None and row.high is not None
            assert 0 <= row.low <= row.precision <= row.high <= 1
    ranked = [r.precision for r in rows if r.precision is not None]
    assert ranked == sorted(ranked)
