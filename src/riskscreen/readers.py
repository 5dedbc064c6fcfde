"""Reading observations from JSON, JSONL and CSV, one record at a time.

A line or row that cannot be read becomes an :class:`~riskscreen.screener.UnreadableRecord`
in its place, so the batch goes on and the record is still counted and reported.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import itertools
import json
import sys
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, TextIO, overload

from .i18n import text
from .jsonline import MAX_RECORD_CHARS, JsonLine, LineError, decode_line, holds_one_record, json_reason, loads
from .models import Observation
from .screener import RecordInput, UnreadableRecord

__all__ = [
    "MAX_RECORD_CHARS",
    "DecodedRecord",
    "JsonLine",
    "detect_format",
    "jsonl_records",
    "parse_lines",
    "read_files",
    "read_records",
]

FORMATS = ("json", "jsonl", "csv")

#: What the readers give without ``lines``: records decoded (a dict), or error records.
DecodedRecord = Mapping[str, Any] | Observation | UnreadableRecord


def detect_format(name: str, head: str) -> str:
    """The input format from the file name, else from the first characters."""
    lowered = name.lower().removesuffix(".gz")
    for suffix, fmt in ((".jsonl", "jsonl"), (".ndjson", "jsonl"), (".json", "json"), (".csv", "csv")):
        if lowered.endswith(suffix):
            return fmt
    stripped = head.lstrip()
    if stripped.startswith("["):
        return "json"
    if stripped.startswith("{"):
        return "jsonl" if stripped.rstrip().endswith("}") else "json"
    return "csv"


@contextlib.contextmanager
def _open(path: str, encoding: str) -> Iterator[TextIO]:
    if path.lower().endswith(".gz"):
        with gzip.open(path, "rt", encoding=encoding, newline="") as unpacked:
            yield unpacked
        return
    if path != "-":
        with Path(path).open(encoding=encoding, newline="") as handle:
            yield handle
        return
    wrapper = io.TextIOWrapper(sys.stdin.buffer, encoding=encoding, newline="")
    try:
        yield wrapper
    finally:
        # detach rather than close: standard input stays usable for the caller
        wrapper.detach()


@overload
def read_records(
    path: str, fmt: str | None = None, encoding: str = "utf-8-sig", *, lines: Literal[False] = False
) -> Iterator[DecodedRecord]: ...
@overload
def read_records(
    path: str, fmt: str | None = None, encoding: str = "utf-8-sig", *, lines: bool
) -> Iterator[RecordInput]: ...
def read_records(
    path: str, fmt: str | None = None, encoding: str = "utf-8-sig", *, lines: bool = False
) -> Iterator[RecordInput]:
    """Records from ``path`` (``-`` for standard input); JSONL and CSV are streamed.

    A path ending in ``.gz`` is read through gzip, its format taken from the name before it.

    With ``lines``, a JSONL line that holds one record comes as a
    :class:`~riskscreen.jsonline.JsonLine`, its text as read, for a screener to parse and
    validate in one pass (reading and validating take about a fifth less CPU than decoding
    it here first); other lines, and other formats, come as without it.

    Text that cannot be decoded with ``encoding`` ends the file with one error record
    saying where, and which option to use (spreadsheets in China often save GBK).
    """
    try:
        with _open(path, encoding) as handle:
            blank: list[str] = []
            first = handle.readline()
            while first and not first.strip():
                blank.append(first)
                first = handle.readline()
            fmt = fmt or detect_format(path, first)
            text_lines = itertools.chain(blank, [first], handle)
            if fmt == "json":
                yield from _json("".join(blank) + first + handle.read())
            elif fmt == "jsonl":
                yield from _jsonl(text_lines, keep=lines)
            else:
                yield from _csv(text_lines)
    except UnicodeDecodeError as exc:
        yield UnreadableRecord(
            text("input.cannot_decode", path=path, encoding=encoding.removesuffix("-sig"), byte=exc.start)
        )
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        # a damaged or cut-off gzip file: what was read stands, the rest is one error record
        yield UnreadableRecord(text("input.bad_gzip", path=path, reason=exc))


@overload
def read_files(
    paths: Sequence[str],
    fmt: str | None = None,
    encoding: str = "utf-8-sig",
    *,
    lines: Literal[False] = False,
) -> Iterator[DecodedRecord]: ...
@overload
def read_files(
    paths: Sequence[str], fmt: str | None = None, encoding: str = "utf-8-sig", *, lines: bool
) -> Iterator[RecordInput]: ...
def read_files(
    paths: Sequence[str], fmt: str | None = None, encoding: str = "utf-8-sig", *, lines: bool = False
) -> Iterator[RecordInput]:
    """The records of each file in turn (:func:`read_records`, ``lines`` as there), as one batch.

    From several files a line number alone does not say where a line is: each unreadable
    record's message then names its file too (unless it already does).
    """
    for path in paths:
        records = read_records(path, fmt, encoding, lines=lines)
        if len(paths) == 1:
            yield from records
            continue
        for record in records:
            if record.__class__ is JsonLine:
                record.path = path  # its error record, if any, names the file
                yield record
            elif isinstance(record, UnreadableRecord) and not record.message.startswith(path):
                message = text("input.in_file", path=path, message=record.message)
                yield UnreadableRecord(message, field=record.field, id=record.id)
            else:
                yield record


def parse_lines(lines: Iterable[str], fmt: str) -> Iterator[RecordInput]:
    """Records from text already opened (a gzip member, a remote stream) in ``fmt``.

    ``fmt`` is ``json``, ``jsonl`` or ``csv``; unreadable lines become error records, as
    :func:`read_records` gives them.
    """
    if fmt == "json":
        yield from _json("".join(lines))
    elif fmt == "jsonl":
        yield from _jsonl(lines)
    else:
        yield from _csv(lines)


def _jsonl(stream: Iterable[str], keep: bool = False) -> Iterator[RecordInput]:
    """The records of JSON Lines; with ``keep``, a line holding one record as a :class:`JsonLine`."""
    for number, line in enumerate(stream, 1):
        if line and not line.isspace():
            if keep and holds_one_record(line):
                yield JsonLine(line, number)
                continue
            read = _line(line, number)
            # one record a line is the usual case: no generator or list made for it
            if isinstance(read, list):
                yield from read
            else:
                yield read


def jsonl_records(line: str, number: int) -> Iterator[RecordInput]:
    """The records of one JSON Lines line (``number`` counts from 1), or an error record for it.

    A line may hold one observation or a whole ``{"observations": [...]}`` document.
    """
    read = _line(line, number)
    if isinstance(read, list):
        yield from read
    else:
        yield read


def _line(line: str, number: int) -> RecordInput | list[RecordInput]:
    """The record of one JSON Lines line, or the list of a whole document's records."""
    try:
        value = decode_line(line, number)
    except LineError as exc:
        return UnreadableRecord(str(exc))
    if value.__class__ is dict:
        if "id" not in value and isinstance(value.get("observations"), list):
            # a whole {"observations": [...]} document written on one line
            return [
                item if isinstance(item, dict) else UnreadableRecord(text("input.not_object", line=number))
                for item in value["observations"]
            ]
        return value
    return UnreadableRecord(text("input.not_object", line=number))


