"""Archives of past reports: JSONL, JSON, CSV and Parquet files, gzip, folders and globs.

An archive is read one record at a time, in a fixed order (the arguments in the order
given; inside a folder or a glob, files sorted by path), so that two runs over the same
archive see the same records in the same order. A line or row that cannot be read is
counted against its file, and the first few are kept as samples; it never stops the run.
"""

from __future__ import annotations

import glob
import gzip
import os
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from ..readers import jsonl_records, parse_lines
from ..validation import UnreadableRecord

__all__ = [
    "ARCHIVE_SUFFIXES",
    "ArchiveError",
    "ArchiveFile",
    "ArchiveReport",
    "Item",
    "archive_files",
    "archive_format",
    "archive_items",
    "parse_item",
    "read_archive",
]

#: File endings read as archive parts, each also with ``.gz``.
ARCHIVE_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".parquet")
#: Invalid records kept as samples per file.
SAMPLES_PER_FILE = 5
#: Rows read from Parquet at a time.
PARQUET_BATCH = 4096


class ArchiveError(ValueError):
    """An archive argument that names nothing readable (no such file, an empty glob)."""


class ArchiveFile(BaseModel):
    """What one archive file gave: records read, records that could not be read, samples."""

    path: str
    format: str
    records: int = 0
    invalid: int = 0
    samples: list[str] = Field(default_factory=list)


class ArchiveReport(BaseModel):
    """Every file of an archive with its counts; ``records`` excludes the invalid ones."""

    files: list[ArchiveFile] = Field(default_factory=list)

    @property
    def records(self) -> int:
        """Records read and handed on for screening."""
        return sum(f.records for f in self.files)

    @property
    def invalid(self) -> int:
        """Lines or rows that could not be read."""
        return sum(f.invalid for f in self.files)


def archive_format(path: Path) -> str | None:
    """``jsonl``, ``json``, ``csv`` or ``parquet`` from the file name (gzip or not); None otherwise."""
    name = path.name.lower().removesuffix(".gz")
    for suffix, fmt in ((".jsonl", "jsonl"), (".ndjson", "jsonl"), (".json", "json"), (".csv", "csv")):
        if name.endswith(suffix):
            return fmt
    return "parquet" if name.endswith(".parquet") and not path.name.lower().endswith(".gz") else None


