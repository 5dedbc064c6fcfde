"""Every performance figure of docs/performance.md, from one command.

    python benchmarks/run.py            # the full run (streams 1,000,000 records at the end)
    python benchmarks/run.py --quick    # smaller inputs, for a quick look

Sections: the targets (riskscreen's CLI and API against rule-engine's ``Rule.matches``
loop on the same records, calm and alert-heavy workloads; see ``targets.py``), µs per
(rule, record) for rule-engine's ``Rule.matches``, the compiled
predicates, the fused per-category functions and hand-written Python; observations per
second through the API and the CLI at R = 50, 200 and 1,000 rules; the cost of the
could_be / warning / history bookkeeping (on against off, same screener); per-record cost as
the number of rules per category and in total changes; load time of 1,000 rules cold and
from the cache; peak memory while streaming records through the API and through
``riskscreen screen`` in each output format; start-up; ``--jobs``. Timings are the best of several
runs of CPU time (``time.process_time``) so that other processes on the machine disturb
them less; the CLI and streaming figures are wall-clock times of a fresh process.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import apijobs
import breakdown
import targets
import workload
from timing import best

from riskscreen import Screener
from riskscreen.engine.record import MissingValue, Record

HERE = Path(__file__).resolve().parent


def prepare(
    root: Path, rules: int, categories: int, count: int
) -> tuple[Path, Path, list[workload.RuleSpec]]:
    """Packs and observations for one workload, written under ``root``."""
    folder = root / f"r{rules}-c{categories}"
    specs = workload.generate_rules(rules, categories)
    packs = folder / "packs"
    if not packs.exists():
        workload.write_packs(specs, packs)
    data = folder / f"observations-{count}.jsonl"
    if not data.exists():
        workload.write_observations(data, count, categories)
    return packs, data, specs


def load_records(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def truth(predicate: Callable[[Record], Any], record: Record) -> object:
    try:
        return bool(predicate(record))
    except (MissingValue, KeyError):
        return "undecided"
    except Exception as exc:
        return ("error", type(exc).__name__)


# -- sections ------------------------------------------------------------------------------


def section_predicates(root: Path, count: int) -> None:
    print("\n## µs per (rule, record): R = 200 rules over C = 10 categories")
    packs, data, specs = prepare(root, 200, 10, count)
    screener = Screener([packs], builtin=False)
    by_id = {spec.id: spec for spec in specs}
    observations = [screener.validate(item) for item in load_records(data)]
    symbols = [screener.record_for(o).symbols for o in observations]
    pairs = [
        (rule, by_id[rule.id])
        for o in observations
        for rule in screener.ruleset.candidates(o.category)
        if rule.id in by_id
    ]
    groups: list[tuple[list[Any], dict[str, Any]]] = []
    for o, s in zip(observations, symbols, strict=True):
        rules = [r for r in screener.ruleset.candidates(o.category) if r.id in by_id]
        groups.append((rules, s))
    evaluations = len(pairs)

    def run(choose: Callable[[Any], Callable[[Record], Any]]) -> Callable[[], None]:
        # the callables are looked up before timing: only the evaluations are measured
        prepared = [([choose(rule) for rule in rules], s) for rules, s in groups]

        def go() -> None:
            for predicates, s in prepared:
                record = Record(s)
                for predicate in predicates:
                    with contextlib.suppress(MissingValue, KeyError):
                        predicate(record)

        return go

    chosen: dict[str, Callable[[Any], Callable[[Record], Any]]] = {
        "rule-engine Rule.matches": lambda rule: rule.when.rule.matches,
        "compiled predicates": lambda rule: rule.when_predicate,
        "hand-written Python": lambda rule: by_id[rule.id].handwritten,
    }
    # the three must agree before their speed means anything
    disagreements = 0
    for rules, s in groups:
        for rule in rules:
            answers = {truth(choose(rule), Record(s)) for choose in chosen.values()}
            disagreements += len(answers) > 1
    results = {name: best(run(choose)) / evaluations * 1e6 for name, choose in chosen.items()}
    index = screener._index
    from riskscreen.enrich import event_time

    days = [event_time(o, screener._zone).date() for o in observations]

    def fused() -> None:
        for o, s, day in zip(observations, symbols, days, strict=True):
            index.evaluate(o.category, day, o.location, Record(s))

    fused()
    results["compiled, fused per category"] = best(fused) / evaluations * 1e6
    hand = results["hand-written Python"]
    engine = results["rule-engine Rule.matches"]
    print(f"{evaluations} (rule, record) evaluations, {len(groups)} records; disagreements: {disagreements}")
    print(f"{'evaluator':32} {'µs':>8} {'× hand-written':>15} {'rule-engine ×':>14}")
    for name, micros in results.items():
        print(f"{name:32} {micros:8.3f} {micros / hand:15.2f} {engine / micros:14.1f}")


def api_rate(packs: Path, records: list[dict[str, Any]], streaming: bool = False) -> tuple[float, float]:
    """Observations per second through ``screen_many`` (or ``iter_screen``), and µs per record."""
    screener = Screener([packs], builtin=False)
    screener.screen_many(records[:2000])  # every category's plan built before timing

    def stream() -> None:
        for _ in screener.iter_screen(records):
            pass

    seconds = best(stream if streaming else lambda: screener.screen_many(records))
    return len(records) / seconds, seconds / len(records) * 1e6


def section_api(root: Path, count: int) -> None:
    print(f"\n## Observations per second through the API ({count} records, C = 10)")
    header = ("rules", "screen_many obs/s", "µs/record", "iter_screen obs/s", "µs/record")
    print("{:>6} {:>18} {:>10} {:>18} {:>10}".format(*header))
    for rules in (50, 200, 1000):
        packs, data, _ = prepare(root, rules, 10, count)
        records = load_records(data)
        rate, micros = api_rate(packs, records)
        stream_rate, stream_micros = api_rate(packs, records, streaming=True)
        print(f"{rules:6d} {rate:18.0f} {micros:10.1f} {stream_rate:18.0f} {stream_micros:10.1f}")


def bookkeeping_cost(screener: Screener, records: list[dict[str, Any]]) -> tuple[float, float]:
    """µs per record through ``iter_screen`` with the bookkeeping on, and with it off."""
    from riskscreen import undecided

    def stream() -> None:
        for _ in screener.iter_screen(records):
            pass

    def off(history: Any) -> dict[str, Any]:
        return dict(history.__dict__)

    known_history = undecided.known_history
    timings: dict[str, float] = {}
    for state in ("on", "off", "on again"):
        if state == "off":  # the earlier release: no could_be, no warnings, absent history left absent
            undecided.known_history = off
            screener._results.could_be = lambda *_: None  # type: ignore[method-assign]
            screener._unknown_attributes = lambda _: []
        elif state == "on again":
            undecided.known_history = known_history
            del screener._results.could_be, screener._unknown_attributes
        timings[state] = best(stream, repeat=5) / len(records) * 1e6
    return min(timings["on"], timings["on again"]), timings["off"]


def section_bookkeeping(root: Path, count: int) -> None:
    """What could_be, the unknown-attribute check and the history defaults cost per record.

    The same screener streams the same records with that work switched on and off; the
    difference is the bookkeeping's cost.
    """
    print(f"\n## Cost of the could_be / warning / history bookkeeping (iter_screen, {count} records, C = 10)")
    header = ("rules", "insufficient", "undecided", "µs/record on", "µs/record off", "difference")
    print("{:>6} {:>13} {:>10} {:>13} {:>14} {:>11}".format(*header))
    for rules in (50, 200):
        packs, data, _ = prepare(root, rules, 10, count)
        records = load_records(data)
        screener = Screener([packs], builtin=False)
        results = list(screener.iter_screen(records))
        lacking = sum(bool(r.insufficient) for r in results) / len(results)
        undecided = sum(r.undecided for r in results) / len(results)
        on, off = bookkeeping_cost(screener, records)
        shares = f"{lacking:13.0%} {undecided:10.0%}"
        print(f"{rules:6d} {shares} {on:13.1f} {off:14.1f} {on - off:+11.1f}")


def section_scaling(root: Path, count: int) -> None:
    print("\n## Per-record cost: rules of the record's category versus rules in total")
    print("(iter_screen, so that the batch's own growing memory does not blur the comparison)")
    print(f"{'rules':>6} {'categories':>10} {'per category':>12} {'µs/record':>10}")
    for rules, categories in ((200, 10), (1000, 50), (5000, 250), (1000, 10)):
        packs, data, _ = prepare(root, rules, categories, count)
        _, micros = api_rate(packs, load_records(data), streaming=True)
        print(f"{rules:6d} {categories:10d} {rules // categories:12d} {micros:10.1f}")


def run_cli(arguments: list[str], env: dict[str, str] | None = None) -> float:
    """Wall-clock seconds of one ``riskscreen`` process (output discarded)."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "riskscreen", *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
        env={**os.environ, **(env or {})},
    )
    return time.perf_counter() - start


