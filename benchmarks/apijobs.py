"""The API in two processes against one: ``iter_screen(records, jobs=2)`` and ``jobs=1``.

Imported by ``benchmarks/run.py`` (section ``apijobs``). Wall time, since the point is
the second process; both are timed in turn, round after round, on the same list of
decoded records, and each ratio is the median of the rounds' own. The inputs range from a
few chunks to the ``targets`` section's size, for the break-even.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path

from targets import PROFILES, prepare

from riskscreen import Screener


def _wall(screener: Screener, records: list[dict[str, object]], jobs: int) -> float:
    start = time.perf_counter()
    for _ in screener.iter_screen(records, jobs=jobs):
        pass
    return time.perf_counter() - start


def section_api_jobs(root: Path, count: int, repeat: int = 5) -> None:
    """Records/s of ``iter_screen`` with ``jobs=1`` and ``jobs=2``, and their ratio, by input size."""
    print(f"\n## iter_screen(records, jobs=2) against one process ({os.cpu_count()} CPUs)")
    print(f"wall records/s, median of {repeat} rounds each timing both in turn; ratio: the rounds' median")
    print(f"{'workload':12} {'records':>8} {'jobs=1/s':>9} {'jobs=2/s':>9} {'×':>6}")
    for profile in PROFILES:
        packs, data = prepare(root, profile, count)
        screener = Screener([packs], builtin=False)
        with data.open(encoding="utf-8") as handle:
            everything = [json.loads(line) for line in handle]
        _wall(screener, everything[:2000], 1)  # warm: plans fused, templates prepared
        for size in sorted({min(1000, count), min(2000, count), min(5000, count), count}):
            records = everything[:size]
            rounds = [(_wall(screener, records, 1), _wall(screener, records, 2)) for _ in range(repeat)]
            one = size / statistics.median(r[0] for r in rounds)
            two = size / statistics.median(r[1] for r in rounds)
            ratio = statistics.median(r[0] / r[1] for r in rounds)
            print(f"{profile:12} {size:8} {one:9.0f} {two:9.0f} {ratio:6.2f}")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f}")