def _folder_files(folder: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        # hidden folders (.git) and caches are not part of an archive
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        found.extend(Path(dirpath) / f for f in filenames if archive_format(Path(dirpath) / f))
    return sorted(found)


def archive_files(arguments: Sequence[str]) -> list[Path]:
    """The files the arguments name: files as given, folders searched, globs expanded; sorted within each.

    Raises :class:`ArchiveError` for an argument that names no archive file.
    """
    files: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found = _folder_files(path)
            if not found:
                raise ArchiveError(
                    f"{argument}: no archive files (*.jsonl, *.csv, *.parquet, gzip) in this folder"
                )
        elif path.is_file():
            if archive_format(path) is None:
                raise ArchiveError(
                    f"{argument}: not an archive file (expected {', '.join(ARCHIVE_SUFFIXES)})"
                )
            found = [path]
        elif glob.has_magic(argument):
            found = sorted(Path(p) for p in glob.glob(argument, recursive=True) if archive_format(Path(p)))
            if not found:
                raise ArchiveError(f"{argument}: the pattern matches no archive file")
        else:
            raise ArchiveError(f"{argument}: no such file or folder")
        files.extend(found)
    unique: dict[Path, None] = dict.fromkeys(files)  # a file named twice is read once
    return list(unique)


def _text_lines(path: Path, encoding: str) -> Iterator[str]:
    if path.name.lower().endswith(".gz"):
        with gzip.open(path, "rt", encoding=encoding, newline="") as handle:
            yield from handle
    else:
        with path.open(encoding=encoding, newline="") as handle:
            yield from handle


def _without_nulls(value: Any) -> Any:
    """A Parquet row as an observation: nulls are absent values, dotted columns are nested."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if item is None:
                continue
            *parents, leaf = str(key).split(".")
            target = out
            for part in parents:
                target = target.setdefault(part, {})
            target[leaf] = _without_nulls(item)
        return out
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def _parquet_rows(path: Path) -> Iterator[Any]:
    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - the archive extra installs it
        yield UnreadableRecord(f"{path}: reading Parquet needs pyarrow (pip install 'riskscreen[archive]')")
        return
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several kinds for a file that is not Parquet
        yield UnreadableRecord(f"not a readable Parquet file: {exc}")
        return
    for batch in parquet.iter_batches(batch_size=PARQUET_BATCH):
        for row in batch.to_pylist():
            yield _without_nulls(row)


def _records(path: Path, fmt: str, encoding: str) -> Iterator[Any]:
    if fmt == "parquet":
        yield from _parquet_rows(path)
        return
    lines = _text_lines(path, encoding)
    try:
        yield from parse_lines(lines, fmt)
    except UnicodeDecodeError as exc:
        yield UnreadableRecord(
            f"cannot decode as {encoding.removesuffix('-sig')} at byte {exc.start}; rest of file"
        )
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        # a truncated or corrupt gzip part: what was read counts, the rest is one invalid record
        yield UnreadableRecord(f"unreadable from here on: {exc or type(exc).__name__}")


#: A unit of an archive: (file index, line or row number, a raw JSONL line or a parsed record).
#: JSONL lines travel unparsed, so that parsing happens where they are screened.
Item = tuple[int, int, "str | dict[str, Any]"]


def _invalid(entry: ArchiveFile, message: str) -> None:
    entry.invalid += 1
    if len(entry.samples) < SAMPLES_PER_FILE:
        entry.samples.append(f"{entry.path}: {message}")


def _jsonl_lines(path: Path, encoding: str) -> Iterator[tuple[int, str] | UnreadableRecord]:
    try:
        for number, line in enumerate(_text_lines(path, encoding), 1):
            if line.strip():
                yield number, line
    except UnicodeDecodeError as exc:
        yield UnreadableRecord(
            f"cannot decode as {encoding.removesuffix('-sig')} at byte {exc.start}; rest of file"
        )
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        yield UnreadableRecord(f"unreadable from here on: {exc or type(exc).__name__}")


def archive_items(
    files: Iterable[Path], report: ArchiveReport, *, encoding: str = "utf-8-sig"
) -> Iterator[Item]:
    """Every line of the JSONL parts and every readable record of the others, in order.

    Unreadable rows, lines that cannot be decoded and the rest of a truncated part are
    counted in ``report``; a JSONL line's own records are counted by whoever parses it
    (:func:`parse_item`).
    """
    for index, path in enumerate(files):
        fmt = archive_format(path) or "jsonl"
        entry = ArchiveFile(path=str(path), format=fmt + (".gz" if path.name.lower().endswith(".gz") else ""))
        report.files.append(entry)
        if fmt == "jsonl":
            for got in _jsonl_lines(path, encoding):
                if isinstance(got, UnreadableRecord):
                    _invalid(entry, got.message)
                else:
                    yield index, got[0], got[1]
            continue
        for number, record in enumerate(_records(path, fmt, encoding), 1):
            if isinstance(record, dict):
                entry.records += 1
                yield index, number, record
            else:
                _invalid(
                    entry,
                    record.message if isinstance(record, UnreadableRecord) else "expected a JSON object",
                )


def parse_item(item: Item) -> Iterator[dict[str, Any] | UnreadableRecord]:
    """The records of an item: its parsed record, or those of its JSONL line (or why not)."""
    _, number, payload = item
    if isinstance(payload, str):
        for record in jsonl_records(payload, number):
            yield (
                record
                if isinstance(record, (dict, UnreadableRecord))
                else UnreadableRecord("expected a JSON object")
            )
    else:
        yield payload


def read_archive(
    files: Iterable[Path], report: ArchiveReport, *, encoding: str = "utf-8-sig"
) -> Iterator[dict[str, Any]]:
    """Every readable record of the files in order, parsed here; unreadable ones counted in ``report``."""
    for item in archive_items(files, report, encoding=encoding):
        entry = report.files[item[0]]
        parsed = isinstance(item[2], dict)  # already counted when read
        for record in parse_item(item):
            if isinstance(record, UnreadableRecord):
                _invalid(entry, record.message)
                continue
            entry.records += not parsed
            yield record