def section_cli(root: Path, count: int) -> None:
    print(f"\n## Observations per second through the CLI (--format jsonl, {count} records, C = 10)")
    print(f"{'rules':>6} {'obs/s':>10} {'obs/s after start-up':>21} {'start-up s':>11}")
    for rules in (50, 200, 1000):
        packs, data, _ = prepare(root, rules, 10, count)
        one = root / f"one-{rules}.jsonl"
        one.write_text(data.open(encoding="utf-8").readline(), encoding="utf-8")
        common = ["--rules", str(packs), "--no-builtin", "--format", "jsonl"]
        run_cli(["screen", str(one), *common])  # warm the rule cache
        startup = min(run_cli(["screen", str(one), *common]) for _ in range(3))
        total = min(run_cli(["screen", str(data), *common]) for _ in range(2))
        screening = total - startup
        # with few records the start-up's own variation swamps the difference
        after = f"{count / screening:21.0f}" if screening > 0.2 * total else f"{'-':>21}"
        print(f"{rules:6d} {count / total:10.0f} {after} {startup:11.2f}")


_LOAD = """
import sys, time
start = time.perf_counter()
from riskscreen import Screener
imported = time.perf_counter()
Screener([sys.argv[1]], builtin=False)
done = time.perf_counter()
print(imported - start, done - imported)
"""


