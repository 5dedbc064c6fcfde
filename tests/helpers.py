"""Helpers the tests import: observations with defaults and the shipped screener, built once.

Fixtures live in ``conftest.py``; plain functions and types live here, so that test
modules import them from a module rather than from pytest's conftest.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from riskscreen import Screener

__all__ = ["SAMPLE", "WritePack", "awkward_sample", "observation", "shipped_screener"]

#: ``write_pack(text, name="pack.yaml") -> Path`` (the ``write_pack`` fixture).
WritePack = Callable[..., Path]


def observation(**fields: Any) -> dict[str, Any]:
    """A valid observation with sensible defaults, overridden by ``fields``."""
    base: dict[str, Any] = {
        "id": "obs-1",
        "category": "well_drilling",
        "reported_at": "2026-07-01T09:00:00+08:00",
        "location": {"district": "北管区", "village": "东村"},
        "attrs": {},
    }
    base.update(fields)
    return base


@cache
def shipped_screener() -> Screener:
    """The screener with the shipped packs and installed plugins, built once per test session.

    A Screener is immutable and thread-safe, so every test may share it; loading is the slow
    part. The ``shipped_screener`` fixture returns the same object.
    """
    return Screener()


SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "observations.jsonl"


def awkward_sample(folder: Path, seed: int) -> Path:
    """The shipped sample shuffled by ``seed``, with repeated ids and one more unreadable record.

    Written to ``folder``/awkward.jsonl: every output section (alerts, undecided, errors,
    warnings for repeated ids) has entries, in an order nothing sorted.
    """
    lines = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    random.Random(seed).shuffle(lines)  # the sample has unreadable lines of its own
    lines[10:10] = [lines[3], lines[40], lines[3]]
    lines.insert(25, json.dumps({"id": "broken", "category": "fire_safety"}))
    path = folder / "awkward.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
