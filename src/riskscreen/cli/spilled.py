"""``riskscreen screen``'s JSON, JSONL and CSV output with memory bounded whatever the input size.

Each alert is encoded for the output format as soon as it is screened and goes into a
:class:`~riskscreen.spill.SortedSpill` under its priority sort key, so only one sorted run
(``$RISKSCREEN_SORT_RUN`` items, default 10,000) is held at a time; the runs are merged
when the input ends. Undecided no-alert records, error records and warnings are spilled
the same way, and repeated ids are found by spilling ``(id, index)`` pairs and merging
them, so no per-record set grows with the input either. With ``--order input`` the JSONL
and CSV lines are written as the records are screened (nothing is sorted), and JSON's
alerts are written the same way.

The bytes written are those of :mod:`.output`'s writers given the whole batch (tested).
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, TextIO

from ..models import BatchWarning, ErrorRecord, Priority, Summary
from ..spill import SortedSpill, run_size_from_environment
from .batchbooks import BatchBooks
from .compact import Compact, Compacting, pretty
from .output import CSV_COLUMNS

__all__ = ["SpilledOutput"]

#: JSON lines joined into one write (a system call when standard output is unbuffered)
_BLOCK = 256
#: Characters of text gathered before they are written
_TEXT_BLOCK = 1 << 16


class SpilledOutput:
    """Collects one batch's results for ``--format json|jsonl|csv`` and writes them.

    ``min_priority`` leaves out less urgent alerts and undecided records (they are still
    counted). ``order="input"`` writes alerts (and, for JSONL and CSV, undecided records)
    to ``out`` as they arrive instead of sorting them.
    """

    def __init__(
        self,
        out: TextIO,
        output_format: str,
        *,
        min_priority: Priority | None = None,
        order: str = "priority",
        run_size: int | None = None,
    ) -> None:
        self._out = out
        self._format = output_format
        self._min = min_priority
        self._streaming = order == "input"
        size = run_size if run_size is not None else run_size_from_environment()
        self._alerts: SortedSpill[tuple[Any, ...], Any] = SortedSpill(size)
        self._undecided: SortedSpill[tuple[str, int], Any] = SortedSpill(size)
        self._books = BatchBooks(size)
        # text is gathered and written a block at a time: standard output is often unbuffered
        # (PYTHONUNBUFFERED in containers), where each write is a system call
        self._text = io.StringIO()
        self._csv = csv.writer(self._text) if output_format == "csv" else None
        # JSON lines arrive as UTF-8 bytes and go to the binary stream under ``out`` when it has
        # one and writes newlines as they are: they are never decoded and encoded again
        self._binary: BinaryIO | None = None
        if output_format == "jsonl" and os.linesep == "\n" and isinstance(out, io.TextIOWrapper):
            self._binary = out.buffer
        self._streamed = 0
        if self._csv is not None:
            self._csv.writerow(CSV_COLUMNS)
        elif output_format == "json":
            self._text.write('{\n  "alerts": [')

    def job(self) -> Compacting:
        """The per-record job whose :class:`~.compact.Compact` results :meth:`add` takes."""
        return Compacting(self._format, self._min)

    def add(self, item: Compact) -> None:
        """Count one screened record and keep (or write) what the output shows of it."""
        self._books.count(
            item.record_index, item.observation_id, item.warnings, item.undecided, item.priority, item.error
        )
        if item.shows == "alert":
            if self._streaming:
                self._write_item(item.encoded)
            else:
                self._alerts.add(item.key, item.encoded)
        elif item.shows == "undecided":
            if self._streaming and self._format != "json":
                self._write_item(item.encoded)
            else:
                self._undecided.add(
                    item.key if not self._streaming else ("", item.record_index), item.encoded
                )

    @property
    def summary(self) -> Summary:
        """The counts; ``alerts + no_alert + errors == records``."""
        return self._books.summary

    def _write_item(self, encoded: Any) -> None:
        text = self._text
        if self._csv is not None:
            self._csv.writerow(encoded)
        elif self._format == "json":
            text.write(",\n    " if self._streamed else "\n    ")
            text.write(encoded.replace("\n", "\n    "))
        elif self._binary is not None:
            self._drain_for_bytes()
            self._binary.write(encoded + b"\n")  # one write: stdout may be unbuffered
        else:
            text.write(encoded.decode())
            text.write("\n")
        self._streamed += 1
        if self._streaming or text.tell() >= _TEXT_BLOCK:
            self._drain()

    def _drain(self) -> None:
        """Write the text gathered so far."""
        if self._text.tell():
            self._out.write(self._text.getvalue())
            self._text.seek(0)
            self._text.truncate()

    def _drain_for_bytes(self) -> None:
        """Before bytes go to the binary stream: the text before them, written through."""
        if self._text.tell():
            self._drain()
            self._out.flush()

    def errors(self) -> Iterator[ErrorRecord]:
        """The error records in input order (once)."""
        return self._books.errors()

    def warnings(self) -> Iterator[BatchWarning]:
        """Every record's warnings and the repeated ids, in input order (once)."""
        return self._books.warnings()

    def finish(self) -> tuple[Summary, Iterator[ErrorRecord], Iterator[BatchWarning]]:
        """Write the alerts and undecided records; the summary, errors and warnings for the rest.

        For JSON the whole document is written, errors and warnings included, and the
        iterators returned are empty.
        """
        if self._format == "json":
            self._finish_json()
            return self.summary, iter(()), iter(())
        self._write_all(self._alerts.values())
        self._write_all(self._undecided.values())
        self._drain()
        return self.summary, self.errors(), self.warnings()

    def _write_all(self, items: Iterable[Any]) -> None:
        """Write ``items`` in order; JSON lines a block at a time, in one write call each."""
        if self._binary is None:
            for encoded in items:
                self._write_item(encoded)
            return
        self._drain_for_bytes()
        block: list[bytes] = []
        for encoded in items:
            block.append(encoded)
            if len(block) == _BLOCK:
                self._write_lines(self._binary, block)
                block = []
        if block:
            self._write_lines(self._binary, block)

    def _write_lines(self, binary: BinaryIO, lines: list[bytes]) -> None:
        """JSON lines in one write call, each ended by a newline."""
        count = len(lines)
        lines.append(b"")  # the last line's newline, without copying the joined text again
        binary.write(b"\n".join(lines))
        self._streamed += count

    def _finish_json(self) -> None:
        out = self._text
        for encoded in self._alerts.values():
            self._write_item(encoded)
        out.write("\n  ]," if self._streamed else "],")
        self._array("undecided", self._undecided.values())
        self._array(
            "errors",
            (pretty(e) for e in self.errors()),
        )
        summary = json.dumps(self.summary.model_dump(), ensure_ascii=False, indent=2)
        out.write('\n  "summary": ' + summary.replace("\n", "\n  "))
        warnings = (
            json.dumps(w.model_dump(mode="json"), ensure_ascii=False, indent=2) for w in self.warnings()
        )
        first = next(warnings, None)
        if first is not None:
            out.write(",")
            self._array("warnings", _chain(first, warnings), last=True)
        out.write("\n}\n")
        self._drain()

    def _array(self, name: str, items: Iterable[str], last: bool = False) -> None:
        out = self._text
        out.write(f'\n  "{name}": [')
        empty = True
        for encoded in items:
            out.write("\n    " if empty else ",\n    ")
            out.write(encoded.replace("\n", "\n    "))
            empty = False
            if out.tell() >= _TEXT_BLOCK:
                self._drain()
        out.write("]" if empty else "\n  ]")
        if not last:
            out.write(",")


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest
