"""Case ids as people see them (``C-000042``) and the row numbers behind them."""

from __future__ import annotations

import re

from .errors import CaseNotFoundError
from .messages import say

__all__ = ["case_id", "case_number"]

_PATTERN = re.compile(r"^C-?0*(\d+)$", re.IGNORECASE)
#: The largest case number: cases.id is a 32-bit INTEGER on PostgreSQL.
_LARGEST = 2**31 - 1


def case_id(number: int) -> str:
    """The id of case row ``number``."""
    return f"C-{number:06d}"


def case_number(text: str) -> int:
    """The row number of a case id (``C-000042``, ``C-42`` or ``c42``)."""
    match = _PATTERN.match(text.strip())
    if match is None or int(match.group(1)) == 0:
        raise CaseNotFoundError(say("bad_case_id", case=text))
    number = int(match.group(1))
    if number > _LARGEST:
        # no such row can exist; asking the database would be an error, not "no such case"
        raise CaseNotFoundError(say("no_case", case=text))
    return number
