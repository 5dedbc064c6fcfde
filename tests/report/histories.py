"""Generated case histories for the report's tests: cases with logs as a store keeps them."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from riskscreen.store.models import Case, CaseLogEntry, CaseStatus, Disposition

ZONE = ZoneInfo("Asia/Shanghai")
#: Monday 2026-11-23 00:00 local: the start of 2026-W48.
W48 = datetime(2026, 11, 23, tzinfo=ZONE)
VILLAGES = {"东村": "北管区", "西村": "北管区", "石桥村": "西管区", "河湾村": "南管区", "新村": None}
CATEGORIES = ["construction", "machinery", "sand_digging", "well_drilling", "fire_safety", "quarry"]
RULES = ["HOUSE-001", "MACH-002", "SAND-001", "WELL-001", "FIRE-003"]
PRIORITIES = ["P1", "P2", "P3", "P4", None]


def build_case(
    number: int,
    opened_at: datetime,
    steps: list[tuple[float, str]],
    *,
    category: str = "construction",
    village: str | None = "东村",
    district: str | None = "北管区",
    priority: str | None = "P2",
    rule_ids: tuple[str, ...] = ("HOUSE-001",),
    respond_by: datetime | None = None,
    disposition: Disposition | None = None,
) -> Case:
    """A case opened at ``opened_at`` and then changed by ``steps``: (hours later, verb).

    Verbs: ``merged``, ``escalated``, ``in_progress``, ``rectified``, ``closed``,
    ``reopened``; each is logged as the store logs it.
    """
    log = [CaseLogEntry(at=opened_at, by="tracker", what="opened", note="新案件")]
    status: CaseStatus = "open"
    reports = 1
    closed_at = None
    chosen = disposition
    for hours, verb in steps:
        at = opened_at + timedelta(hours=hours)
        if verb == "merged":
            reports += 1
            log.append(CaseLogEntry(at=at, by="tracker", what="merged", note="重复上报"))
        elif verb == "escalated":
            log.append(CaseLogEntry(at=at, by="tracker", what="escalated", note="village → district"))
        elif verb in ("in_progress", "rectified"):
            log.append(CaseLogEntry(at=at, by="staff", what="status", note=f"{status} → {verb}"))
            status = verb  # type: ignore[assignment]
        elif verb == "closed":
            chosen = chosen or "confirmed"
            log.append(CaseLogEntry(at=at, by="staff", what="closed", note=chosen))
            status, closed_at = "closed", at
        elif verb == "reopened":
            reports += 1
            log.append(CaseLogEntry(at=at, by="tracker", what="reopened", note="再次上报"))
            status, closed_at = "reopened", None
    return Case(
        id=f"case-{number:05d}",
        site=f"site-{number}",
        category=category,
        village=village,
        district=district,
        status=status,
        priority=priority,  # type: ignore[arg-type]
        score=50.0,
        respond_by=respond_by,
        reports=reports,
        observation_ids=[f"obs-{number}-{i}" for i in range(reports)],
        rule_ids=list(rule_ids),
        disposition=chosen if status == "closed" else None,
        log=log,
        opened_at=opened_at,
        updated_at=log[-1].at,
        closed_at=closed_at,
    )


_FLOWS = [
    [],
    ["merged"],
    ["in_progress"],
    ["in_progress", "rectified"],
    ["in_progress", "rectified", "closed"],
    ["closed"],
    ["rectified", "closed", "reopened"],
    ["escalated", "in_progress"],
    ["merged", "escalated", "escalated", "closed"],
    ["closed", "reopened", "merged", "closed"],
]


def random_case(rng: random.Random, number: int, first: datetime, days: int) -> Case:
    """One case opened within ``days`` after ``first``, with a random history."""
    opened_at = first + timedelta(minutes=rng.randrange(days * 24 * 60))
    village = rng.choice(list(VILLAGES))
    hours = 0.0
    steps = []
    for verb in rng.choice(_FLOWS):
        hours += rng.uniform(0.5, 24 * 6)
        steps.append((hours, verb))
    return build_case(
        number,
        opened_at,
        steps,
        category=rng.choice(CATEGORIES),
        village=village,
        district=VILLAGES[village],
        priority=rng.choice(PRIORITIES),
        rule_ids=tuple(rng.sample(RULES, rng.randint(0, 2))),
        respond_by=opened_at + timedelta(hours=rng.choice([1, 4, 24, 120])),
        disposition=rng.choice(["confirmed", "confirmed", "false_alarm", "duplicate"]),  # type: ignore[arg-type]
    )


def random_cases(
    seed: int, count: int, first: datetime = W48 - timedelta(weeks=8), days: int = 63
) -> list[Case]:
    """``count`` reproducible random cases opened from ``first`` over ``days`` days."""
    rng = random.Random(seed)
    return [random_case(rng, i, first, days) for i in range(count)]


@st.composite
def case_histories(draw: st.DrawFn) -> list[Case]:
    """Hypothesis: a store's worth of cases around 2026-W48."""
    seed = draw(st.integers(0, 2**32 - 1))
    count = draw(st.integers(0, 60))
    return random_cases(seed, count, W48 - timedelta(weeks=3), 35)