def _json(document: str) -> Iterator[RecordInput]:
    try:
        value = loads(document)
    except json.JSONDecodeError as exc:
        yield UnreadableRecord(
            text("input.document_invalid", line=exc.lineno, column=exc.colno, reason=json_reason(exc))
        )
        return
    except RecursionError:
        yield UnreadableRecord(text("input.document_too_deep"))
        return
    except ValueError as exc:
        yield UnreadableRecord(text("input.document_bad_value", reason=exc))
        return
    if isinstance(value, dict) and isinstance(value.get("observations"), list):
        value = value["observations"]
    items = value if isinstance(value, list) else [value]
    for item in items:
        yield item if isinstance(item, dict) else UnreadableRecord(text("input.document_not_object"))


def _cell(value: str) -> Any:
    text = value.strip()
    if text.startswith("[") and text.endswith("]"):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text
    return text


def _csv(stream: Iterable[str]) -> Iterator[RecordInput]:
    """Rows with dotted column names (``attrs.depth_m``) nested into objects; empty cells absent."""
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        yield UnreadableRecord(text("input.csv_header", reason=exc))
        return
    columns = [name.strip() for name in header]
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield UnreadableRecord(text("input.csv_line", line=reader.line_num, reason=exc))
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            yield UnreadableRecord(
                text("input.csv_cells", line=reader.line_num, cells=len(row), columns=len(columns))
            )
            continue
        record: dict[str, Any] = {}
        for name, cell in zip(columns, row, strict=False):
            if not cell.strip() or not name:
                continue
            target = record
            *parents, leaf = name.split(".")
            for part in parents:
                nested = target.setdefault(part, {})
                if not isinstance(nested, dict):
                    break
                target = nested
            else:
                target[leaf] = _cell(cell)
        yield record
