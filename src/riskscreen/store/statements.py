"""The statements ingest runs for every report, built once.

Building a statement with its values inlined costs more than running it on SQLite; these
take their values as execution parameters, so each is compiled once per process.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, Integer, bindparam, select, text

from .tables import UTCDateTime, cases, fitted, site_keys

__all__ = [
    "CELLS_PER_QUERY",
    "HISTORY",
    "SITE_BY_KEY",
    "RawQueries",
]

#: Earlier reports at a site in a category: counts in 7 and 30 days, the last time, and
#: whether the hazard was rectified before (a report said so, or a case reached it).
HISTORY = (
    text(
        """
        SELECT
          COALESCE(SUM(CASE WHEN reported_at >= :week THEN 1 ELSE 0 END), 0) AS week,
          COALESCE(SUM(CASE WHEN reported_at >= :month THEN 1 ELSE 0 END), 0) AS month,
          MAX(reported_at) AS last,
          COALESCE(MAX(CASE WHEN rectified THEN 1 ELSE 0 END), 0) AS rectified,
          (SELECT COUNT(*) FROM (
             SELECT 1 AS one FROM cases
             WHERE site_id = :site AND category = :category AND rectified_at < :at
             LIMIT 1) AS done) AS case_rectified
        FROM reports
        WHERE site_id = :site AND category = :category AND reported_at < :at AND status <> 'error'
        """
    )
    .bindparams(
        bindparam("site", type_=Integer()),
        bindparam("at", type_=UTCDateTime()),
        bindparam("week", type_=UTCDateTime()),
        bindparam("month", type_=UTCDateTime()),
    )
    .columns(
        week=Integer(), month=Integer(), last=UTCDateTime(), rectified=Integer(), case_rectified=Integer()
    )
)

SITE_BY_KEY = select(site_keys.c.site_id).where(site_keys.c.key == bindparam("key"))

#: Buckets looked up per statement (SQLite builds may allow as few as 999 parameters).
CELLS_PER_QUERY = 500


class RawQueries:
    """The two reads ingest makes for every report, on the driver's own cursor.

    SQLAlchemy's per-statement overhead is several times the cost of these indexed
    lookups on SQLite, so ingest runs them on the DBAPI cursor of the same connection
    (inside the same transaction). Times are converted here exactly as
    :class:`~riskscreen.store.tables.UTCDateTime` stores them.
    """

    _HISTORY = """
        SELECT
          COALESCE(SUM(CASE WHEN reported_at >= :week THEN 1 ELSE 0 END), 0),
          COALESCE(SUM(CASE WHEN reported_at >= :month THEN 1 ELSE 0 END), 0),
          MAX(reported_at),
          COALESCE(MAX(CASE WHEN rectified THEN 1 ELSE 0 END), 0),
          (SELECT COUNT(*) FROM (
             SELECT 1 AS one FROM cases
             WHERE site_id = :site AND category = :category AND rectified_at < :at
             LIMIT 1) AS done)
        FROM reports
        WHERE site_id = :site AND category = :category AND reported_at < :at AND status <> 'error'
    """
    _LATEST_CASE = (
        "SELECT " + ", ".join(c.name for c in cases.c) + " FROM cases "
        "WHERE site_id = :site AND category = :category ORDER BY id DESC LIMIT 1"
    )
    _TIMES = ("respond_by", "escalated_for", "opened_at", "updated_at", "closed_at", "rectified_at")

    def __init__(self, connection: Connection) -> None:
        self.sqlite = connection.dialect.name == "sqlite"
        driver = connection.connection.driver_connection
        assert driver is not None
        self.cursor = driver.cursor()
        self.history_sql = self._sql(self._HISTORY)
        self.latest_sql = self._sql(self._LATEST_CASE)

    def _sql(self, text: str) -> str:
        # sqlite3 takes :name; psycopg takes %(name)s
        return text if self.sqlite else re.sub(r":(\w+)", r"%(\1)s", text)

    def time(self, value: datetime) -> Any:
        """A parameter for an aware time."""
        utc = value.astimezone(timezone.utc)
        return utc.strftime("%Y-%m-%d %H:%M:%S.%f") if self.sqlite else utc

    def read_time(self, value: Any) -> datetime | None:
        """An aware UTC time from a column value."""
        if value is None:
            return None
        if isinstance(value, str):
            return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)
        assert isinstance(value, datetime)
        return value.astimezone(timezone.utc)

    def history(
        self, site: int, category: str, at: datetime, week: datetime, month: datetime
    ) -> tuple[int, int, datetime | None, bool]:
        """Reports in 7 and 30 days before ``at``, the last one's time, and rectified before."""
        params = {"site": site, "category": category, "at": self.time(at)}
        params.update(week=self.time(week), month=self.time(month))
        self.cursor.execute(self.history_sql, params)
        row = self.cursor.fetchone()
        assert row is not None
        return int(row[0]), int(row[1]), self.read_time(row[2]), bool(row[3]) or bool(row[4])

    def latest_case(self, site: int, category: str) -> dict[str, Any] | None:
        """The site's most recent case in the category, as column name → value."""
        self.cursor.execute(self.latest_sql, {"site": site, "category": category})
        row = self.cursor.fetchone()
        if row is None:
            return None
        values = dict(zip([c.name for c in cases.c], row, strict=True))
        for name in self._TIMES:
            values[name] = self.read_time(values[name])
        if isinstance(values["rule_ids"], str):
            values["rule_ids"] = json.loads(values["rule_ids"])
        values["lifted"] = bool(values["lifted"])
        return values

    # -- writes and the rarer reads of ingest -----------------------------------------

    def _param(self, value: Any) -> Any:
        if isinstance(value, datetime):
            return self.time(value)
        if isinstance(value, list):
            if self.sqlite:
                return json.dumps(value, ensure_ascii=False)
            from psycopg.types.json import Json

            return Json(value)
        return value

    def _one(self, sql: str, params: dict[str, Any]) -> Any:
        self.cursor.execute(self._sql(sql), params)
        row = self.cursor.fetchone()
        return None if row is None else row[0]

    def site_by_key(self, key: str) -> int | None:
        """The site an address key names."""
        found = self._one("SELECT site_id FROM site_keys WHERE key = :key", {"key": key})
        return None if found is None else int(found)

    def sites_in(self, cells: list[str]) -> list[tuple[int, float, float]]:
        """Sites (id, lat, lon) in the given buckets."""
        found: list[tuple[int, float, float]] = []
        # a wide merging radius names many buckets: keep each statement's parameters few
        for start in range(0, len(cells), CELLS_PER_QUERY):
            names = {f"c{i}": cell for i, cell in enumerate(cells[start : start + CELLS_PER_QUERY])}
            where = ", ".join(f":{name}" for name in names)
            self.cursor.execute(self._sql(f"SELECT id, lat, lon FROM sites WHERE cell IN ({where})"), names)
            found.extend((int(r[0]), float(r[1]), float(r[2])) for r in self.cursor.fetchall())
        return found

    def insert(self, table: str, values: dict[str, Any], returning: bool = False) -> int | None:
        """Insert a row; with ``returning``, the new row's id."""
        values = fitted(table, values)
        columns = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})" + (" RETURNING id" if returning else "")
        params = {name: self._param(value) for name, value in values.items()}
        if returning:
            return int(self._one(sql, params))
        self.cursor.execute(self._sql(sql), params)
        return None

    def update_case(self, number: int, values: dict[str, Any]) -> None:
        """Set columns of one case."""
        values = fitted("cases", values)
        assignments = ", ".join(f"{name} = :{name}" for name in values)
        params = {name: self._param(value) for name, value in values.items()}
        params["case_number"] = number
        self.cursor.execute(self._sql(f"UPDATE cases SET {assignments} WHERE id = :case_number"), params)

    def report_times_in_case(self, number: int, since: datetime, until: datetime) -> list[datetime]:
        """When the stored reports of a case with ``since < reported_at < until`` were made."""
        sql = (
            "SELECT reported_at FROM reports"
            " WHERE case_id = :n AND reported_at > :since AND reported_at < :until"
        )
        params = {"n": number, "since": self.time(since), "until": self.time(until)}
        self.cursor.execute(self._sql(sql), params)
        return [when for (value,) in self.cursor.fetchall() if (when := self.read_time(value)) is not None]

    def insert_many(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Insert rows that all have the same columns, in one statement run per row by the driver."""
        if not rows:
            return
        rows = [fitted(table, row) for row in rows]
        names = list(rows[0])
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})"
        self.cursor.executemany(self._sql(sql), [{n: self._param(row[n]) for n in names} for row in rows])
