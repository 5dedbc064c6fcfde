"""Screening with several processes gives exactly the serial results."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from riskscreen import Screener
from riskscreen.parallel import CHUNK_SIZE, portable_arguments
from riskscreen.readers import read_records

SAMPLE = Path("examples/observations.jsonl")


def _records() -> list[Any]:
    # more than two chunks, with invalid records and repeated ids (batch warnings) among them
    records = list(read_records(str(SAMPLE)))
    return (records * (2 * CHUNK_SIZE // len(records) + 1))[: 2 * CHUNK_SIZE + 7]


def test_processes_give_the_serial_results_in_order() -> None:
    screener = Screener()
    records = _records()
    serial = [r.model_dump_json() for r in screener.iter_screen(records)]
    parallel = [r.model_dump_json() for r in screener.iter_screen(records, jobs=2)]
    assert parallel == serial
    batch = screener.screen_many(records, jobs=2)
    assert batch.model_dump_json() == screener.screen_many(records).model_dump_json()
    assert batch.summary.records == len(records) and batch.warnings and batch.errors


def test_a_small_input_is_screened_in_process() -> None:
    # a plugin object no other process could rebuild: fine while no process is needed
    class LocalPlugin:
        pass

    screener = Screener(plugins=[LocalPlugin()])
    records = list(read_records(str(SAMPLE)))[:10]
    assert [r.model_dump_json() for r in screener.iter_screen(records, jobs=4)] == [
        r.model_dump_json() for r in screener.iter_screen(records)
    ]
    with pytest.raises(ValueError, match="rebuild"):
        portable_arguments({"plugins": [lambda: None]})


def test_the_cli_writes_the_same_output_with_several_jobs(tmp_path: Path) -> None:
    data = tmp_path / "many.jsonl"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    data.write_text("\n".join((lines * 2)[: CHUNK_SIZE + 100]) + "\n", encoding="utf-8")
    outputs = []
    for jobs in ("1", "2"):
        run = subprocess.run(
            [sys.executable, "-m", "riskscreen", "screen", str(data), "--format", "jsonl", "--jobs", jobs],
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 1  # the sample holds invalid records
        outputs.append((run.stdout, run.stderr))
    assert outputs[0] == outputs[1] and outputs[0][0].count("\n") > 100
