"""The target figures: riskscreen against rule-engine on the same records, memory, start-up, jobs.

Imported by ``benchmarks/run.py`` (sections ``targets``, ``climemory``, ``startup``,
``jobs``); each function prints one table. Two workloads of 200 rules over 10 categories:

- *calm*: about a third of the records alert (``workload.generate_rules`` defaults);
- *alert-heavy*: about 77% alert with about 4.7 findings each (``workload.HEAVY_*``).

The baseline is the loop a rule-engine user writes for the same packs: read each JSON
line, turn its ISO times into datetimes, and call ``Rule.matches`` for every rule of the
record's category and every general rule (``when`` and not ``unless``). riskscreen and the
baseline are timed in turn, round after round, and reported as the median of each round's
ratio; both are CPU times of the process doing the work (a child's own CPU time for the
command line; its wall time for the default), because the machine is shared.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import workload
from timing import median_cpu

from riskscreen import Screener
from riskscreen.engine.record import Record

HERE = Path(__file__).resolve().parent
PROFILES: dict[str, tuple[float | None, float]] = {
    "calm": (None, 0.0),
    "alert-heavy": (workload.HEAVY_FIRING, workload.HEAVY_QUIET),
}


def prepare(
    root: Path, profile: str, count: int, rules: int = 200, categories: int = 10
) -> tuple[Path, Path]:
    """Packs and a JSONL file of ``count`` observations for one profile, written once."""
    firing, quiet = PROFILES[profile]
    folder = root / f"{profile}-r{rules}-c{categories}"
    packs = folder / "packs"
    if not packs.exists():
        workload.write_packs(workload.generate_rules(rules, categories, firing=firing), packs)
    data = folder / f"observations-{count}.jsonl"
    if not data.exists():
        workload.write_observations(data, count, categories, quiet=quiet)
    return packs, data


def rule_engine_loop(packs: Path, data: Path, every_rule: bool = False) -> tuple[Callable[[], int], int]:
    """The baseline: a ``Rule.matches`` loop over the JSON lines; returns it and its rule count.

    By default each record meets the rules of its category and the general ones (the loop
    looks the category up, as riskscreen does). With ``every_rule`` each record meets every
    rule of the pack, each rule written as rule-engine users write a pack without
    ``applies_to``: ``category == "…" and (when)``.
    """
    import rule_engine

    screener = Screener([packs], builtin=False)
    by_category: dict[str, list[tuple[Any, Any]]] = {}
    every: list[tuple[Any, Any]] = []
    for rule in screener.ruleset.rules if every_rule else ():
        when = rule.when.rule
        if rule.categories is not None:
            (category,) = rule.categories
            when = rule_engine.Rule(f'category == "{category}" and ({rule.when.text})', context=when.context)
        every.append((when, rule.unless.rule if rule.unless is not None else None))
    for category in screener.ruleset.registry.attrs:
        by_category[category] = every or [
            (rule.when.rule, rule.unless.rule if rule.unless is not None else None)
            for rule in screener.ruleset.candidates(category)
        ]

    def run() -> int:
        alerts = 0
        with data.open(encoding="utf-8") as handle:
            for line in handle:
                item = json.loads(line)
                item["reported_at"] = datetime.fromisoformat(item["reported_at"])
                attrs = item["attrs"]
                if "t0" in attrs:
                    attrs["t0"] = datetime.fromisoformat(attrs["t0"])
                record = Record(item)
                fired = False
                for when, unless in by_category[item["category"]]:
                    try:
                        if when.matches(record) and not (unless is not None and unless.matches(record)):
                            fired = True
                    except Exception:  # a missing value: undecided, as riskscreen counts it
                        continue
                alerts += fired
        return alerts

    return run, len(screener.ruleset.rules)


def cli_run(
    arguments: list[str], stdout: Any = subprocess.DEVNULL, stdin: Any = None
) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one ``riskscreen`` process."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "riskscreen", *arguments],
        stdout=stdout,
        stderr=subprocess.DEVNULL,
        stdin=stdin,
    )
    _, _, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = 0  # reaped above
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _alert_lines(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum('"priority"' in line for line in handle)


def section_targets(root: Path, count: int, repeat: int = 5) -> None:
    """riskscreen (CLI and API) against the rule-engine loop, on both workloads.

    The machine is shared and its speed drifts within minutes, so the figures are taken in
    rounds: each round times every contender once, one after the other, and each ratio is
    the median over the rounds of that round's own ratio (a slow minute slows both sides).
    """
    print(f"\n## Against rule-engine's Rule.matches loop ({count} records, 200 rules over 10 categories)")
    print(
        f"records/s, median of {repeat} rounds, each timing every column once in turn; ratios: the median"
        " of each round's own"
    )
    print("rule-engine: the category's rules per record; (every rule): all 205 rules, category in each")
    print("CLI jsonl/s: --jobs 1, CPU time; CLI wall/s: the default (--jobs auto), wall time of the command")
    print("rule-engine and iter_screen: CPU time of this process; the CLI's: its own, start-up included")
    print("jobs=2/s: iter_screen(records, jobs=2), wall time (a worker forked, this process screening too)")
    header = ("workload", "alerts", "rule-engine/s", "CLI jsonl/s", "CLI ×", "CLI wall/s", "wall ×")
    header += ("iter_screen/s", "API ×", "jobs=2/s", "×")
    print("{:12} {:>13} {:>14} {:>12} {:>7} {:>11} {:>7} {:>14} {:>7} {:>9} {:>6}".format(*header))
    for profile in PROFILES:
        packs, data = prepare(root, profile, count)
        baseline, _ = rule_engine_loop(packs, data)
        expected = baseline()
        sample = min(count, 4000)  # the every-rule loop is slow; its rate per record does not depend on count
        every, _ = rule_engine_loop(packs, prepare(root, profile, sample)[1], every_rule=True)
        every_alerts = every()
        out = root / f"{profile}-out.jsonl"
        arguments = ["screen", str(data), "--rules", str(packs), "--no-builtin", "--format", "jsonl"]
        with out.open("w") as sink:
            cli_run(arguments, stdout=sink)  # warms the rule cache
        found = _alert_lines(out)
        screener = Screener([packs], builtin=False)
        with data.open(encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle]
        for _ in screener.iter_screen(records[:2000]):
            pass

        def stream(screener: Screener = screener, records: list[dict[str, Any]] = records) -> None:
            for _ in screener.iter_screen(records):
                pass

        def two_jobs(screener: Screener = screener, records: list[dict[str, Any]] = records) -> float:
            start = time.perf_counter()
            for _ in screener.iter_screen(records, jobs=2):
                pass
            return time.perf_counter() - start

        rounds: list[dict[str, float]] = []
        for _ in range(repeat):
            rounds.append(
                {
                    "engine": count / median_cpu(baseline, 1),
                    "every": sample / median_cpu(every, 1),
                    "cli": count / cli_run([*arguments, "--jobs", "1"])[1],
                    "wall": count / cli_run(arguments)[0],
                    "api": count / median_cpu(stream, 1),
                    "api2": count / two_jobs(),
                }
            )

        rate = {name: statistics.median(r[name] for r in rounds) for name in rounds[0]}
        by_engine = {name: _median_ratio(rounds, name, "engine") for name in ("cli", "wall", "api", "api2")}
        by_every = {name: _median_ratio(rounds, name, "every") for name in ("cli", "wall", "api", "api2")}
        agree = f"{found}" if found == expected else f"{found}≠{expected}"
        print(
            f"{profile:12} {agree:>13} {rate['engine']:14.0f} {rate['cli']:12.0f} {by_engine['cli']:7.1f}"
            f" {rate['wall']:11.0f} {by_engine['wall']:7.1f}"
            f" {rate['api']:14.0f} {by_engine['api']:7.1f} {rate['api2']:9.0f} {by_engine['api2']:6.1f}"
        )
        share = f"{every_alerts}/{sample}"
        print(
            f"{'(every rule)':12} {share:>13} {rate['every']:14.0f} {'':12} {by_every['cli']:7.1f}"
            f" {'':11} {by_every['wall']:7.1f} {'':14} {by_every['api']:7.1f} {'':9} {by_every['api2']:6.1f}"
        )
        walls = " ".join(f"{r['wall'] / r['every']:.1f}" for r in rounds)
        print(f"{'':12} wall × every rule, round by round: {walls}")


def _median_ratio(rounds: list[dict[str, float]], name: str, against: str) -> float:
    """The median over the rounds of each round's ``name`` / ``against``."""
    return statistics.median(r[name] / r[against] for r in rounds)


