"""Text made to fit its column: no longer than its length, and without NUL characters.

PostgreSQL refuses a value longer than its ``VARCHAR``, and any text holding NUL (SQLite
keeps both), and one refused value rolls back the whole chunk being ingested. Names in
reports are untrusted and may be of any length the validator allows, so every text
written to the store is fitted to its column: NUL replaced, and a text over the length
cut and ended with a hash of the whole, so that two long values that share their
beginning stay apart (a key or an id must not merge with another).
"""

from __future__ import annotations

import hashlib

__all__ = ["fit"]

_DIGEST = 16


def fit(text: str, limit: int | None) -> str:
    """``text`` without NUL characters, and when longer than ``limit`` its beginning ``~`` a hash.

    PostgreSQL refuses NUL in text too; each becomes U+FFFD (the replacement character), so
    an id ending in NUL is still another id than the same id without it.
    """
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    if limit is None or len(text) <= limit:
        return text
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:_DIGEST]
    return f"{text[: limit - _DIGEST - 1]}~{digest}"
