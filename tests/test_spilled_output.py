"""``riskscreen screen`` sorts on disk: the output is byte for byte what sorting in memory gives.

The reference is the batch API (``screen_many``) written by :mod:`riskscreen.cli.output`'s
writers; the command line is run with sorted runs of a few records
(``RISKSCREEN_SORT_RUN``), so every input here is many runs long and the merge is exercised.
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskscreen import Screener
from riskscreen.cli import batchbooks
from riskscreen.cli.batchbooks import shown_from
from riskscreen.cli.main import main
from riskscreen.cli.output import write_csv, write_json, write_jsonl
from riskscreen.readers import read_records
from riskscreen.spill import FAN_IN, SortedSpill
from tests.helpers import awkward_sample

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "observations.jsonl"


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def awkward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample shuffled, with repeated ids and an unreadable record (see ``awkward_sample``)."""
    return awkward_sample(tmp_path_factory.mktemp("spill"), seed=7)


def _reference(path: Path, output: str, min_priority: str | None = None) -> str:
    batch = Screener().screen_many(read_records(str(path), None, "utf-8-sig"))
    alerts = [a for a in batch.alerts if shown_from(min_priority, a.priority, a.could_be)]  # type: ignore[arg-type]
    undecided = [u for u in batch.undecided if shown_from(min_priority, None, u.could_be)]  # type: ignore[arg-type]
    out = io.StringIO()
    if output == "json":
        write_json(out, alerts, batch.errors, batch.summary, batch.warnings, undecided)
    elif output == "jsonl":
        write_jsonl(out, alerts, undecided)
    else:
        write_csv(out, alerts, undecided)
    return out.getvalue()


def _cli(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[str, str]:
    main(["screen", *arguments])
    captured = capsys.readouterr()
    return captured.out, captured.err


@pytest.mark.parametrize("output", ["json", "jsonl", "csv"])
@pytest.mark.parametrize("which", ["sample", "awkward"])
@pytest.mark.parametrize("ids_in_memory", [0, 5])
def test_sorted_on_disk_equals_sorted_in_memory(
    output: str,
    which: str,
    ids_in_memory: int,
    awkward: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = SAMPLE if which == "sample" else awkward
    monkeypatch.setenv("RISKSCREEN_SORT_RUN", "7")  # hundreds of runs
    # repeated ids found by spilling them all, or in memory for the first few and then spilled
    monkeypatch.setattr(batchbooks, "IDS_IN_MEMORY", ids_in_memory)
    spilled, spilled_err = _cli(capsys, str(path), "--format", output)
    assert spilled == _reference(path, output)
    monkeypatch.setenv("RISKSCREEN_SORT_RUN", "100000")  # one run, all in memory
    monkeypatch.undo()
    in_memory, in_memory_err = _cli(capsys, str(path), "--format", output)
    assert spilled == in_memory
    assert spilled_err == in_memory_err  # the same error and warning lines, the same summary


def test_min_priority_through_the_spill(
    awkward: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RISKSCREEN_SORT_RUN", "5")
    out, _ = _cli(capsys, str(awkward), "--format", "json", "--min-priority", "P2")
    assert out == _reference(awkward, "json", "P2")


def test_repeated_ids_are_warned_once_per_repeat(awkward: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = _cli(capsys, str(awkward), "--format", "json")
    duplicates = [
        w for w in json.loads(out)["warnings"] if "重复" in w["message"] or "duplicate" in w["message"]
    ]
    assert len(duplicates) == 3  # records[3] twice more, records[40] once more


@pytest.mark.parametrize("output", ["json", "jsonl", "csv"])
def test_input_order_has_the_same_lines_unsorted(
    output: str, awkward: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    streamed, _ = _cli(capsys, str(awkward), "--format", output, "--order", "input")
    ordered, _ = _cli(capsys, str(awkward), "--format", output)
    if output == "json":
        a, b = json.loads(streamed), json.loads(ordered)
        assert sorted(map(json.dumps, a["alerts"])) == sorted(map(json.dumps, b["alerts"]))
        assert a["summary"] == b["summary"] and a["errors"] == b["errors"]
        ids = [alert["observation_id"] for alert in a["alerts"]]
        position = {
            alert["observation_id"]: _lines(awkward).index(
                next(line for line in _lines(awkward) if f'"{alert["observation_id"]}"' in line)
            )
            for alert in a["alerts"]
        }
        assert ids == sorted(ids, key=position.__getitem__)  # as the records came
    else:
        assert sorted(streamed.splitlines()) == sorted(ordered.splitlines())
        assert streamed != ordered


@given(st.lists(st.tuples(st.integers(-5, 5), st.text(max_size=3)), max_size=60), st.integers(1, 8))
def test_a_spill_reads_back_sorted_and_stable(items: list[tuple[int, str]], run_size: int) -> None:
    spill: SortedSpill[int, str] = SortedSpill(run_size)
    for key, value in items:
        spill.add(key, value)
    assert list(spill.items()) == sorted(items, key=lambda item: item[0])
    assert len(spill) == len(items)


def test_runs_are_merged_before_there_are_too_many_to_read_at_once() -> None:
    spill: SortedSpill[int, int] = SortedSpill(run_size=3)
    keys = [random.Random(5).randrange(40) for _ in range(1000)]
    for position, key in enumerate(keys):
        spill.add(key, position)
        assert spill.runs < FAN_IN
    assert list(spill.items()) == sorted(zip(keys, range(1000), strict=True), key=lambda item: item[0])
