"""The API's figures for two (or more) source trees, measured side by side.

The machine these figures come from is shared, and its speed moves by a fifth between
runs, so a change is measured against the tree before it in the same minutes: each round
runs every tree once, one after the other, in a fresh process with ``PYTHONPATH`` set to
the tree's ``src``; the figures are the medians over the rounds. Per tree and workload:

- ``iter_screen/s``: records a second of CPU through ``Screener.iter_screen``, decoded
  records in a list (as ``benchmarks/run.py --sections targets`` measures it), the
  median of three passes after a warm-up;
- ``one by one/s``: the same records from an iterator over the list, which
  ``iter_screen`` screens record by record (a list it screens a step at a time,
  :mod:`riskscreen.steps`);
- ``validate µs``: CPU per record of ``Screener.validate`` on the JSON lines as the
  command line reads them (parsed and validated in one pass);
- ``screener ms``: CPU to build the screener in a fresh process (the rule set from the
  cache, which an earlier round filled).

    python benchmarks/sidebyside.py /tmp/before /work/main --records 20000 --rounds 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import targets

HERE = Path(__file__).resolve()


def measure(packs: str, data: str) -> dict[str, float]:
    """The figures of one tree, in this process (run by :func:`main` in a fresh one)."""
    from riskscreen import Screener
    from riskscreen.readers import read_records

    start = time.process_time()
    screener = Screener([packs], builtin=False)
    built = time.process_time() - start
    with open(data, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    lines = list(read_records(data, lines=True))
    for _ in screener.iter_screen(records[:2000]):
        pass
    passes: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(3):
        for held in (True, False):
            start = time.process_time()
            for _ in screener.iter_screen(records if held else iter(records)):
                pass
            passes[held].append(time.process_time() - start)
    validate = screener.validate
    checks = []
    for _ in range(3):
        start = time.process_time()
        for line in lines:
            validate(line)
        checks.append(time.process_time() - start)
    return {
        "iter_screen/s": len(records) / statistics.median(passes[True]),
        "one by one/s": len(records) / statistics.median(passes[False]),
        "validate µs": statistics.median(checks) / len(lines) * 1e6,
        "screener ms": built * 1e3,
    }


def main() -> None:
    """Measure the trees given, alternating, and print the medians."""
    if sys.argv[1:2] == ["--measure"]:  # one tree's figures, in the fresh process started below
        print(json.dumps(measure(sys.argv[2], sys.argv[3])))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("trees", nargs="+", help="source trees (each with a src/ folder)")
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "riskscreen-bench"))
    args = parser.parse_args()
    root = Path(args.workdir)
    root.mkdir(parents=True, exist_ok=True)
    figures: dict[tuple[str, str], list[dict[str, float]]] = {}
    for _ in range(args.rounds):
        for profile in targets.PROFILES:
            packs, data = targets.prepare(root, profile, args.records)
            for tree in args.trees:
                environment = {**os.environ, "PYTHONPATH": str(Path(tree).resolve() / "src")}
                command = [sys.executable, str(HERE), "--measure", str(packs), str(data)]
                output = subprocess.run(command, env=environment, check=True, capture_output=True, text=True)
                figures.setdefault((profile, tree), []).append(json.loads(output.stdout))
    names = ("iter_screen/s", "one by one/s", "validate µs", "screener ms")
    print(f"medians of {args.rounds} rounds, {args.records} records, trees alternating")
    print(f"{'workload':12} {'tree':24}" + "".join(f" {name:>14}" for name in names))
    for (profile, tree), runs in figures.items():
        values = [statistics.median(run[name] for run in runs) for name in names]
        print(f"{profile:12} {tree:24}" + "".join(f" {value:14.1f}" for value in values))


if __name__ == "__main__":
    main()
