"""History from the store: earlier reports at a site, and finding a report's stored site."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Connection, select

from ..models import History
from .sites import GeoGrid, SiteRef, distance_m
from .statements import CELLS_PER_QUERY, HISTORY, SITE_BY_KEY, RawQueries
from .tables import sites

__all__ = ["compute_history", "find_site", "nearby_site", "nearest"]


def compute_history(
    connection: Connection,
    site_id: int,
    category: str,
    at: datetime,
    unwritten: Iterable[tuple[datetime, bool]] = (),
    raw: RawQueries | None = None,
) -> History:
    """Reports at the site in this category before ``at``, as the rules read them.

    ``rectified_before`` holds when an earlier report said the hazard was rectified or
    closed, or a case here was rectified or closed as confirmed. ``unwritten`` adds reports
    (time, rectified) of the transaction that are not written yet; ``raw`` runs the query
    on the driver's cursor (ingest's hot path).
    """
    week, month = at - timedelta(days=7), at - timedelta(days=30)
    if raw is not None:
        in_week, in_month, last, rectified = raw.history(site_id, category, at, week, month)
    else:
        params = {"site": site_id, "category": category, "at": at, "week": week, "month": month}
        row = connection.execute(HISTORY, params).one()
        in_week, in_month, last = int(row.week), int(row.month), row.last
        rectified = bool(row.rectified) or bool(row.case_rectified)
    for when, said_rectified in unwritten:
        if when < at:
            in_week += when >= week
            in_month += when >= month
            last = when if last is None or when > last else last
            rectified = rectified or said_rectified
    days = None if last is None else round((at - last).total_seconds() / 86400, 3)
    return History(
        reports_7d=in_week, reports_30d=in_month, days_since_last_report=days, rectified_before=rectified
    )


def nearest(lat: float, lon: float, rows: Iterable[tuple[int, float, float]], radius_m: float) -> int | None:
    """The id of the nearest site (id, lat, lon) within ``radius_m``; ties go to the older site."""
    best: tuple[float, int] | None = None
    for site, site_lat, site_lon in rows:
        distance = distance_m(lat, lon, site_lat, site_lon)
        if distance <= radius_m and (best is None or (distance, site) < best):
            best = (distance, site)
    return None if best is None else best[1]


def nearby_site(connection: Connection, grid: GeoGrid, ref: SiteRef) -> int | None:
    """The nearest stored site within the grid's radius of the report's point (its buckets read)."""
    assert ref.lat is not None and ref.lon is not None
    cells = grid.neighbourhood(ref.lat, ref.lon)
    rows: list[tuple[int, float, float]] = []
    for start in range(0, len(cells), CELLS_PER_QUERY):
        query = select(sites.c.id, sites.c.lat, sites.c.lon).where(
            sites.c.cell.in_(cells[start : start + CELLS_PER_QUERY])
        )
        rows.extend((int(r.id), float(r.lat), float(r.lon)) for r in connection.execute(query))
    return nearest(ref.lat, ref.lon, rows, grid.radius_m)


def find_site(
    connection: Connection, grid: GeoGrid, ref: SiteRef, cache: dict[str, int] | None = None
) -> int | None:
    """The stored site a report names: by its address key, else by its point; ``None`` if new."""
    if ref.key is not None:
        if cache is not None and (cached := cache.get(ref.key)) is not None:
            return cached
        found = connection.scalar(SITE_BY_KEY, {"key": ref.key})
        if found is not None:
            if cache is not None:
                cache[ref.key] = int(found)
            return int(found)
    return nearby_site(connection, grid, ref) if ref.has_point else None
