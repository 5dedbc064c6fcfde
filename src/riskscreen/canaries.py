"""Canary records: valid records of every shape the fast path takes, built from the categories.

:meth:`riskscreen.fastpath.FastValidator.check` validates them both ways when a screener
is built, as dicts and as JSON lines; any difference switches the fast path off. They
cover every declared attribute type, a choice of a fixed set, unknown attributes with
nested values, empty lists, partial and empty parts, and naive times.
"""

from __future__ import annotations

from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

from .packs.categories import CategoryRegistry

__all__ = ["canary_records"]


def _choices(annotation: Any) -> tuple[Any, ...]:
    """The values of a ``Literal`` annotation (optional or not); empty for any other."""
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    if get_origin(annotation) in (Union, UnionType):
        return next((c for c in map(_choices, get_args(annotation)) if c), ())
    return ()


def canary_records(registry: CategoryRegistry, count: int = 3) -> list[dict[str, Any]]:
    """Records exercising every part of the fast path, from the first ``count`` categories."""
    samples = {
        "string": "东村",
        "int": 3,
        "float": 2.5,
        "bool": True,
        "datetime": "2026-07-01T08:00:00Z",
    }
    records: list[dict[str, Any]] = []
    for category in sorted(registry.attrs)[:count]:
        attrs: dict[str, Any] = {"unknown_extra": {"nested": [1, "x"]}}
        fields = registry.validator(category).model_fields
        for name, kind in registry.attr_types(category).items():
            inner = kind.name[5:-1] if kind.name.startswith("list[") else None
            attrs[name] = [samples[inner]] if inner else samples[kind.name]
            # a choice of a fixed set (a plugin's Literal), so that the canary is valid
            choices = _choices(fields[name].annotation) if name in fields else ()
            if choices:
                attrs[name] = choices[0]
        records.append(
            {
                "id": "canary-1",
                "kind": "inspection",
                "category": category,
                "reported_at": "2026-07-01T09:00:00+08:00",
                "occurred_at": "2026-06-30 23:30:00.5-02:00",
                "location": {"village": "东村", "lat": 36, "lon": 117.25, "street": None},
                "reporter": {"role": "citizen"},
                "description": "canary",
                "history": {"reports_7d": 2, "days_since_last_report": 1, "rectified_before": False},
                "attrs": attrs,
                "platform_metadata": {"source": "x"},
            }
        )
    if records:
        # the shapes records arrive in: empty lists, partial or empty parts, nested extras
        first = records[0]
        sparse = {name: [] if isinstance(value, list) else value for name, value in first["attrs"].items()}
        records.append(
            {
                **first,
                "id": "canary-2",
                "occurred_at": None,
                "location": {},
                "reporter": {"id": "gw-1"},
                "history": {"reports_30d": 0},
                "attrs": {**sparse, "unknown_extra": {"a": [{"b": {"c": [1, 2.5, None]}}]}},
            }
        )
        # declared attributes only (the usual record), then with naive times: valid, and
        # read in the default timezone, when one is configured
        declared = {name: value for name, value in first["attrs"].items() if name != "unknown_extra"}
        time = samples["datetime"]
        naive = {name: value[:-1] if value == time else value for name, value in declared.items()}
        records.append({**first, "id": "canary-3", "attrs": declared})
        records.append(
            {
                **first,
                "id": "canary-4",
                "reported_at": "2026-07-01T09:00:00",
                "occurred_at": "2026-06-30 23:30:00.5",
                "attrs": naive,
            }
        )
    return records
