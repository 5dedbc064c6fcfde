"""Build a history store from the bundled sample, spread over eight weeks, for the weekly report.

The bundled sample's reports are dated across a whole year; this script moves each one into
the eight weeks before a report week (keeping its weekday and time of day), adds repeat
reports about some sites, and ingests them day by day with the Tracker API, as a
subdistrict's service would. Each evening it works the cases as staff would: cases go into
progress, are rectified and closed with a disposition (some rules produce more false
alarms than others), and overdue cases are escalated. Everything is seeded: the same
arguments build the same store.

    python examples/report_demo.py --db sqlite:///report-demo/demo.db --week 2026-W48
    riskscreen report --db sqlite:///report-demo/demo.db --week 2026-W48 -o report-demo/week.html

``make report`` runs both and writes the report as HTML and xlsx into report-demo/.
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from datetime import date, datetime, time, timedelta
from pathlib import Path
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

from riskscreen import Screener
from riskscreen.report import parse_week
from riskscreen.store import Case, Tracker

SAMPLE = Path(__file__).with_name("observations.jsonl")
ZONE = ZoneInfo("Asia/Shanghai")
WEEKS = 8
#: Share of reports followed by a repeat report about the same site a few days later.
REPEATS = 0.15


def _records(path: Path) -> list[dict[str, Any]]:
    """The sample's records that are JSON objects with a readable time (the rest are its bad examples)."""
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
            datetime.fromisoformat(record["reported_at"])
        except (ValueError, KeyError, TypeError):
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


def _spread(records: list[dict[str, Any]], first: date, rng: Random) -> list[dict[str, Any]]:
    """Each record moved into the weeks from ``first``, plus repeat reports, sorted by time."""
    days = WEEKS * 7
    spread: list[dict[str, Any]] = []
    for record in records:
        when = datetime.fromisoformat(record["reported_at"]).astimezone(ZONE)
        day = first + timedelta(days=when.timetuple().tm_yday % days)
        moved = datetime.combine(day, when.time(), tzinfo=ZONE)
        copy = dict(record, reported_at=moved.isoformat())
        # the stored history belongs to the sample's own dates: let the store compute it
        copy.pop("history", None)
        copy.pop("occurred_at", None)
        spread.append(copy)
        if "id" in record and rng.random() < REPEATS:
            later = moved + timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 8))
            repeat = dict(
                copy, id=f"{record['id']}-r", reported_at=later.isoformat(), reporter={"role": "citizen"}
            )
            spread.append(repeat)
    return sorted(spread, key=lambda r: (r["reported_at"], str(r.get("id"))))


def _noisy(rule_id: str) -> bool:
    # a fixed third of the rules cry wolf more often, so rule precision has something to show
    return zlib.crc32(rule_id.encode()) % 3 == 0


def _work(tracker: Tracker, cases: list[Case], now: datetime, rng: Random) -> None:
    """One evening's work: cases taken up, rectified and closed after a few days each."""
    for case in cases:
        if case.opened_at is None:
            continue
        age = (now - case.opened_at).total_seconds() / 86400
        if case.status in ("open", "reopened") and age > 1 and rng.random() < 0.6:
            tracker.update(case.id, status="in_progress", by="网格员", note="已到场核查", now=now)
        elif case.status == "in_progress" and age > 3 and rng.random() < 0.35:
            tracker.update(case.id, status="rectified", by="管区", note="已责令整改", now=now)
        elif case.status == "rectified" and rng.random() < 0.5:
            noisy = any(_noisy(r) for r in case.rule_ids)
            roll = rng.random()
            if roll < (0.45 if noisy else 0.1):
                disposition = "false_alarm"
            elif roll > 0.96:
                disposition = "duplicate"
            else:
                disposition = "confirmed"
            tracker.close_case(case.id, disposition, by="街道", note="复查销号", now=now)  # type: ignore[arg-type]


def build(url: str, week: str, seed: int = 20261130) -> dict[str, int]:
    """Fill the store at ``url`` with eight weeks up to and including ``week``; returns its counts."""
    rng = Random(seed)
    last = parse_week(week)
    first = last.first - timedelta(weeks=WEEKS - 1)
    records = _spread(_records(SAMPLE), first, rng)
    by_day: dict[date, list[dict[str, Any]]] = {}
    for record in records:
        by_day.setdefault(datetime.fromisoformat(record["reported_at"]).date(), []).append(record)
    with Tracker(Screener(), url) as tracker:
        day = first
        while day <= last.last:
            evening = datetime.combine(day, time(21, 0), tzinfo=ZONE)
            # reports are ingested as they arrive during the day; the night's batch is the rest
            tracker.ingest(by_day.get(day, []), now=datetime.combine(day, time(23, 59), tzinfo=ZONE))
            tracker.escalate(now=evening)
            _work(
                tracker,
                tracker.cases(status=["open", "in_progress", "reopened", "rectified"], now=evening),
                evening,
                rng,
            )
            day += timedelta(days=1)
        return tracker.counts()


def main(argv: list[str] | None = None) -> int:
    """Build the demo store (an existing file at the URL is replaced)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", default="sqlite:///report-demo/demo.db", help="database URL (default: %(default)s)"
    )
    parser.add_argument(
        "--week", default="2026-W48", help="the last week of the history (default: %(default)s)"
    )
    parser.add_argument("--seed", type=int, default=20261130, help="random seed (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.db.startswith("sqlite:///"):
        path = Path(args.db.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
    counts = build(args.db, args.week, args.seed)
    print(f"{args.db}: {counts['reports']} reports, {counts['cases']} cases", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
