"""The held-out quarry archive: twelve reports whose outcomes under both packs are worked out by hand.

Base pack (tests/data/diff/base) → head pack (tests/data/diff/head):
Q-001 threshold 100 → 200 m³, Q-002 high → critical, Q-004 removed, Q-005 added
(reads ``near_water``, which no base rule reads).
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parents[1] / "data" / "diff"
BASE, HEAD = DATA / "base", DATA / "head"


def _report(number: int, day: str, **attrs: Any) -> dict[str, Any]:
    return {
        "id": f"q-{number:02d}",
        "kind": "patrol",
        "category": "quarry",
        "reported_at": f"{day}T09:00:00+08:00",
        "location": {"district": "北管区", "village": "河湾村"},
        "attrs": attrs,
    }


# id: base priority → head priority (worked out by hand from the combination formula)
REPORTS = [
    _report(1, "2026-01-05", volume_m3=150, has_permit=True, zone="普通", near_water=False),  # P3 → none
    _report(2, "2026-01-06", volume_m3=250, has_permit=True, zone="普通", near_water=False),  # P3 → P3
    _report(3, "2026-01-07", volume_m3=50, has_permit=False, zone="普通", near_water=False),  # P2 → P1
    _report(4, "2026-01-12", volume_m3=50, has_permit=True, zone="禁采区", near_water=False),  # P4 → P4
    _report(5, "2026-01-13", volume_m3=1500, has_permit=True, zone="普通", near_water=False),  # P2 → P3
    _report(6, "2026-01-14", volume_m3=50, has_permit=True, zone="普通", near_water=True),  # none → P3
    _report(7, "2026-02-02", volume_m3=10, has_permit=True, zone="普通", near_water=False),  # none → none
    _report(8, "2026-02-03", volume_m3=120, has_permit=False, zone="普通", near_water=False),  # P2 → P1
    _report(
        9, "2026-02-04", has_permit=True, zone="普通", near_water=False
    ),  # none → none (undecided on both)
    _report(10, "2026-02-09", volume_m3=300, has_permit=False, zone="普通", near_water=True),  # P2 → P1
    _report(11, "2026-02-10", volume_m3=50, zone="普通", near_water=False),  # none → none (undecided on both)
    _report(12, "2026-02-11", volume_m3=10, has_permit=True, zone="普通"),  # none → none, newly undecided
]

EXPECTED_RULES = {  # rule: (status, base, head, gained, lost)
    "Q-001": ("changed", 5, 3, 0, 2),
    "Q-002": ("changed", 3, 3, 0, 0),
    "Q-003": ("unchanged", 1, 1, 0, 0),
    "Q-004": ("removed", 1, 0, 0, 1),
    "Q-005": ("added", 0, 2, 2, 0),
}
STATES = ("P1", "P2", "P3", "P4", "none", "error")
_MOVES = {("P2", "P1"): 3, ("P2", "P3"): 1, ("P3", "none"): 1, ("P3", "P3"): 1, ("P4", "P4"): 1}
_MOVES |= {("none", "P3"): 1, ("none", "none"): 4}
EXPECTED_MATRIX = {a: {b: _MOVES.get((a, b), 0) for b in STATES} for a in STATES}


def write_jsonl_folder(folder: Path) -> Path:
    """Two parts, the second gzipped with one unreadable line in it."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r, ensure_ascii=False) for r in REPORTS]
    (folder / "2026-01.jsonl").write_text("\n".join(lines[:6]) + "\n", encoding="utf-8")
    with gzip.open(folder / "2026-02.jsonl.gz", "wt", encoding="utf-8") as part:
        part.write("\n".join([*lines[6:9], "{not json", *lines[9:]]) + "\n")
    return folder


def write_csv(path: Path) -> Path:
    """The same reports as one CSV file with dotted columns, plus a row with too many cells."""
    columns = ["id", "kind", "category", "reported_at", "location.district", "location.village"]
    attrs = ["volume_m3", "has_permit", "zone", "near_water"]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(columns + [f"attrs.{a}" for a in attrs])
        for index, report in enumerate(REPORTS):
            values = [
                report["id"],
                report["kind"],
                report["category"],
                report["reported_at"],
                report["location"]["district"],
                report["location"]["village"],
            ]
            values += [_csv_value(report["attrs"].get(a)) for a in attrs]
            writer.writerow(values)
            if index == 3:
                writer.writerow(["broken", *[""] * 20])
    return path


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
