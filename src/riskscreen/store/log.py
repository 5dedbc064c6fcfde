"""The case log: every change to a case, with when, who, what and why."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert

from .tables import case_log, fitted

__all__ = ["write"]


def write(connection: Connection, number: int, at: datetime, by: str, what: str, note: str = "") -> None:
    """Append one entry to case ``number``'s log."""
    row = fitted("case_log", {"case_id": number, "at": at, "by": by, "what": what, "note": note})
    connection.execute(insert(case_log).values(**row))
