"""History-store benchmarks: ingest throughput into SQLite, and case lookup cost as the store grows.

    python benchmarks/store_ingest.py                       # both sections
    python benchmarks/store_ingest.py --sections ingest --records 20000
    python benchmarks/store_ingest.py --sections lookup --sizes 1000,10000,100000,1000000
    python benchmarks/store_ingest.py --db postgresql://USER:PASSWORD@HOST/DB --sections ingest  # an empty DB

``ingest`` screens the seeded (calm) workload of ``workload.py`` (200 rules, 10 categories) with
its history stripped, so the store computes every history field, and merges the reports
into cases: addresses repeat (about 580 sites per category), a third of the reports carry
lat/lon instead. Ingest is timed by the wall clock (database writes and commits included)
and by this process's CPU time, which other work on a shared machine disturbs less.

``lookup`` fills stores with N cases (one site each, half found by address and half by
lat/lon) and times what ingest does per report to find its case: the site by address key
or by the lat/lon buckets around it, then the site's latest case.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).parent))

import workload

from riskscreen import Screener
from riskscreen.store import Tracker
from riskscreen.store.history import nearest
from riskscreen.store.sites import GeoGrid, SiteRef
from riskscreen.store.statements import RawQueries
from riskscreen.store.tables import cases, site_keys, sites

TZ = timezone(timedelta(hours=8))


def store_records(count: int) -> list[dict[str, Any]]:
    """The workload's observations without history; a third located by lat/lon instead of address."""
    rng = random.Random(3)
    records = []
    for record in workload.observations(count, 10):
        record.pop("history", None)
        if rng.random() < 1 / 3:
            spot = rng.randrange(300)
            location = record["location"]
            del location["address"]
            location["lat"] = 36.5 + (spot // 20) * 0.01 + rng.uniform(0, 0.0002)
            location["lon"] = 117.0 + (spot % 20) * 0.01 + rng.uniform(0, 0.0002)
        records.append(record)
    return records


def section_ingest(root: Path, count: int, url: str | None) -> None:
    """Reports per second through ``Tracker.ingest`` (screening, history, cases, commits)."""
    packs = root / "packs"
    shutil.rmtree(packs, ignore_errors=True)  # never packs of an older workload
    workload.write_packs(workload.generate_rules(200, 10), packs)
    screener = Screener([packs], builtin=False)
    records = store_records(count)
    screener.screen_many(records[:2000])  # every category's plan built before timing
    start = time.process_time()
    for record in records:
        screener.screen(record)
    screen_only = time.process_time() - start
    for leftover in root.glob("ingest.db*"):
        leftover.unlink()  # a fresh store each run
    target = url or f"sqlite:///{root / 'ingest.db'}"
    tracker = Tracker(screener, target)
    start, cpu = time.perf_counter(), time.process_time()
    summary = tracker.ingest(records, now=datetime(2026, 11, 30, 9, tzinfo=TZ))
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    again = time.perf_counter()
    tracker.ingest(records, now=datetime(2026, 11, 30, 9, tzinfo=TZ))
    rerun = time.perf_counter() - again
    backend = target.split(":", 1)[0]
    print(f"\n## Ingest into {backend} ({count} reports, 200 rules, 10 categories)")
    print(f"screening alone, CPU   {count / screen_only:10.0f} reports/s")
    print(f"ingest                 {count / seconds:10.0f} reports/s  ({seconds:.1f} s wall clock)")
    print(
        f"ingest, CPU time       {count / cpu_seconds:10.0f} reports/s  ({cpu_seconds:.1f} s of this process)"
    )
    print(f"same input again       {count / rerun:10.0f} reports/s  (every report already stored)")
    print(
        f"cases new {summary.new}, merged {summary.merged}, lifted {summary.lifted}; "
        f"alerts {summary.alerts}, undecided {summary.undecided}, no alert {summary.no_alert}"
    )
    tracker.close()


def _fill(tracker: Tracker, size: int) -> list[SiteRef]:
    """``size`` sites with one case each; returns how each site is named."""
    rng = random.Random(size)
    grid = GeoGrid(tracker.options.site_radius_m)
    refs: list[SiteRef] = []
    now = datetime(2026, 11, 1, tzinfo=TZ)
    batch = 20_000
    with tracker.engine.begin() as connection:
        for start in range(0, size, batch):
            site_rows, key_rows, case_rows = [], [], []
            for n in range(start, min(size, start + batch)):
                number = n + 1
                if n % 2:
                    # spread over about 100 km × 100 km so buckets hold a few sites each
                    lat, lon = 36.0 + rng.uniform(0, 0.9), 116.5 + rng.uniform(0, 1.1)
                    ref = SiteRef(None, lat, lon)
                    site_rows.append(
                        {
                            "id": number,
                            "label": ref.label,
                            "lat": lat,
                            "lon": lon,
                            "cell": grid.cell(lat, lon),
                        }
                    )
                else:
                    ref = SiteRef(f"g:g{n % 5000}|村{n}号", None, None)
                    site_rows.append({"id": number, "label": ref.key, "lat": None, "lon": None, "cell": None})
                    key_rows.append({"key": ref.key, "site_id": number})
                refs.append(ref)
                case_rows.append(
                    {
                        "id": number, "site_id": number, "category": "cat_000", "status": "open",
                        "base_priority": "P3", "priority": "P3", "lifted": False, "score": 45.0,
                        "escalate_to": "village", "respond_by": now, "reports": 1, "rule_ids": [],
                        "opened_at": now, "updated_at": now,
                    }
                )  # fmt: skip
            connection.execute(insert(sites), site_rows)
            if key_rows:
                connection.execute(insert(site_keys), key_rows)
            connection.execute(insert(cases), case_rows)
    return refs


def _lookups(tracker: Tracker, refs: list[SiteRef], samples: int) -> float:
    """Median microseconds to find a site's latest case, as ingest does, over random sites."""
    rng = random.Random(7)
    grid = GeoGrid(tracker.options.site_radius_m)
    chosen = [refs[rng.randrange(len(refs))] for _ in range(samples)]
    timings = []
    with tracker.engine.connect() as connection:
        raw = RawQueries(connection)
        for ref in chosen:
            started = time.perf_counter()
            if ref.key is not None:
                site = raw.site_by_key(ref.key)
            else:
                assert ref.lat is not None and ref.lon is not None
                rows = raw.sites_in(grid.neighbourhood(ref.lat, ref.lon))
                site = nearest(ref.lat, ref.lon, rows, grid.radius_m)
            assert site is not None
            latest = raw.latest_case(site, "cat_000")
            timings.append(time.perf_counter() - started)
            assert latest is not None
    return statistics.median(timings) * 1e6


def section_lookup(root: Path, sizes: Iterable[int], url: str | None) -> None:
    print("\n## Case lookup as the store grows (median of 2,000 lookups)")
    print(f"{'cases':>10} {'fill s':>8} {'µs/lookup':>10}")
    for size in sizes:
        for leftover in root.glob(f"lookup-{size}.db*"):
            leftover.unlink()
        target = url or f"sqlite:///{root / f'lookup-{size}.db'}"
        tracker = Tracker(None, target, create=True)
        started = time.perf_counter()
        refs = _fill(tracker, size)
        filled = time.perf_counter() - started
        _lookups(tracker, refs, 200)  # warm the page cache
        print(f"{size:10d} {filled:8.1f} {_lookups(tracker, refs, 2000):10.1f}")
        tracker.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sections", default="ingest,lookup")
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--db", default=None, help="an empty database to use instead of SQLite files")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        root = args.workdir or Path(scratch)
        root.mkdir(parents=True, exist_ok=True)
        sections = args.sections.split(",")
        if "ingest" in sections:
            section_ingest(root, args.records, args.db)
        if "lookup" in sections:
            section_lookup(root, [int(s) for s in args.sizes.split(",")], args.db)


if __name__ == "__main__":
    main()
