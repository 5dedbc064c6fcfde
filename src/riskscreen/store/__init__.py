"""The history store: repeat reports merged into cases, tracked to closure (闭环).

:class:`Tracker` ingests reports into a database (SQLite by default, PostgreSQL by URL),
computes their ``history`` from it, screens them and merges them into cases. The models
(:class:`Case`, :class:`StoredReport`) are what services and reports read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    CaseNotFoundError,
    InvalidTransitionError,
    SchemaOutdatedError,
    SchemaTooNewError,
    StoreError,
    StoreUnreachableError,
)
from .models import Case, CaseLogEntry, CaseStatus, Disposition, ReportStatus, StoredReport
from .url import DEFAULT_URL, default_url

if TYPE_CHECKING:
    from .tracker import IngestSummary, Tracker, TrackerOptions

__all__ = [
    "DEFAULT_URL",
    "Case",
    "CaseLogEntry",
    "CaseNotFoundError",
    "CaseStatus",
    "Disposition",
    "IngestSummary",
    "InvalidTransitionError",
    "ReportStatus",
    "SchemaOutdatedError",
    "SchemaTooNewError",
    "StoreError",
    "StoreUnreachableError",
    "StoredReport",
    "Tracker",
    "TrackerOptions",
    "default_url",
]


def __getattr__(name: str) -> Any:
    # the tracker pulls in SQLAlchemy; the models and errors stay importable without it
    if name in ("Tracker", "TrackerOptions", "IngestSummary"):
        from . import tracker

        return getattr(tracker, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
