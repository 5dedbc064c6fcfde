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
from .url import DEFAULT_URL, default_url

if TYPE_CHECKING:
    from .models import Case, CaseLogEntry, CaseStatus, Disposition, ReportStatus, StoredReport
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


_MODELS = ("Case", "CaseLogEntry", "CaseStatus", "Disposition", "ReportStatus", "StoredReport")


def __getattr__(name: str) -> Any:
    # the tracker pulls in SQLAlchemy; the models and errors stay importable without it.
    # The models are imported on first use too: the store's errors and URL (what every
    # command with --db options imports) should not cost building their pydantic classes.
    if name in ("Tracker", "TrackerOptions", "IngestSummary"):
        from . import tracker

        return getattr(tracker, name)
    if name in _MODELS:
        from . import models

        return getattr(models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