def section_gc(root: Path, count: int, repeat: int = 3) -> None:
    """``screen_many`` (which holds every alert) with and without keeping them from the collector."""
    import contextlib
    import gc

    from riskscreen import screener as screener_module

    print(f"\n## Holding results: screen_many against iter_screen ({count} alert-heavy records)")
    packs, data = prepare(root, "alert-heavy", count)
    screener = Screener([packs], builtin=False)
    with data.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    screener.screen_many(records[:2000])
    frozen = screener_module.held_results

    @contextlib.contextmanager
    def plain() -> Iterator[Callable[[], None]]:
        yield lambda: None

    collections: list[int] = []

    def counted(phase: str, info: dict[str, Any]) -> None:
        if phase == "start" and info["generation"] == 2:
            collections.append(1)

    def many() -> None:
        screener.screen_many(records)

    def stream() -> None:
        for _ in screener.iter_screen(records):
            pass

    print(f"{'':42} {'records/s':>10} {'full collections':>17}")
    gc.callbacks.append(counted)
    try:
        for name, run, held in (
            ("iter_screen (nothing held)", stream, frozen),
            ("screen_many, results frozen while held", many, frozen),
            ("screen_many, collector left as it is", many, plain),
        ):
            screener_module.held_results = held  # type: ignore[assignment]
            collections.clear()
            rate = count / median_cpu(run, repeat)
            print(f"{name:42} {rate:10.0f} {len(collections) / repeat:17.1f}")
    finally:
        gc.callbacks.remove(counted)
        screener_module.held_results = frozen


