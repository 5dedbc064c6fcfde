"""History from the store: earlier reports at a site, and finding a report's stored site."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, case, func, select

from ..models import History
from .sites import GeoGrid, SiteRef, distance_m
from .tables import cases, reports, site_keys, sites

__all__ = ["compute_history", "find_site", "nearby_site"]


def compute_history(connection: Connection, site_id: int, category: str, at: datetime) -> History:
    """Reports at the site in this category before ``at``, as the rules read them.

    ``rectified_before`` holds when an earlier report said the hazard was rectified or
    closed, or a case here was rectified or closed as confirmed.
    """
    week, month = at - timedelta(days=7), at - timedelta(days=30)
    earlier = (
        (reports.c.site_id == site_id)
        & (reports.c.category == category)
        & (reports.c.reported_at < at)
        & (reports.c.status != "error")
    )
    row = connection.execute(
        select(
            func.coalesce(func.sum(case((reports.c.reported_at >= week, 1), else_=0)), 0),
            func.coalesce(func.sum(case((reports.c.reported_at >= month, 1), else_=0)), 0),
            func.max(reports.c.reported_at),
            func.coalesce(func.max(case((reports.c.rectified, 1), else_=0)), 0),
        ).where(earlier)
    ).one()
    last: datetime | None = row[2]
    rectified = bool(row[3]) or _case_rectified(connection, site_id, category)
    days = None if last is None else round((at - last).total_seconds() / 86400, 3)
    return History(
        reports_7d=int(row[0]),
        reports_30d=int(row[1]),
        days_since_last_report=days,
        rectified_before=rectified,
    )


def _case_rectified(connection: Connection, site_id: int, category: str) -> bool:
    query = (
        select(cases.c.id)
        .where(cases.c.site_id == site_id, cases.c.category == category, cases.c.rectified_at.is_not(None))
        .limit(1)
    )
    return connection.scalar(query) is not None


def nearby_site(connection: Connection, grid: GeoGrid, ref: SiteRef) -> int | None:
    """The nearest stored site within the grid's radius of the report's point (nine buckets read)."""
    assert ref.lat is not None and ref.lon is not None
    query = select(sites.c.id, sites.c.lat, sites.c.lon).where(
        sites.c.cell.in_(grid.neighbourhood(ref.lat, ref.lon))
    )
    best: tuple[float, int] | None = None
    for row in connection.execute(query):
        distance = distance_m(ref.lat, ref.lon, row.lat, row.lon)
        if distance <= grid.radius_m and (best is None or (distance, row.id) < best):
            best = (distance, row.id)
    return None if best is None else best[1]


def find_site(
    connection: Connection, grid: GeoGrid, ref: SiteRef, cache: dict[str, int] | None = None
) -> int | None:
    """The stored site a report names: by its address key, else by its point; ``None`` if new."""
    if ref.key is not None:
        if cache is not None and (cached := cache.get(ref.key)) is not None:
            return cached
        found = connection.scalar(select(site_keys.c.site_id).where(site_keys.c.key == ref.key))
        if found is not None:
            if cache is not None:
                cache[ref.key] = int(found)
            return int(found)
    return nearby_site(connection, grid, ref) if ref.has_point else None
