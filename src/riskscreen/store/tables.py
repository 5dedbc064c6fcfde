"""The store's tables (SQLAlchemy Core): sites, their keys, reports, cases and the case log.

The migrations in ``migrations/versions`` create exactly these; a test checks that they
agree. Times are stored in UTC (``UTCDateTime``) so that SQLite's text times sort and
compare like PostgreSQL's ``timestamptz``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)

from .lengths import fit

__all__ = [
    "TEXT_LENGTHS",
    "UTCDateTime",
    "case_log",
    "cases",
    "fitted",
    "metadata",
    "reports",
    "site_keys",
    "sites",
]


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored in UTC; read back as an aware UTC datetime."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"the store keeps aware times only, got {value!r}")
        utc = value.astimezone(timezone.utc)
        # SQLite keeps text: a naive UTC time sorts and compares correctly
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


metadata = MetaData()

#: A place reports are about: a grid + normalised address, a lat/lon point, or both.
sites = Table(
    "sites",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("label", String(400), nullable=False),
    Column("lat", Float, nullable=True),
    Column("lon", Float, nullable=True),
    # the spatial bucket ("row:column" of a grid of sites.CELL_M cells, whatever the radius)
    Column("cell", String(40), nullable=True),
    Index("ix_sites_cell", "cell"),
)

#: Every address key seen for a site (a site found by lat/lon may gain several).
site_keys = Table(
    "site_keys",
    metadata,
    Column("key", String(400), primary_key=True),
    Column("site_id", Integer, ForeignKey("sites.id"), nullable=False),
)

#: Cases: repeat reports about one site and category, tracked to closure.
cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("site_id", Integer, ForeignKey("sites.id"), nullable=False),
    Column("category", String(64), nullable=False),
    Column("village", String(200), nullable=True),
    Column("district", String(200), nullable=True),
    Column("status", String(16), nullable=False),
    # the most urgent priority seen; `priority` is that, lifted one band after repeats
    Column("base_priority", String(2), nullable=True),
    Column("priority", String(2), nullable=True),
    Column("could_be", String(2), nullable=True),
    Column("lifted", Boolean, nullable=False, default=False),
    Column("score", Float, nullable=False, default=0.0),
    Column("escalate_to", String(16), nullable=False),
    Column("respond_by", UTCDateTime, nullable=True),
    # the deadline the last escalation was for: never escalate twice for one deadline
    Column("escalated_for", UTCDateTime, nullable=True),
    Column("reports", Integer, nullable=False, default=1),
    Column("rule_ids", JSON, nullable=False),
    Column("disposition", String(16), nullable=True),
    Column("assignee", String(200), nullable=True),
    Column("opened_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime, nullable=True),
    Column("rectified_at", UTCDateTime, nullable=True),
    Index("ix_cases_site_category", "site_id", "category", "id"),
    Index("ix_cases_status_respond_by", "status", "respond_by"),
)

#: Every change to a case: when, who, what, why.
case_log = Table(
    "case_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("by", String(200), nullable=False),
    Column("what", String(32), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Index("ix_case_log_case", "case_id", "id"),
)

#: Every ingested record, screened or not. ``key`` is the observation id, or a content
#: hash for an error record without one: ingesting it again finds it here.
reports = Table(
    "reports",
    metadata,
    Column("key", String(240), primary_key=True),
    Column("observation_id", String(200), nullable=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=True),
    Column("site_id", Integer, ForeignKey("sites.id"), nullable=True),
    Column("category", String(64), nullable=True),
    Column("village", String(200), nullable=True),
    Column("district", String(200), nullable=True),
    Column("reported_at", UTCDateTime, nullable=True),
    Column("received_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("priority", String(2), nullable=True),
    Column("could_be", String(2), nullable=True),
    Column("score", Float, nullable=True),
    Column("rule_ids", JSON, nullable=False),
    # observation status rectified/closed: the caller says the hazard was dealt with
    Column("rectified", Boolean, nullable=False, default=False),
    Column("error", Text, nullable=True),
    # the observation (or the raw record of an error record) and the findings, as JSON text
    Column("payload", Text, nullable=False),
    Column("findings", Text, nullable=False, default="[]"),
    Index("ix_reports_site_category_time", "site_id", "category", "reported_at"),
    Index("ix_reports_case", "case_id", "reported_at"),
    Index("ix_reports_reported_at", "reported_at"),
    Index("ix_reports_status", "status"),
)

#: (table, column) -> the length of each text column that has one.
TEXT_LENGTHS: dict[tuple[str, str], int] = {
    (table.name, column.name): column.type.length
    for table in metadata.sorted_tables
    for column in table.columns
    if isinstance(column.type, String) and column.type.length is not None
}


def fitted(table: str, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` for a row of ``table`` with every text fitted to its column (see lengths.py)."""
    out = values
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        limit = TEXT_LENGTHS.get((table, name))
        if "\x00" in value or (limit is not None and len(value) > limit):
            if out is values:
                out = dict(values)
            out[name] = fit(value, limit)
    return out
