"""Benchmark ``riskscreen diff`` and ``backtest``: records per second and peak memory.

Writes the seeded workload of ``workload.py`` (R rules over C categories, N observations
as JSON Lines), a head rule set changed the way a pull request changes one (thresholds
raised, one rule made critical, one removed, one added), then runs the command line in a
fresh process for each mode and prints wall time, records/s and peak RSS::

    python benchmarks/diff.py --observations 100000                 # local
    python benchmarks/diff.py --observations 100000 --change general  # a change every record sees
    python benchmarks/diff.py --observations 100000 --jobs 2 --dask local:1 --dask local:2

Peak RSS is that of the largest process (the command itself, or one Dask worker);
``--dask`` modes include starting the local cluster.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from workload import generate_rules, write_observations, write_packs

ROOT = Path(__file__).resolve().parents[1]
RISKSCREEN = [sys.executable, "-m", "riskscreen"]


def make_head(base: Path, head: Path, change: str) -> None:
    """The base packs with a pull request's worth of changes to one pack.

    ``change="category"`` edits the first category's pack (the other categories' records
    are screened once); ``"general"`` edits the pack whose rules every category sees, so
    every record is screened by both rule sets.
    """
    if head.exists():
        shutil.rmtree(head)
    shutil.copytree(base, head)
    first = head / "general_bench.yaml" if change == "general" else sorted(head.glob("cat_*.yaml"))[0]
    text = first.read_text(encoding="utf-8")
    # raise every numeric threshold of the first pack by 5 (rules fire less often)
    text = re.sub(r"(> |>= )(\d+(?:\.\d+)?)", lambda m: f"{m[1]}{float(m[2]) + 5:g}", text)
    text = text.replace("severity: medium", "severity: critical", 1)
    # drop the pack's last rule and add a new one
    text = text[: text.rindex("  - id: ")]
    # a general rule can read only what every category has
    when = "history.reports_30d >= 19" if change == "general" else "attrs.b0 and attrs.b1"
    text += f'  - id: R-NEW\n    title: 新增规则\n    when: "{when}"\n    severity: high\n'
    text += '    message: "新增规则命中"\n'
    first.write_text(text, encoding="utf-8")


def run(label: str, command: list[str], records: int) -> None:
    """Run ``command`` in a fresh process; print wall time, records/s and peak RSS."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu_before
    if done.returncode not in (0, 1):
        sys.exit(f"{label}: exit {done.returncode}\n{done.stderr}")
    rss = f"{peak / 1024:.0f} MB" if peak > before else "(below an earlier run's)"
    print(
        f"{label:<22} {wall:7.1f} s wall {records / wall:9,.0f} records/s  CPU {cpu:6.1f} s  peak RSS {rss}",
        flush=True,
    )


def main() -> None:
    """Write the workload if needed and run each mode once."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rules", type=int, default=200)
    parser.add_argument("--categories", type=int, default=10)
    parser.add_argument("--observations", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/riskscreen-diff-bench"))
    parser.add_argument("--dask", action="append", default=[], metavar="ADDRESS", help="also run on Dask")
    parser.add_argument(
        "--jobs", action="append", type=int, default=[], metavar="N", help="also run with --jobs N"
    )
    parser.add_argument(
        "--change",
        choices=("category", "general"),
        default="category",
        help="which pack the head changes: one category's (default) or the general one every record sees",
    )
    parser.add_argument("--no-local", action="store_true", help="skip the local run")
    parser.add_argument("--backtest", action="store_true", help="also time backtest --by month")
    args = parser.parse_args()
    work = args.workdir / f"r{args.rules}-c{args.categories}-n{args.observations}"
    archive = work / "observations.jsonl"
    if not archive.exists():
        write_packs(generate_rules(args.rules, args.categories), work / "base")
        work.mkdir(parents=True, exist_ok=True)
        write_observations(archive, args.observations, args.categories)
    make_head(work / "base", work / "head", args.change)
    diff = [
        *RISKSCREEN,
        "diff",
        str(archive),
        "--base",
        str(work / "base"),
        "--head",
        str(work / "head"),
        "--no-builtin",
        "--format",
        "json",
        "--output",
        str(work / "diff.json"),
    ]
    print(
        f"# diff: {args.observations:,} records, {args.rules} rules over {args.categories} categories; "
        f"change to the {args.change} pack"
    )
    if not args.no_local:
        run("diff, local", diff, args.observations)
    for jobs in args.jobs:
        run(f"diff, --jobs {jobs}", [*diff, "--jobs", str(jobs)], args.observations)
    for address in args.dask:
        run(f"diff, --dask {address}", [*diff, "--dask", address], args.observations)
    if args.backtest:
        backtest = [*RISKSCREEN, "backtest", str(archive), "--rules", str(work / "head"), "--no-builtin"]
        backtest += ["--by", "month", "--format", "json", "--output", str(work / "backtest.json")]
        run("backtest, local", backtest, args.observations)


if __name__ == "__main__":
    main()
