"""Canary records: valid records of every shape the fast path takes, built from the categories.

:meth:`riskscreen.fastpath.FastValidator.check` validates them both ways when a screener
is built, as dicts and as JSON lines; any difference switches the fast path off. They
cover every declared attribute type, a choice of a fixed set, unknown attributes with
nested values, empty lists, partial and empty parts, and naive times.

The comparison costs about 13 ms (the full validator's models are built for it), at every
start of every process. Its verdict depends only on the canaries, the code of both
validators and of the models, pydantic's version and the settings, so
:func:`checked_once` keeps it on disk beside the rule-set cache
(:mod:`riskscreen.packs.cache`), keyed by a hash of all of those, and a later screener
with the same key takes the verdict instead of comparing again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
from collections.abc import Callable
from types import UnionType
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

from .cachedir import cache_dir, cache_enabled, private, write_entry
from .packs.categories import CategoryRegistry

if TYPE_CHECKING:
    from .fastpath import FastValidator

__all__ = ["canary_records", "checked_once"]

_KEPT = 32
_VERDICTS = {b"on": True, b"off": False}


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


def _verdict_key(fast: FastValidator, canaries: list[dict[str, Any]], facts: dict[str, str]) -> str:
    """A hash of everything the comparison of ``canaries`` depends on."""
    import pydantic
    import pydantic_core

    from .packs.cache import source_fingerprint

    registry = fast.registry
    models = {
        str(record.get("category")): _qualified(registry.validator(str(record.get("category"))))
        for record in canaries
    }
    blob = {
        # riskscreen's own code: both validators, the models, the canaries themselves
        "code": source_fingerprint(),
        "pydantic": pydantic.VERSION,
        "pydantic_core": pydantic_core.__version__,
        "python": sys.version,
        "zone": str(fast.zone),
        "canaries": canaries,
        # a plugin's attribute model: its name here, its version in the rule set's digest
        "models": models,
        **facts,
    }
    text = json.dumps(blob, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _qualified(model: type) -> str:
    return f"{model.__module__}.{model.__qualname__}"


def checked_once(fast: FastValidator, full: Callable[[Any], Any], *, ruleset: str, settings: str) -> bool:
    """``fast.check(full)``, or the verdict an identical earlier check left on disk.

    ``ruleset`` and ``settings`` are the digests of the screener's rule set (packs,
    categories, plugins and their versions) and settings. Without the cache
    (``RISKSCREEN_CACHE=off``, no home directory, a directory others may write to) the
    canaries are compared every time; a verdict that cannot be stored is simply not kept.
    """
    if not fast.enabled or not cache_enabled():
        return fast.check(full)
    directory = cache_dir()
    canaries = fast.canaries()
    try:
        key = _verdict_key(fast, canaries, {"ruleset": ruleset, "settings": settings})
    except Exception:  # something that cannot be named: compare, as without a cache
        return fast.check(full, canaries)
    path = directory / f"fastpath-{key}.verdict"
    if directory.is_absolute() and path.exists() and private(directory):
        with contextlib.suppress(OSError):
            verdict = _VERDICTS.get(path.read_bytes())
            if verdict is not None:
                fast.enabled = verdict
                return verdict
    verdict = fast.check(full, canaries)
    if directory.is_absolute():
        with contextlib.suppress(Exception):  # no room, or a directory not ours: not kept
            write_entry(
                directory, path, b"on" if verdict else b"off", kept=_KEPT, pattern="fastpath-*.verdict"
            )
    return verdict
