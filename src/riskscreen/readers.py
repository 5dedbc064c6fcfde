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
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from pydantic_core import from_json

from .i18n import text
from .screener import RecordInput, UnreadableRecord

__all__ = ["detect_format", "jsonl_records", "parse_lines", "read_files", "read_records"]

FORMATS = ("json", "jsonl", "csv")

#: Longest JSONL line read as a record; a longer one is an error record, not a slow parse.
MAX_RECORD_CHARS = 2_000_000


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


def read_records(path: str, fmt: str | None = None, encoding: str = "utf-8-sig") -> Iterator[RecordInput]:
    """Records from ``path`` (``-`` for standard input); JSONL and CSV are streamed.

    A path ending in ``.gz`` is read through gzip, its format taken from the name before it.

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
            lines = itertools.chain(blank, [first], handle)
            if fmt == "json":
                yield from _json("".join(blank) + first + handle.read())
            elif fmt == "jsonl":
                yield from _jsonl(lines)
            else:
                yield from _csv(lines)
    except UnicodeDecodeError as exc:
        yield UnreadableRecord(
            text("input.cannot_decode", path=path, encoding=encoding.removesuffix("-sig"), byte=exc.start)
        )
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        # a damaged or cut-off gzip file: what was read stands, the rest is one error record
        yield UnreadableRecord(text("input.bad_gzip", path=path, reason=exc))


def read_files(
    paths: Sequence[str], fmt: str | None = None, encoding: str = "utf-8-sig"
) -> Iterator[RecordInput]:
    """The records of each file in turn (:func:`read_records`), as one batch.

    From several files a line number alone does not say where a line is: each unreadable
    record's message then names its file too (unless it already does).
    """
    for path in paths:
        records = read_records(path, fmt, encoding)
        if len(paths) == 1:
            yield from records
            continue
        for record in records:
            if isinstance(record, UnreadableRecord) and not record.message.startswith(path):
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


def _loads(document: str) -> Any:
    """``json.loads(document)``, decoded by pydantic-core's parser when it can.

    pydantic-core reads a record in about half json's time and gives the same values for
    every text it accepts. It refuses some texts json accepts (nesting over 200 levels, a
    lone surrogate, escaped or not), and its errors are worded differently; in both cases
    json decodes the text again, so values and error messages are json's own.
    """
    try:
        return from_json(document)
    except (ValueError, TypeError):  # TypeError: a lone surrogate in the text itself
        return json.loads(document)


def _reason(exc: json.JSONDecodeError) -> str:
    """json's reason, whole: its message stops at "at" before the position it left out."""
    reason = exc.msg.removesuffix(" at").removesuffix(":")
    return text("input.json_reason." + reason, default=reason)


def _jsonl(stream: Iterable[str]) -> Iterator[RecordInput]:
    for number, line in enumerate(stream, 1):
        if line and not line.isspace():
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
    if len(line) > MAX_RECORD_CHARS:
        return UnreadableRecord(text("input.too_long", line=number, limit=MAX_RECORD_CHARS))
    try:
        value = _loads(line)
    except json.JSONDecodeError as exc:
        return UnreadableRecord(
            text("input.invalid_json", line=number, column=exc.colno, reason=_reason(exc))
        )
    except RecursionError:
        return UnreadableRecord(text("input.too_deep", line=number))
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        return UnreadableRecord(text("input.bad_value", line=number, reason=exc))
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
        value = _loads(document)
    except json.JSONDecodeError as exc:
        yield UnreadableRecord(
            text("input.document_invalid", line=exc.lineno, column=exc.colno, reason=_reason(exc))
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
