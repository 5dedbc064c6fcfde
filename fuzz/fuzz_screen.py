"""Coverage-guided fuzzing of riskscreen's input path with atheris (run locally, not in CI).

    pip install atheris
    python fuzz/fuzz_screen.py -max_total_time=300          # records: JSONL bytes -> screening
    python fuzz/fuzz_screen.py --packs -max_total_time=300  # rule packs: YAML bytes -> loading

Any exception other than the documented outcomes (an error record for a record, a
RuleLoadError for a pack) is a bug: atheris stops and writes the crashing input.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from riskscreen import RuleLoadError, Screener
    from riskscreen.readers import read_records

PACKS = "--packs" in sys.argv
if PACKS:
    sys.argv.remove("--packs")

SCREENER = None if PACKS else Screener()
WORK = Path(tempfile.mkdtemp(prefix="riskscreen-fuzz-"))


def screen_bytes(data: bytes) -> None:
    """Screen the input as a JSONL file: every line must come back as a result.

    Screened twice, its lines decoded by the reader and kept as text for the screener's
    one-pass validation (as ``riskscreen screen`` reads them): the results must be equal.
    """
    path = WORK / "input.jsonl"
    path.write_bytes(data)
    assert SCREENER is not None
    batch = SCREENER.screen_many(read_records(str(path), "jsonl"))
    summary = batch.summary
    assert summary.alerts + summary.no_alert + summary.errors == summary.records
    assert SCREENER.screen_many(read_records(str(path), "jsonl", lines=True)) == batch


def load_bytes(data: bytes) -> None:
    """Load the input as a rule pack: it loads, or it fails with problems that have positions."""
    path = WORK / "pack.yaml"
    path.write_bytes(data)
    try:
        Screener([path], builtin=False)
    except RuleLoadError as exc:
        assert exc.problems


def main() -> None:
    """Run the fuzzer on records, or on packs with --packs."""
    atheris.Setup(sys.argv, load_bytes if PACKS else screen_bytes)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
