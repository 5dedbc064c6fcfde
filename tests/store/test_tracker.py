"""Cases from reports: merge, lift, reopen, escalate, dispositions, history — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import math
import tempfile
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from riskscreen import Screener
from riskscreen.store import (
    CaseNotFoundError,
    InvalidTransitionError,
    StoreError,
    Tracker,
    TrackerOptions,
)

from .helpers import report

CST = timezone(timedelta(hours=8))


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}:00+08:00")


@pytest.fixture
def tracker(screener: Screener, db_url: str) -> Tracker:
    return Tracker(screener, db_url)


def test_repeats_at_one_site_merge_into_one_case_lifted_after_three(tracker: Tracker) -> None:
    # three spellings of one address, within 30 days
    first = tracker.ingest([report("r1", "2026-11-02T09:00", address="东村3号")], now=at("2026-11-02T10:00"))
    assert (first.new, first.merged) == (1, 0)
    second = tracker.ingest(
        [report("r2", "2026-11-03T09:00", address="东村 3号")], now=at("2026-11-03T10:00")
    )
    assert (second.new, second.merged, second.lifted) == (0, 1, 0)
    third = tracker.ingest([report("r3", "2026-11-04T09:00", address="东村三号")], now=at("2026-11-04T10:00"))
    assert (third.new, third.merged, third.lifted) == (0, 1, 1)
    [case] = tracker.cases()
    assert case.reports == 3
    assert case.observation_ids == ["r1", "r2", "r3"]
    assert case.priority == "P2"  # P3 alerts, lifted one band after the third report in 30 days
    assert [e.what for e in case.log] == ["opened", "merged", "merged", "lifted"]
    assert case.status == "open"


def _days_and_arrival() -> st.SearchStrategy[tuple[list[int], list[int]]]:
    days = st.lists(st.integers(min_value=0, max_value=80), min_size=1, max_size=5)
    return days.flatmap(lambda d: st.tuples(st.just(d), st.permutations(d)))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_days_and_arrival())
# the first report arrives last (a phone that was offline): it makes three within 30 days
@example(([0, 2, 22], [2, 22, 0]))
def test_a_case_is_lifted_whatever_order_its_reports_arrive_in(
    screener: Screener, days_and_arrival: tuple[list[int], list[int]]
) -> None:
    days, arrival = days_and_arrival
    first = datetime(2026, 9, 1, 9, tzinfo=CST)
    with tempfile.TemporaryDirectory() as folder, Tracker(screener, f"sqlite:///{folder}/l.db") as tracker:
        for n, day in enumerate(arrival):
            when = (first + timedelta(days=day, minutes=n)).strftime("%Y-%m-%dT%H:%M")
            tracker.ingest([report(f"r{n}", when)], now=first + timedelta(days=90))
        [case] = tracker.cases(now=first + timedelta(days=90))
    ordered = sorted(days)
    three_within_30_days = any(ordered[i + 2] - ordered[i] < 30 for i in range(len(ordered) - 2))
    assert case.priority == ("P2" if three_within_30_days else "P3")
    assert [e.what for e in case.log].count("lifted") == int(three_within_30_days)


def test_history_comes_from_the_store_and_a_supplied_field_wins(tracker: Tracker) -> None:
    tracker.ingest([report("r1", "2026-11-02T09:00"), report("r2", "2026-11-03T09:00")])
    probe = tracker.screener.validate(report("r3", "2026-11-04T09:00"))  # type: ignore[union-attr]
    assert not isinstance(probe, type(None))
    history = tracker.history(probe)  # type: ignore[arg-type]
    assert (history.reports_7d, history.reports_30d, history.days_since_last_report) == (2, 2, 1.0)
    assert history.rectified_before is False
    # the third report fires the repeat rule with the store's count; a supplied count wins
    tracker.ingest([report("r3", "2026-11-04T09:00")])
    tracker.ingest([report("r4", "2026-11-05T09:00", address="西村1号", history={"reports_7d": 5})])
    rules = {r.observation_id: r.rule_ids for r in tracker.reports()}
    assert "SITE-003" in rules["r3"]
    assert "SITE-003" in rules["r4"]  # 5 reports said the caller, though the store knows none
    assert "SITE-003" not in rules["r1"]


def test_rectified_before_counts_only_what_was_rectified_before_the_report(tracker: Tracker) -> None:
    tracker.ingest([report("r1", "2026-11-02T09:00")], now=at("2026-11-02T10:00"))
    [case] = tracker.cases()
    tracker.close_case(case.id, "confirmed", now=at("2026-11-05T09:00"))
    # a report that arrives late, made before the closing, and one made after it
    tracker.ingest(
        [report("late", "2026-11-03T09:00"), report("after", "2026-11-06T09:00")],
        now=at("2026-11-06T10:00"),
    )
    seen = tracker.detail(case.id).observations
    assert seen["late"]["history"]["rectified_before"] is False
    assert seen["after"]["history"]["rectified_before"] is True


def test_a_late_report_made_before_the_closing_joins_the_case_without_reopening_it(
    tracker: Tracker,
) -> None:
    tracker.ingest([report("r1", "2026-11-02T09:00")], now=at("2026-11-02T10:00"))
    [case] = tracker.cases()
    tracker.close_case(case.id, "confirmed", now=at("2026-11-05T09:00"))
    late = tracker.ingest([report("late", "2026-11-03T09:00")], now=at("2026-11-06T10:00"))
    assert (late.merged, late.reopened, late.new) == (1, 0, 0)
    kept = tracker.case(case.id)
    assert (kept.status, kept.disposition, kept.reports) == ("closed", "confirmed", 2)
    assert kept.observation_ids == ["r1", "late"]
    # a report made after the closing is news: it reopens the case
    news = tracker.ingest([report("after", "2026-11-06T09:00")], now=at("2026-11-06T10:00"))
    assert (news.merged, news.reopened) == (0, 1)
    assert tracker.case(case.id).status == "reopened"


def test_lat_lon_neighbours_meet_and_distant_points_do_not(tracker: Tracker) -> None:
    lat, lon = 36.60482, 116.937009
    near = lat + 30 / 111_195  # 30 m north
    far = lat + 80 / 111_195  # 80 m north
    tracker.ingest(
        [
            report("g1", "2026-11-02T09:00", address=None, grid_id=None, lat=lat, lon=lon),
            report("g2", "2026-11-02T10:00", address=None, grid_id=None, lat=near, lon=lon),
            report("g3", "2026-11-02T11:00", address=None, grid_id=None, lat=far, lon=lon),
        ]
    )
    cases = tracker.cases()
    assert sorted(c.observation_ids for c in cases) == [["g1", "g2"], ["g3"]]


@pytest.mark.parametrize(
    ("written", "read", "metres", "merged"), [(50, 200, 150, True), (200, 20, 30, False)]
)
def test_a_store_written_with_one_radius_merges_by_the_radius_of_a_later_run(
    screener: Screener, db_url: str, written: float, read: float, metres: float, merged: bool
) -> None:
    lat, lon = 36.60482, 116.937009
    east = lon + metres / (111_195 * math.cos(math.radians(lat)))
    with Tracker(screener, db_url, options=TrackerOptions(site_radius_m=written)) as first:
        first.ingest([report("w1", "2026-11-02T09:00", address=None, grid_id=None, lat=lat, lon=lon)])
    with Tracker(screener, db_url, options=TrackerOptions(site_radius_m=read)) as later:
        later.ingest([report("w2", "2026-11-02T10:00", address=None, grid_id=None, lat=lat, lon=east)])
        groups = sorted(c.observation_ids for c in later.cases())
    assert groups == ([["w1", "w2"]] if merged else [["w1"], ["w2"]])


def test_an_address_and_a_point_join_the_site_found_either_way(tracker: Tracker) -> None:
    lat, lon = 30.0, 120.0
    tracker.ingest([report("p1", "2026-11-02T09:00", lat=lat, lon=lon, address="东村5号")])
    # the same point (10 m away) under another spelling of the address, then the address alone
    tracker.ingest([report("p2", "2026-11-02T10:00", lat=lat + 0.00009, lon=lon, address="东村五号")])
    tracker.ingest([report("p3", "2026-11-02T11:00", address="东村 5 号")])
    [case] = tracker.cases()
    assert case.observation_ids == ["p1", "p2", "p3"]


def test_ingesting_the_same_reports_twice_changes_nothing(tracker: Tracker) -> None:
    batch = [report(f"r{i}", f"2026-11-0{i}T09:00") for i in range(1, 5)]
    first = tracker.ingest(batch)
    before = tracker.cases()
    again = tracker.ingest(batch)
    assert (again.skipped, again.screened, again.new, again.merged) == (4, 0, 0, 0)
    assert tracker.cases() == before
    assert first.records == again.records == 4
    assert sum(1 for _ in tracker.reports()) == 4


def test_error_records_are_kept_unscreened_and_never_open_a_case(tracker: Tracker) -> None:
    bad = report("bad-1", "2026-11-02T09:00")
    bad["reported_at"] = "yesterday"
    summary = tracker.ingest([bad, {"category": "site_hazard"}])
    assert (summary.errors, summary.new) == (2, 0)
    assert tracker.cases() == []
    kept = tracker.unscreened()
    assert {r.observation_id for r in kept} == {"bad-1", None}
    assert all(r.status == "error" and r.case_id is None and r.error for r in kept)
    assert any(r.error and r.error.startswith("reported_at") for r in kept)
    # where it can be read, the record says which category and village must correct it
    named = {r.observation_id: (r.category, r.village, r.district) for r in kept}
    assert named == {"bad-1": ("site_hazard", "东村", "北管区"), None: ("site_hazard", None, None)}
    # the same error records again: still two; the corrected record replaces its error record
    assert tracker.ingest([bad, {"category": "site_hazard"}]).skipped == 2
    fixed = tracker.ingest([report("bad-1", "2026-11-02T09:00")])
    assert (fixed.new, fixed.skipped) == (1, 0)
    assert len(tracker.unscreened()) == 1


def test_json_lines_are_kept_as_the_records_they_hold(tracker: Tracker) -> None:
    from riskscreen.jsonline import JsonLine

    bad = report("bad-1", "2026-11-02T09:00")
    bad["reported_at"] = "yesterday"
    batch = [report("r1", "2026-11-01T09:00"), bad, {"category": "site_hazard"}]
    lines = [JsonLine(json.dumps(r, ensure_ascii=False), n) for n, r in enumerate(batch, 1)]
    first = tracker.ingest([*lines, JsonLine("{oops", 4)])
    assert (first.records, first.errors, first.new) == (4, 3, 1)
    kept = {r.observation_id: (r.category, r.village, r.error) for r in tracker.unscreened()}
    assert kept["bad-1"][:2] == ("site_hazard", "东村") and kept["bad-1"][2].startswith("reported_at")
    # the same records as dicts are the records stored already, error records included
    assert tracker.ingest(batch).skipped == 3


def test_names_longer_than_their_columns_are_kept_apart_and_lose_no_report(tracker: Tracker) -> None:
    # PostgreSQL refuses text longer than a column; one such report must not sink its chunk
    long_address = "滨河路" * 200
    records = [
        report("n1", "2026-11-02T09:00", village="东" * 300, address=long_address + "1号"),
        report("n2", "2026-11-02T10:00", village="东" * 300, address=long_address + "2号"),
        report("n3", "2026-11-02T11:00", village="东" * 300, address=long_address + "1号"),
        report("x" * 300, "2026-11-02T12:00"),  # an id over the limit: an error record
    ]
    first = tracker.ingest(records)
    assert (first.new, first.merged, first.errors) == (2, 1, 1)
    assert tracker.ingest(records).skipped == 4  # and it is the same record again
    cases = tracker.cases()
    assert sorted(c.observation_ids for c in cases) == [["n1", "n3"], ["n2"]]
    assert all(len(c.site) <= 400 and c.village and len(c.village) <= 200 for c in cases)
    changed = tracker.update(cases[0].id, assignee="李" * 300, by="王" * 300, note="已派员")
    assert changed.assignee and changed.assignee.startswith("李" * 100)
    assert len(tracker.unscreened()) == 1


def test_nul_characters_are_stored_as_replacement_characters_and_lose_no_report(tracker: Tracker) -> None:
    # JSON may carry \u0000; PostgreSQL refuses it in text, which sank the whole chunk
    records = [
        report("nul-1", "2026-11-02T09:00", village="东村\x00", address="东村7\x00号"),
        report("nul-1\x00", "2026-11-02T10:00", address="东村8号"),
        report("ok-1", "2026-11-02T11:00", address="东村9号"),
    ]
    records[0]["description"] = "楼道\x00充电"
    assert tracker.ingest(records).new == 3
    assert tracker.ingest(records).skipped == 3
    ids = sorted(i for c in tracker.cases() for i in c.observation_ids)
    assert ids == ["nul-1", "nul-1\ufffd", "ok-1"]
    detail = tracker.detail(tracker.cases(village="东村\ufffd")[0].id)
    assert detail.observations["nul-1"]["description"] == "楼道\x00充电"  # the report keeps it


def test_no_alert_records_are_stored_but_open_no_case(tracker: Tracker) -> None:
    summary = tracker.ingest([report("ok-1", "2026-11-02T09:00", danger=0)])
    assert (summary.no_alert, summary.new) == (1, 0)
    assert tracker.cases() == []
    [stored] = tracker.reports()
    assert (stored.status, stored.case_id) == ("no_alert", None)


def test_an_undecided_record_opens_a_case_without_a_priority(tracker: Tracker) -> None:
    summary = tracker.ingest([report("u1", "2026-11-02T09:00", danger=0, depth_m=None)])
    assert (summary.undecided, summary.new) == (1, 1)
    [case] = tracker.cases()
    assert (case.priority, case.could_be) == (None, "P2")
    # an alert at the same site later gives the case its priority
    tracker.ingest([report("u2", "2026-11-03T09:00", danger=1)])
    [case] = tracker.cases()
    assert (case.priority, case.reports) == ("P3", 2)
    # P3 is more urgent than nothing but less than the P2 the first report could be: still shown
    assert case.could_be == "P2"
    # once the case is at least as urgent as its could_be, could_be is null, as on results
    tracker.ingest([report("u3", "2026-11-04T09:00", danger=2)])
    [case] = tracker.cases()
    assert case.priority is not None and case.priority <= "P2" and case.could_be is None


def test_closed_case_reopens_within_reopen_days_and_a_new_case_opens_after(
    screener: Screener, db_url: str
) -> None:
    tracker = Tracker(screener, db_url, options=TrackerOptions(reopen_days=90))
    tracker.ingest([report("r1", "2026-01-02T09:00")])
    [case] = tracker.cases()
    tracker.close_case(case.id, "confirmed", note="已整改", by="张三", now=at("2026-01-03T09:00"))
    reopened = tracker.ingest([report("r2", "2026-02-01T09:00")])
    assert (reopened.reopened, reopened.new) == (1, 0)
    case = tracker.case(case.id)
    assert (case.status, case.disposition, case.reports) == ("reopened", None, 2)
    assert [e.what for e in case.log] == ["opened", "closed", "reopened"]
    # the report after a confirmed closure knows the site was rectified before
    assert tracker.case(case.id).closed_at is None
    tracker.close_case(case.id, "confirmed", now=at("2026-02-02T09:00"))
    later = tracker.ingest([report("r3", "2026-06-01T09:00")])
    assert (later.new, later.reopened) == (1, 0)
    assert [c.status for c in tracker.cases()] == ["closed", "open"]


def test_escalation_moves_one_tier_per_deadline_and_never_twice(tracker: Tracker) -> None:
    tracker.ingest([report("r1", "2026-11-02T09:00")])  # P3: respond within 24 h, village
    [case] = tracker.cases(now=at("2026-11-02T10:00"))
    assert (case.escalate_to, case.overdue) == ("village", False)
    assert tracker.escalate(at("2026-11-03T08:00")) == []  # not yet due
    [escalated] = tracker.escalate(at("2026-11-03T10:00"))
    assert escalated.escalate_to == "district"
    assert escalated.respond_by == at("2026-11-04T10:00")  # a new P3 deadline from now
    assert escalated.overdue is False
    assert tracker.escalate(at("2026-11-03T10:00")) == []  # the same run again: nothing
    assert tracker.escalate(at("2026-11-03T12:00")) == []
    [again] = tracker.escalate(at("2026-11-04T11:00"))  # the new deadline passed too
    assert again.escalate_to == "department"
    assert [e.what for e in again.log].count("escalated") == 2
    assert [c.id for c in tracker.cases(overdue=True, now=at("2026-11-06T11:00"))] == [case.id]


def test_closed_cases_are_not_escalated(tracker: Tracker) -> None:
    tracker.ingest([report("r1", "2026-11-02T09:00")])
    [case] = tracker.cases()
    tracker.close_case(case.id, "false_alarm", now=at("2026-11-02T12:00"))
    assert tracker.escalate(at("2026-11-10T10:00")) == []


def test_changes_are_logged_with_who_and_why(tracker: Tracker) -> None:
    tracker.ingest([report("r1", "2026-11-02T09:00")])
    [case] = tracker.cases()
    tracker.update(
        case.id,
        status="in_progress",
        assignee="李四",
        note="已派网格员",
        by="王五",
        now=at("2026-11-02T10:00"),
    )
    tracker.update(case.id, note="现场已围挡", by="李四", now=at("2026-11-02T11:00"))
    tracker.update(case.id, status="rectified", by="李四", now=at("2026-11-02T12:00"))
    closed = tracker.close_case(case.id, "confirmed", note="复查合格", by="王五", now=at("2026-11-03T09:00"))
    entries = [(e.what, e.by) for e in closed.log]
    assert entries == [
        ("opened", "riskscreen"),
        ("status", "王五"),
        ("assigned", "王五"),
        ("note", "李四"),
        ("status", "李四"),
        ("closed", "王五"),
    ]
    assert closed.log[1].note.endswith("已派网格员")
    assert closed.log[-1].at == at("2026-11-03T09:00")
    assert (closed.status, closed.disposition, closed.assignee) == ("closed", "confirmed", "李四")


def test_refused_changes_name_the_case_and_change_nothing(tracker: Tracker) -> None:
    tracker.ingest([report("r1", "2026-11-02T09:00")])
    [case] = tracker.cases()
    with pytest.raises(InvalidTransitionError, match=f"case {case.id} is open: a disposition"):
        tracker.update(case.id, disposition="confirmed")
    with pytest.raises(InvalidTransitionError, match="closing needs a disposition"):
        tracker.update(case.id, status="closed")  # type: ignore[arg-type]
    tracker.close_case(case.id, "duplicate")
    with pytest.raises(InvalidTransitionError, match=f"case {case.id} is already closed"):
        tracker.close_case(case.id, "confirmed")
    with pytest.raises(CaseNotFoundError, match="no case C-000099"):
        tracker.case("C-000099")
    with pytest.raises(CaseNotFoundError, match="no case 'x-1'"):
        tracker.update("x-1", note="?")
    for beyond in ("C-2147483648", "C-999999999999999999999"):  # more than any row id can be
        with pytest.raises(CaseNotFoundError, match=f"no case {beyond}"):
            tracker.case(beyond)
        with pytest.raises(CaseNotFoundError, match=f"no case {beyond}"):
            tracker.close_case(beyond, "confirmed")
    assert tracker.case(case.id).log[-1].what == "closed"
    # correcting a closed case's disposition is allowed and logged
    fixed = tracker.update(case.id, disposition="false_alarm", note="复核为误报")
    assert (fixed.disposition, fixed.log[-1].what) == ("false_alarm", "disposition")


def test_filters(tracker: Tracker) -> None:
    tracker.ingest(
        [
            report("a", "2026-11-02T09:00", village="东村", address="东村1号"),
            report("b", "2026-11-02T09:00", village="西村", address="西村1号", danger=3),
            report("c", "2026-11-02T09:00", village="西村", address="西村2号"),
        ]
    )
    now = at("2026-11-02T12:00")  # the P1 case (1 h) is overdue, the P3 ones (24 h) are not
    assert [c.observation_ids for c in tracker.cases(village="西村", now=now)] == [["b"], ["c"]]
    assert [c.observation_ids for c in tracker.cases(priority="P1", now=now)] == [["b"]]
    assert [c.observation_ids for c in tracker.cases(overdue=True, now=now)] == [["b"]]
    assert len(tracker.cases(overdue=False, now=now)) == 2
    assert tracker.cases(category="other") == []
    assert len(tracker.cases(district="北管区", status="open")) == 3


def test_reports_between_two_times(tracker: Tracker) -> None:
    tracker.ingest([report(f"r{d}", f"2026-11-0{d}T09:00", address=f"东村{d}号") for d in range(1, 8)])
    week = list(tracker.reports(since=at("2026-11-03T00:00"), until=at("2026-11-05T00:00")))
    assert [r.observation_id for r in week] == ["r3", "r4"]
    assert all(r.case_id is not None and r.priority == "P3" for r in week)


def test_a_tracker_without_a_screener_reads_but_does_not_ingest(screener: Screener, db_url: str) -> None:
    Tracker(screener, db_url).ingest([report("r1", "2026-11-02T09:00")])
    reader = Tracker(None, db_url)
    assert len(reader.cases()) == 1
    with pytest.raises(StoreError, match="without a screener"):
        reader.ingest([report("r2", "2026-11-02T09:00")])
