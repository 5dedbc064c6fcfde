"""Case ids as people see them (``C-000042``) and the row numbers behind them."""

from __future__ import annotations

import re

from .errors import CaseNotFoundError
from .messages import say

__all__ = ["case_id", "case_number"]

_PATTERN = re.compile(r"^C-?0*(\d+)$", re.IGNORECASE)


def case_id(number: int) -> str:
    """The id of case row ``number``."""
    return f"C-{number:06d}"


def case_number(text: str) -> int:
    """The row number of a case id (``C-000042``, ``C-42`` or ``c42``)."""
    match = _PATTERN.match(text.strip())
    if match is None or int(match.group(1)) == 0:
        raise CaseNotFoundError(say("bad_case_id", case=text))
    return int(match.group(1))