_GENERATE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import workload
out = sys.stdout
for item in workload.observations(int(sys.argv[2]), 10, quiet=float(sys.argv[3])):
    out.write(json.dumps(item, ensure_ascii=False))
    out.write("\\n")
"""


def _generated(count: int, quiet: float) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", _GENERATE, str(HERE), str(count), str(quiet)]
    return subprocess.Popen(command, stdout=subprocess.PIPE)


# A small process that runs the command and reports its peak RSS: a child forked straight
# from this (large) benchmark process would count this process's pages in its own peak.
# With workers (--jobs), the peak of the whole process tree is sampled from /proc too: the
# kernel's figure is the largest single process's.
_MEASURED = """
import os, subprocess, sys, threading, time
def tree_rss(root):
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as stat:
                    parents[int(name)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm") as statm:
                total += int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total
start = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
peak = [0]
def sample():
    while child.returncode is None:
        peak[0] = max(peak[0], tree_rss(child.pid))
        time.sleep(0.2)
threading.Thread(target=sample, daemon=True).start()
_, _, usage = os.wait4(child.pid, 0)
child.returncode = 0
with open(sys.argv[1], "w") as out:
    out.write(f"{time.perf_counter() - start} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss / 1024}")
    out.write(f" {peak[0] / 2**20}")
"""


def section_cli_memory(
    root: Path, count: int, formats: tuple[str, ...] = ("jsonl", "json", "csv", "table")
) -> None:
    """Peak RSS of ``riskscreen screen`` reading ``count`` alert-heavy records from a pipe.

    The formats run at the same time (each its own generator and command), so wall and CPU
    times here are those of processes sharing the machine; the peaks are each process's own.
    The table (80 columns, every alert, as on a terminal without ``--limit``) lays out each
    row with rich, so it runs longest.
    """
    print(f"\n## Peak memory of riskscreen screen: {count:,} alert-heavy records on standard input")
    packs, _ = prepare(root, "alert-heavy", 10)
    print("--jobs 1 unless said; with workers, the largest process's peak and the whole tree's (sampled)")
    print(
        f"{'format':8} {'order':8} {'jobs':>5} {'peak RSS MB':>12} {'tree MB':>8} {'wall s':>8} {'CPU s':>8}"
    )
    one = ["--jobs", "1"]
    runs: list[tuple[str, list[str]]] = [(f, one) for f in formats]
    runs += [("jsonl", ["--order", "input", *one]), ("jsonl", ["--jobs", "auto"])]
    started = []
    for number, (output, extra) in enumerate(runs):
        source = _generated(count, workload.HEAVY_QUIET)
        report = root / f"climemory-{number}.txt"
        arguments = ["screen", "-", "--rules", str(packs), "--no-builtin", "--format", output, *extra]
        command = [
            sys.executable,
            "-c",
            _MEASURED,
            str(report),
            sys.executable,
            "-m",
            "riskscreen",
            *arguments,
        ]
        quiet = subprocess.DEVNULL
        measured = subprocess.Popen(command, stdin=source.stdout, stdout=quiet, stderr=quiet)
        assert source.stdout is not None
        source.stdout.close()  # the command's end of the pipe is its own now
        started.append((output, extra, source, measured, report))
    for output, extra, source, measured, report in started:
        measured.wait()
        source.wait()
        wall, cpu, peak, tree = (float(x) for x in report.read_text().split())
        order = "input" if "input" in extra else "sorted"
        jobs = extra[extra.index("--jobs") + 1]
        print(f"{output:8} {order:8} {jobs:>5} {peak:12.0f} {tree:8.0f} {wall:8.1f} {cpu:8.1f}")


def _times(command: list[str], repeat: int) -> Iterator[float]:
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        yield time.perf_counter() - start


def section_startup(root: Path, repeat: int = 7) -> None:
    """Wall time of ``riskscreen --version``, of screening an empty file and the sample, rule sets cached."""
    print(f"\n## Start-up (wall seconds of a fresh process, median of {repeat})")
    packs, _ = prepare(root, "alert-heavy", 10)
    empty = root / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    executable = str(Path(sys.executable).with_name("riskscreen"))
    screen = [executable, "screen", str(empty), "--rules", str(packs), "--no-builtin", "--format", "jsonl"]
    # the shipped sample with the shipped packs and plugins (their rules call plugin functions)
    sample = [executable, "screen", str(HERE.parent / "examples" / "observations.jsonl"), "--format", "jsonl"]
    # warm-up: the rule-set cache, and bytecode written as an installed package has it (a
    # PYTHONDONTWRITEBYTECODE environment would otherwise compile every edited module per run)
    warm = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for command in (screen, sample):
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=warm)
    python = [sys.executable, "-c", "pass"]
    for name, command in (
        ("python -c pass", python),
        ("riskscreen --version", [executable, "--version"]),
        ("screen empty file, cached 200 rules", screen),
        ("screen the sample (600), shipped packs", sample),
    ):
        print(f"{name:38} {statistics.median(_times(command, repeat)):6.3f}")
    # whether screening the sample from the cache built rule-engine's parser (its __init__)
    check = (
        "import sys, riskscreen._lazy_rule_engine as lazy\n"
        "from riskscreen.cli.main import main\n"
        "main(sys.argv[2:])\n"
        "print('yes' if lazy.loaded() else 'no', file=sys.__stderr__)"
    )
    built = subprocess.run(
        [sys.executable, "-c", check, *sample], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ).stderr.split()[-1:]
    print(f"rule-engine's parser built by screening the sample: {''.join(built) or '?'}")


def section_jobs(root: Path, count: int, repeat: int = 3) -> None:
    """``--jobs 1``, ``2`` and ``auto`` (the default) on the alert-heavy workload (wall and total CPU)."""
    print(f"\n## --jobs on {os.cpu_count()} CPUs ({count} alert-heavy records, --format jsonl)")
    packs, data = prepare(root, "alert-heavy", count)
    arguments = ["screen", str(data), "--rules", str(packs), "--no-builtin", "--format", "jsonl"]
    cli_run(arguments)
    print(f"{'jobs':>5} {'wall s':>8} {'records/s':>10} {'CPU s':>8}")
    for jobs in ("1", "2", "auto"):
        runs = [cli_run([*arguments, "--jobs", jobs]) for _ in range(repeat)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        print(f"{jobs:>5} {wall:8.2f} {count / wall:10.0f} {cpu:8.2f}")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f}")
