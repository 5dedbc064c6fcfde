"""The command line and the worker processes collect the youngest generation less often;
a program calling the API keeps its own collector settings."""

from __future__ import annotations

import gc
import json
import os
from pathlib import Path
from typing import Any

import pytest

from riskscreen import Screener
from riskscreen.cli import main as cli
from riskscreen.collection import YOUNG_COLLECTED_AFTER, fewer_collections
from riskscreen.parallel import CHUNK_SIZE, map_records
from riskscreen.readers import read_records

SAMPLE = Path("examples/observations.jsonl")


def collected_after(screener: Any, data: Any, index: int) -> tuple[int, int]:
    """A job reporting its process and the youngest generation's threshold there (module level)."""
    return os.getpid(), gc.get_threshold()[0]


def test_the_setting_holds_inside_and_is_given_back_even_on_error() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        assert gc.get_threshold() == (YOUNG_COLLECTED_AFTER, *before[1:])
        raise RuntimeError("a command that fails")
    assert gc.get_threshold() == before


def test_a_command_runs_with_fewer_collections_and_gives_the_setting_back(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[int] = []
    real_run = __import__("riskscreen.cli.screen", fromlist=["run"]).run

    def run(args: Any) -> int:
        seen.append(gc.get_threshold()[0])
        return int(real_run(args))

    monkeypatch.setattr("riskscreen.cli.screen.run", run)
    before = gc.get_threshold()
    code = cli.main(["screen", str(SAMPLE), "--format", "jsonl", "--jobs", "1"])
    assert code == 1  # the sample holds invalid records
    assert seen == [YOUNG_COLLECTED_AFTER] and gc.get_threshold() == before
    assert json.loads(capsys.readouterr().out.splitlines()[0])["priority"] == "P1"


def test_workers_collect_less_often_and_this_process_keeps_its_setting() -> None:
    screener = Screener()
    records = list(read_records(str(SAMPLE)))
    records = (records * (2 * CHUNK_SIZE // len(records) + 1))[: 2 * CHUNK_SIZE]
    before = gc.get_threshold()
    found = set(map_records(screener, screener.spec, records, 2, collected_after))
    assert gc.get_threshold() == before
    assert {threshold for pid, threshold in found if pid == os.getpid()} <= {before[0]}
    assert {threshold for pid, threshold in found if pid != os.getpid()} == {YOUNG_COLLECTED_AFTER}
