"""The case log: every change to a case, with when, who, what and why."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert

from .tables import case_log

__all__ = ["write"]


def write(connection: Connection, number: int, at: datetime, by: str, what: str, note: str = "") -> None:
    """Append one entry to case ``number``'s log."""
    connection.execute(insert(case_log).values(case_id=number, at=at, by=by, what=what, note=note))
