"""Messages on standard error, summarised after the first :data:`SHOWN`.

A batch with 40,000 repeated ids must not bury the terminal: the first messages are shown,
then one line counts the rest and says where every one of them is (the JSON output, or
``riskscreen lint`` for rule-pack problems).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from ..i18n import text
from ..models import ErrorRecord

__all__ = ["SHOWN", "error_lines", "print_summarised"]

#: How many messages are printed before the rest are counted.
SHOWN = 20


def print_summarised(
    lines: Iterable[str], *, what: str, where: str, out: TextIO | None = None, shown: int = SHOWN
) -> int:
    """Print the first ``shown`` of ``lines`` and a count of the rest; returns how many there were.

    ``what`` and ``where`` are message keys (``cli.what.*``, ``cli.where.*``) naming the kind
    of message and where all of them can be read.
    """
    stream = out if out is not None else sys.stderr
    total = 0
    for line in lines:
        total += 1
        if total <= shown:
            print(line, file=stream)
    if total > shown:
        more = text("cli.more", count=total - shown, total=total, what=text(what), where=text(where))
        print(more, file=stream)
    return total


def error_lines(errors: Iterable[ErrorRecord]) -> Iterator[str]:
    """One line per error record: its number in the input (from 1), its id, the field and why."""
    for error in errors:
        # a message about several fields names each itself
        named = not error.field or error.message.startswith(error.field)
        where = "" if named else text("record.fields", field=error.field, message="")
        yield text(
            "cli.record_error",
            line=error.index + 1,
            id=error.id or text("cli.no_id"),
            field=where,
            message=error.message,
        )
