"""Small rules ingest applies to each record: its identity, its kept text, priorities and tiers."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from ..models import TIERS, ErrorRecord, Observation, Priority, Tier
from ..screener import RecordInput
from ..validation import UnreadableRecord
from .lengths import fit

__all__ = ["higher_tier", "lift", "most_urgent", "raw_json", "raw_place", "record_key"]

_PRIORITIES: tuple[Priority, ...] = ("P1", "P2", "P3", "P4")


def most_urgent(a: Priority | None, b: Priority | None) -> Priority | None:
    """The more urgent of two priorities (P1 is the most urgent); ``None`` is no priority."""
    if a is None or b is None:
        return a or b
    return min(a, b)


def lift(priority: Priority | None) -> Priority | None:
    """One band more urgent (P1 stays P1)."""
    if priority is None:
        return None
    return _PRIORITIES[max(0, _PRIORITIES.index(priority) - 1)]


def higher_tier(a: str, b: str) -> Tier:
    """The higher of two escalation tiers."""
    return TIERS[max(TIERS.index(a), TIERS.index(b))]


#: The length of ``reports.key``.
_KEY_LENGTH = 240


def record_key(data: RecordInput, validated: Observation | ErrorRecord) -> str:
    """What makes a record the same record again: its id, else a hash of its content."""
    if validated.id:
        # an error record's id may be any length (it may be what was wrong): fit reports.key
        return fit(validated.id, _KEY_LENGTH)
    if isinstance(data, UnreadableRecord):
        content = f"{data.field}\n{data.message}"
    elif isinstance(data, Observation):
        content = data.model_dump_json()
    else:
        content = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return "sha256:" + hashlib.sha256(content.encode()).hexdigest()


def raw_json(data: RecordInput) -> str:
    """The record as JSON text, kept so that an error record is never lost."""
    if isinstance(data, UnreadableRecord):
        return json.dumps({"id": data.id, "field": data.field, "message": data.message}, ensure_ascii=False)
    if isinstance(data, Observation):
        return data.model_dump_json()
    return json.dumps(data, ensure_ascii=False, default=str)


def raw_place(data: RecordInput) -> dict[str, str | None]:
    """The category, village and district an unscreenable record names, where they are text.

    An error record keeps them so that it can be listed with its village and sent back
    to be corrected; anything else in a broken record is left to its raw JSON.
    """
    found: dict[str, str | None] = {"category": None, "village": None, "district": None}
    if not isinstance(data, Mapping):
        return found
    location = data.get("location")
    named = {
        "category": data.get("category"),
        "village": location.get("village") if isinstance(location, Mapping) else None,
        "district": location.get("district") if isinstance(location, Mapping) else None,
    }
    for name, value in named.items():
        if isinstance(value, str) and value.strip():
            found[name] = value.strip()  # fitted to its column where it is written
    return found
