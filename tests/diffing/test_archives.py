"""Archives: JSONL, JSON, CSV, Parquet, gzip, folders and globs; unreadable records counted per file."""

from __future__ import annotations

import gzip
import json
import re
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from riskscreen.diffing.archives import ArchiveError, ArchiveReport, archive_files, read_archive

from .archive import REPORTS, write_csv


def _read(*arguments: str | Path) -> tuple[list[dict[str, object]], ArchiveReport]:
    report = ArchiveReport()
    records = list(read_archive(archive_files([str(a) for a in arguments]), report))
    return records, report


def test_parquet_with_struct_and_dotted_columns_reads_like_jsonl(tmp_path: Path) -> None:
    rows = [
        {
            "id": r["id"],
            "category": r["category"],
            "reported_at": r["reported_at"],
            "location": r["location"],
            "attrs.volume_m3": r["attrs"].get("volume_m3"),
            "attrs.has_permit": r["attrs"].get("has_permit"),
        }
        for r in REPORTS
    ]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "reports.parquet")
    records, report = _read(tmp_path / "reports.parquet")
    assert report.records == 12 and report.invalid == 0
    assert records[0] == {
        "id": "q-01",
        "category": "quarry",
        "reported_at": "2026-01-05T09:00:00+08:00",
        "location": {"district": "北管区", "village": "河湾村"},
        "attrs": {"volume_m3": 150.0, "has_permit": True},
    }
    assert "volume_m3" not in records[8]["attrs"]  # a null is an absent value, not None


def test_folder_and_glob_read_sorted_parts_once_in_every_format(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    (folder / "2026").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "x.jsonl").write_text(json.dumps(REPORTS[0]) + "\n", encoding="utf-8")
    (folder / "b.json").write_text(json.dumps({"observations": REPORTS[:2]}), encoding="utf-8")
    with gzip.open(folder / "2026" / "a.csv.gz", "wt", encoding="utf-8") as part:
        part.write(write_csv(tmp_path / "plain.csv").read_text(encoding="utf-8"))
    (folder / "notes.txt").write_text("not an archive part", encoding="utf-8")
    records, report = _read(folder, str(folder / "*.json"))
    assert [Path(f.path).name for f in report.files] == ["a.csv.gz", "b.json"]
    assert [f.format for f in report.files] == ["csv.gz", "json"]
    assert report.records == 14 and report.invalid == 1
    assert [r["id"] for r in records[-2:]] == ["q-01", "q-02"]


def test_a_truncated_gzip_part_keeps_what_was_read_and_counts_the_rest(tmp_path: Path) -> None:
    whole = gzip.compress("".join(json.dumps(r) + "\n" for r in REPORTS * 50).encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "ok.jsonl").write_text(json.dumps(REPORTS[0]) + "\n", encoding="utf-8")
    records, report = _read(tmp_path)
    cut, ok = report.files
    assert cut.invalid == 1 and 0 < cut.records < 600 and "unreadable from here on" in cut.samples[0]
    assert ok.records == 1 and records[-1]["id"] == "q-01"


def test_samples_name_the_file_and_line_and_stop_at_five(tmp_path: Path) -> None:
    lines = ["{broken"] * 7 + [json.dumps(REPORTS[0]), "[1, 2]"]
    (tmp_path / "bad.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, report = _read(tmp_path / "bad.jsonl")
    (entry,) = report.files
    assert (entry.records, entry.invalid, len(entry.samples)) == (1, 8, 5)
    # the reader's message names the line (in the language the messages are set to)
    assert re.match(rf"{re.escape(str(tmp_path / 'bad.jsonl'))}: (line 1: |第 1 行)", entry.samples[0])


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("missing.jsonl", "no such file or folder"),
        ("*.nothing", "the pattern matches no archive file"),
        ("notes.txt", "not an archive file"),
        (".", "no archive files"),
    ],
)
def test_an_argument_naming_nothing_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argument: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ArchiveError, match=message):
        archive_files([argument])


def test_parquet_timestamps_and_nested_structs_backtest_like_jsonl(tmp_path: Path) -> None:
    import riskscreen

    from .archive import HEAD, write_jsonl_folder

    rows = [{**r, "reported_at": datetime.fromisoformat(r["reported_at"])} for r in REPORTS]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "reports.parquet")
    assert (
        str(pq.read_schema(tmp_path / "reports.parquet").field("reported_at").type)
        == "timestamp[us, tz=+08:00]"
    )
    from_parquet = riskscreen.backtest(tmp_path / "reports.parquet", rules=[HEAD], builtin=False, by="month")
    from_jsonl = riskscreen.backtest(
        write_jsonl_folder(tmp_path / "jsonl"), rules=[HEAD], builtin=False, by="month"
    )
    assert from_parquet.periods == from_jsonl.periods