def section_load(root: Path) -> None:
    print("\n## Loading 1,000 rules (fresh process each time)")
    packs, _, _ = prepare(root, 1000, 10, 10)
    cache = root / "cache"

    def measure(env: dict[str, str]) -> tuple[float, float]:
        out = subprocess.run(
            [sys.executable, "-c", _LOAD, str(packs)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, **env},
        ).stdout.split()
        return float(out[0]), float(out[1])

    cold = min((measure({"RISKSCREEN_CACHE": "off"}) for _ in range(3)), key=lambda t: t[1])
    measure({"RISKSCREEN_CACHE_DIR": str(cache)})
    warm = min((measure({"RISKSCREEN_CACHE_DIR": str(cache)}) for _ in range(3)), key=lambda t: t[1])
    print(f"{'':16} {'import s':>9} {'load s':>8} {'total s':>8}")
    for name, (imported, loaded) in (("cold (no cache)", cold), ("from the cache", warm)):
        print(f"{name:16} {imported:9.2f} {loaded:8.3f} {imported + loaded:8.2f}")


_STREAM = """
import resource, sys, time
sys.path.insert(0, sys.argv[3])
import apijobs
import breakdown
import targets
import workload
from riskscreen import Screener
screener = Screener([sys.argv[1]], builtin=False)
count = int(sys.argv[2])
start = time.perf_counter()
alerts = 0
for result in screener.iter_screen(workload.observations(count, 10)):
    alerts += result.alert is not None
seconds = time.perf_counter() - start
# VmHWM is this process's own peak; ru_maxrss may include the parent's at fork time
try:
    status = open("/proc/self/status").read()
    peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
except (OSError, IndexError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(count / seconds, peak, alerts)
"""


def section_memory(root: Path, count: int) -> None:
    print(f"\n## Streaming {count:,} records through iter_screen (R = 200, C = 10)")
    packs, _, _ = prepare(root, 200, 10, 10)
    out = subprocess.run(
        [sys.executable, "-c", _STREAM, str(packs), str(count), str(HERE)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    rate, peak, alerts = float(out[0]), float(out[1]), int(out[2])
    print(f"records/s {rate:,.0f}; alerts {alerts:,}; peak RSS {peak:,.0f} MB")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}; {os.cpu_count()} CPUs; Python {platform.python_version()}; {platform.system()}"


def main(argv: Iterable[str] | None = None) -> None:
    """Run the sections and print the figures."""
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--quick", action="store_true", help="smaller inputs (about a minute)")
    parser.add_argument("--records", type=int, default=None, help="records per throughput run")
    parser.add_argument("--stream", type=int, default=None, help="records streamed for peak memory")
    parser.add_argument(
        "--sections",
        default="targets,breakdown,apifloor,gc,predicates,api,bookkeeping,scaling,cli,load,memory,climemory,startup,jobs,apijobs",
    )
    parser.add_argument("--workdir", type=Path, default=None, help="where workloads are written")
    args = parser.parse_args(list(argv) if argv is not None else None)
    records = args.records or (2000 if args.quick else 20000)
    stream = args.stream or (50_000 if args.quick else 1_000_000)
    root = args.workdir or Path(tempfile.gettempdir()) / "riskscreen-bench"
    root.mkdir(parents=True, exist_ok=True)
    print(f"# riskscreen benchmarks — {machine()}")
    sections = set(args.sections.split(","))
    print(f"load average at the start: {os.getloadavg()[0]:.1f} (the machine is shared)")
    if "targets" in sections:
        targets.section_targets(root, records)
    if "breakdown" in sections:
        breakdown.section_breakdown(root, records)
    if "apifloor" in sections:
        breakdown.section_api_floor(root, records)
    if "gc" in sections:
        targets.section_gc(root, records)
    if "predicates" in sections:
        section_predicates(root, min(records, 4000))
    if "api" in sections:
        section_api(root, records)
    if "bookkeeping" in sections:
        section_bookkeeping(root, records)
    if "scaling" in sections:
        section_scaling(root, records)
    if "cli" in sections:
        section_cli(root, records)
    if "load" in sections:
        section_load(root)
    if "memory" in sections:
        section_memory(root, stream)
    if "startup" in sections:
        targets.section_startup(root)
    if "jobs" in sections:
        targets.section_jobs(root, records)
    if "apijobs" in sections:
        apijobs.section_api_jobs(root, records)
    if "climemory" in sections:  # the longest: a million records per format
        targets.section_cli_memory(root, stream)


if __name__ == "__main__":
    main()
