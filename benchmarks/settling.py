"""What settling undecided rules with three values costs (engine.kleene), side by side.

Screens the same generated records with the same screener three times per round: with
settling as shipped (code generated per rule when it is loaded, engine.settling), with
kleene's reading of rule-engine's trees (what an evaluator other than the compiler
gets), and with settling switched off. Prints the median CPU time per record of each
(µs) for 200 and 1,000 rules over 10 categories, and the difference each makes against
no settling (a settled rule also spares the work of reporting it undecided, so the
difference can be negative). Only rules that read a missing value pay for it; the
workload leaves values out on purpose.

    .venv/bin/python benchmarks/settling.py [--records 3000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import workload

from riskscreen import Screener
from riskscreen.engine import kleene
from riskscreen.engine.record import Record
from riskscreen.packs.ruleset import CompiledRule


def _trees(rule: CompiledRule, record: Record) -> bool:
    return kleene.cannot_fire(rule.when, rule.unless, rule.macros, record)


def _off(rule: CompiledRule, record: Record) -> bool:
    return False


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    shipped = CompiledRule.cannot_fire
    modes: dict[str, Callable[[CompiledRule, Record], bool]] = {
        "generated": shipped,
        "trees": _trees,
        "off": _off,
    }
    for rules in (200, 1000):
        folder = Path(tempfile.mkdtemp(prefix="riskscreen-settling-"))
        workload.write_packs(workload.generate_rules(rules, 10), folder / "packs")
        records = list(workload.observations(args.records, 10))
        screener = Screener([folder / "packs"], builtin=False)

        def per_record(screener: Screener = screener, records: list = records) -> float:  # type: ignore[type-arg]
            start = time.process_time()
            count = sum(1 for _ in screener.iter_screen(records))
            return (time.process_time() - start) / count * 1e6

        times: dict[str, list[float]] = {mode: [] for mode in modes}
        try:
            for settle in modes.values():  # warm up: code, caches, trees parsed
                CompiledRule.cannot_fire = settle  # type: ignore[method-assign,assignment]
                list(screener.iter_screen(records[:100]))
            for _ in range(args.rounds):
                for mode, settle in modes.items():
                    CompiledRule.cannot_fire = settle  # type: ignore[method-assign,assignment]
                    times[mode].append(per_record())
        finally:
            CompiledRule.cannot_fire = shipped  # type: ignore[method-assign]
        generated, trees, off = (statistics.median(times[mode]) for mode in modes)
        print(
            f"{rules:>5} rules: {generated:6.1f} µs/record settled by generated code "
            f"({generated - off:+.1f}), {trees:6.1f} by rule-engine's trees ({trees - off:+.1f}), "
            f"{off:6.1f} without settling"
        )


if __name__ == "__main__":
    main()
