"""What reading and validating one record costs, part by part (µs of CPU per record).

Writes the alert-heavy workload (200 rules over 10 categories) and measures, streaming
(no result kept, as ``riskscreen screen`` and a service validate):

- decoding the JSON lines with ``json.loads`` and with pydantic-core's ``from_json``, and
  ``read_records`` over the file (decoding, blank lines, record checks);
- ``Screener.validate`` (the fast path: one pydantic-core pass);
- the same two steps as ``riskscreen screen`` takes them: ``read_records(lines=True)``
  keeps each line's text, ``Screener.validate`` parses and validates it in one call
  (``validate_json``); and both steps together, each way, over the file;
- ``Screener.validate`` with naive times and a default timezone configured;
- the full validator on the same records (what a record the fast path leaves costs).

Each figure is the median of ``--rounds`` runs of CPU time (``time.process_time``).

    .venv/bin/python benchmarks/validation.py [--records 20000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import workload
from pydantic_core import from_json
from timing import median_cpu

from riskscreen import Screener
from riskscreen.readers import read_records
from riskscreen.settings import Settings


def per_record(run: Callable[[], Iterable[Any]], count: int, rounds: int) -> float:
    """Median CPU µs per record of draining ``run()``."""

    def drain() -> None:
        for _ in run():
            pass

    return median_cpu(drain, rounds) / count * 1e6


def main(argv: list[str] | None = None) -> None:
    """Write the workload, measure, print one line per figure."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "riskscreen-bench")
    args = parser.parse_args(argv)
    folder = args.workdir / f"validation-{args.records}"
    packs, data = folder / "packs", folder / "observations.jsonl"
    if not data.exists():
        specs = workload.generate_rules(200, 10, firing=workload.HEAVY_FIRING)
        workload.write_packs(specs, packs)
        workload.write_observations(data, args.records, 10, quiet=workload.HEAVY_QUIET)
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    records = [json.loads(line) for line in lines]
    # the same records as a platform without offsets sends them (times cut to the second)
    naive = [
        {
            **r,
            "reported_at": r["reported_at"][:19],
            "attrs": {k: v[:19] if k == "t0" and v else v for k, v in r["attrs"].items()},
        }
        for r in records
    ]
    screener = Screener([packs], builtin=False)
    kept = list(read_records(str(data), lines=True))

    def decoded_then_validated() -> Iterable[Any]:
        return map(screener.validate, read_records(str(data)))

    def kept_then_validated() -> Iterable[Any]:
        return map(screener.validate, read_records(str(data), lines=True))

    lenient = Screener([packs], builtin=False, settings=Settings(default_timezone="Asia/Shanghai"))
    full = screener._validator
    n, rounds = len(records), args.rounds
    figures = {
        "json.loads per line": per_record(lambda: map(json.loads, lines), n, rounds),
        "pydantic_core.from_json per line": per_record(lambda: map(from_json, lines), n, rounds),
        "read_records (JSONL file)": per_record(lambda: read_records(str(data)), n, rounds),
        "Screener.validate": per_record(lambda: map(screener.validate, records), n, rounds),
        "read_records(lines=True) (JSONL file, text kept)": per_record(
            lambda: read_records(str(data), lines=True), n, rounds
        ),
        "Screener.validate on those lines (one pass)": per_record(
            lambda: map(screener.validate, kept), n, rounds
        ),
        "read and validate, decoded first": per_record(decoded_then_validated, n, rounds),
        "read and validate, lines kept (as screen does)": per_record(kept_then_validated, n, rounds),
        "Screener.validate, naive times + default timezone": per_record(
            lambda: map(lenient.validate, naive), n, rounds
        ),
        "full validator (records the fast path leaves)": per_record(
            lambda: map(full.validate, records), n, rounds
        ),
    }
    print(f"## Reading and validating ({n} alert-heavy records, median CPU µs per record of {rounds})")
    for name, value in figures.items():
        print(f"{name:52s} {value:6.1f}")


if __name__ == "__main__":
    main()
