"""Reports for the store tests."""

from __future__ import annotations

from typing import Any

__all__ = ["report"]


def report(
    id: str,
    at: str,
    *,
    village: str = "东村",
    address: str | None = "东村3号",
    grid_id: str | None = "DC-01",
    danger: int | None = 1,
    depth_m: float | None = 0.0,
    lat: float | None = None,
    lon: float | None = None,
    history: dict[str, Any] | None = None,
    status: str = "new",
    category: str = "site_hazard",
) -> dict[str, Any]:
    """A site_hazard report at ``at`` (a time in +08:00, e.g. ``2026-11-23T09:00``)."""
    location: dict[str, Any] = {"district": "北管区", "village": village}
    for key, value in (("address", address), ("grid_id", grid_id), ("lat", lat), ("lon", lon)):
        if value is not None:
            location[key] = value
    attrs: dict[str, Any] = {}
    if danger is not None:
        attrs["danger"] = danger
    if depth_m is not None:
        attrs["depth_m"] = depth_m
    record: dict[str, Any] = {
        "id": id,
        "category": category,
        "reported_at": f"{at}:00+08:00",
        "location": location,
        "attrs": attrs,
        "status": status,
    }
    if history is not None:
        record["history"] = history
    return record
