"""Text made to fit the length of its column.

PostgreSQL refuses a value longer than its ``VARCHAR`` (SQLite keeps it), and one refused
value rolls back the whole chunk being ingested. Names in reports are untrusted and may be
of any length the validator allows, so every text written to a column with a length is
fitted to it: cut, and ended with a hash of the whole so that two long values that share
their beginning stay apart (a key or an id must not merge with another).
"""

from __future__ import annotations

import hashlib

__all__ = ["fit"]

_DIGEST = 16


def fit(text: str, limit: int) -> str:
    """``text`` itself when it has at most ``limit`` characters, else its beginning ``~`` a hash."""
    if len(text) <= limit:
        return text
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:_DIGEST]
    return f"{text[: limit - _DIGEST - 1]}~{digest}"
