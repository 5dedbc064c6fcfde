"""What settling undecided rules with three values costs (engine.kleene), side by side.

Screens the same generated records with the same screener twice per round, once as
shipped and once with the three-valued settling switched off, and prints the median CPU
time per record of each (µs) for 200 and 1,000 rules over 10 categories. Only rules that
read a missing value pay for it; the workload leaves values out on purpose.

    .venv/bin/python benchmarks/settling.py [--records 3000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import workload

import riskscreen.screener as screener_module
from riskscreen import Screener


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    settle = screener_module.cannot_fire
    for rules in (200, 1000):
        folder = Path(tempfile.mkdtemp(prefix="riskscreen-settling-"))
        workload.write_packs(workload.generate_rules(rules, 10), folder / "packs")
        records = list(workload.observations(args.records, 10))
        screener = Screener([folder / "packs"], builtin=False)
        list(screener.iter_screen(records[:100]))  # warm up: code, caches, trees parsed

        def per_record(screener: Screener = screener, records: list = records) -> float:  # type: ignore[type-arg]
            start = time.process_time()
            count = sum(1 for _ in screener.iter_screen(records))
            return (time.process_time() - start) / count * 1e6

        on: list[float] = []
        off: list[float] = []
        for _ in range(args.rounds):
            screener_module.cannot_fire = settle
            on.append(per_record())
            screener_module.cannot_fire = lambda *_: False
            off.append(per_record())
        screener_module.cannot_fire = settle
        with_, without = statistics.median(on), statistics.median(off)
        print(
            f"{rules:>5} rules: {with_:7.1f} µs/record with settling, {without:7.1f} without "
            f"(+{with_ - without:.1f} µs, ×{with_ / without:.2f})"
        )


if __name__ == "__main__":
    main()
