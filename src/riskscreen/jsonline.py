"""One line of JSON Lines: decoded into a value, or kept as text for one-pass validation.

The JSONL reader decodes each line into a dict for whoever reads the records. A screener
does better with the text itself: pydantic-core then parses and validates the record in
one call (:mod:`riskscreen.fastpath`), without a dict of plain values built in between.
:class:`JsonLine` is that text, with the line number its error records name; the
decoding here is the reader's own, so a line the one-pass validation leaves is read, and
reported, exactly as the reader would have.
"""

from __future__ import annotations

import json
import re
from typing import Any, cast

from pydantic_core import from_json

from .i18n import text

__all__ = [
    "MAX_RECORD_CHARS",
    "JsonLine",
    "LineError",
    "decode_line",
    "holds_one_record",
    "json_reason",
    "loads",
]

#: Longest JSONL line read as a record; a longer one is an error record, not a slow parse.
MAX_RECORD_CHARS = 2_000_000

# the first "category": "..." of a JSON text, when written plainly (no escapes)
_CATEGORY = re.compile(r'"category"[ \t\r\n]*:[ \t\r\n]*"([^"\\]*)"')
# an escaped lowercase letter (a-z are U+0061..U+007A), as a key spelt with escapes has
_LETTER_ESCAPE = re.compile(r"\\u00[67][0-9a-fA-F]")


class LineError(ValueError):
    """A line that does not decode; its text is the error record's message."""


def loads(document: str) -> Any:
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


def json_reason(exc: json.JSONDecodeError) -> str:
    """json's reason, whole: its message stops at "at" before the position it left out."""
    reason = exc.msg.removesuffix(" at").removesuffix(":")
    return text("input.json_reason." + reason, default=reason)


def decode_line(line: str, number: int) -> Any:
    """The JSON value on line ``number`` (from 1); :class:`LineError` says why there is none."""
    if len(line) > MAX_RECORD_CHARS:
        raise LineError(text("input.too_long", line=number, limit=MAX_RECORD_CHARS))
    try:
        return loads(line)
    except json.JSONDecodeError as exc:
        reason = json_reason(exc)
        raise LineError(text("input.invalid_json", line=number, column=exc.colno, reason=reason)) from None
    except RecursionError:
        raise LineError(text("input.too_deep", line=number)) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise LineError(text("input.bad_value", line=number, reason=exc)) from None


def holds_one_record(line: str) -> bool:
    """Whether ``line`` can only be one record, never a whole ``{"observations": [...]}`` document.

    A document needs the key ``observations``; JSON can spell its letters only as
    themselves or as ``\\u006X`` / ``\\u007X`` escapes, so a line with neither spelling has no
    such key (other escapes, a Chinese name's ``\\u00b7`` among them, do not matter).
    """
    return (
        len(line) <= MAX_RECORD_CHARS
        and '"observations"' not in line
        and ("\\u00" not in line or _LETTER_ESCAPE.search(line) is None)
    )


class JsonLine:
    """The text of one JSON Lines line that holds one record, as read.

    :meth:`riskscreen.Screener.screen` (and ``validate``, ``iter_screen``) take it like a
    dict: the screener validates the text in one pass where it can, and otherwise decodes
    it as the JSONL reader does, so results and error records are the same either way.
    :func:`riskscreen.readers.read_records` gives these for JSONL lines with
    ``lines=True``. ``path`` names the file in the messages of error records (set when
    several files are read as one batch).
    """

    __slots__ = ("_category", "number", "path", "text")

    def __init__(self, text: str, number: int = 1, path: str | None = None) -> None:
        self.text = text
        self.number = number
        self.path = path
        self._category: str | bool | None = False  # not looked for yet

    def category(self) -> str | None:
        """The first ``"category": "..."`` of the text, written plainly (no escapes), or ``None``.

        Looked for once: the fast path picks the category's validator by it, and a chunk of
        lines is screened category by category. An attribute or another object could name a
        category first; the fast path checks the validated record's own.
        """
        found = self._category
        if found is False:
            match = _CATEGORY.search(self.text)
            found = self._category = match[1] if match is not None else None
        return cast("str | None", found)

    def __repr__(self) -> str:
        return f"JsonLine({self.text[:40]!r}{'...' if len(self.text) > 40 else ''}, number={self.number})"

    def record(self) -> dict[str, Any]:
        """The record on the line, as the JSONL reader reads it.

        :class:`LineError` if there is none (not JSON, or not a JSON object), with the
        message of the reader's error record for the line, naming the file if ``path`` is set.
        """
        try:
            value = decode_line(self.text, self.number)
        except LineError as exc:
            message = str(exc)
        else:
            if value.__class__ is dict:
                return value
            message = text("input.not_object", line=self.number)
        if self.path is not None and not message.startswith(self.path):
            message = text("input.in_file", path=self.path, message=message)
        raise LineError(message)
