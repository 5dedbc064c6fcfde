"""A seeded benchmark workload: R rules over C categories, and N observations for them.

Every category declares the same kinds of attributes (``b0..b3`` bool, ``n0..n3`` float,
``i0..i1`` int, ``s0..s1`` string, ``t0`` datetime, ``tags`` list of strings). Rules are
drawn from ten templates typical of the shipped packs, with thresholds chosen so that
about a third of the observations raise an alert whatever R and C are. Each template
also has a hand-written Python predicate, the baseline the compiled rules are measured
against. The same seed always gives the same packs and observations.

    python benchmarks/workload.py --rules 200 --categories 10 --observations 1000 --out /tmp/wl
"""

from __future__ import annotations

import argparse
import json
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from riskscreen.engine.record import Record

TZ = timezone(timedelta(hours=8))
WORDS = ["起火", "冒烟", "漏水", "塌陷", "异味", "噪声", "积水", "裂缝"]
VOCABULARY = [f"v{i}" for i in range(50)]
TAGS = [f"tag{i}" for i in range(20)]
GENERAL_RULES = 5
ATTRIBUTES = {
    **{f"b{i}": "bool" for i in range(4)},
    **{f"n{i}": "float" for i in range(4)},
    **{f"i{i}": "int" for i in range(2)},
    **{f"s{i}": "string" for i in range(2)},
    "t0": "datetime",
    "tags": "list[string]",
}

Predicate = Callable[[Record], Any]


@dataclass(frozen=True)
class RuleSpec:
    """One generated rule: its id, category, expression and hand-written equivalent."""

    id: str
    category: str | None
    when: str
    unless: str | None
    handwritten: Predicate


def _template(rng: random.Random, q: float) -> tuple[str, Predicate]:
    """One rule expression firing with probability about ``q``, and its hand-written twin.

    The twins are what a programmer writes by hand: direct indexing, so an absent value
    raises ``KeyError`` where the rule would be undecided.
    """
    kind = rng.randrange(10)
    a, c = rng.sample(range(4), 2)
    na, nc, ba, bc = f"n{a}", f"n{c}", f"b{a}", f"b{c}"
    sa, ia = f"s{a % 2}", f"i{a % 2}"
    if kind == 0:
        k = round(100 * (1 - q), 2)
        return f"attrs.n{a} > {k}", lambda r: r.symbols["attrs"][na] > k
    if kind == 1:
        k = round(max(0.0, 100 * (1 - 2 * q)), 2)
        return (
            f"attrs.b{a} and attrs.n{c} >= {k}",
            lambda r: r.symbols["attrs"][ba] and r.symbols["attrs"][nc] >= k,
        )
    if kind == 2:
        chosen = tuple(rng.sample(VOCABULARY, max(1, round(q * len(VOCABULARY)))))
        listed = ", ".join(f'"{v}"' for v in chosen)
        members = frozenset(chosen)
        return f"attrs.s{a % 2} in [{listed}]", lambda r: r.symbols["attrs"][sa] in members
    if kind == 3:
        k = round(100 * (1 - math.sqrt(2 * q)), 2)
        return (
            f"attrs.n{a} - attrs.n{c} > {k}",
            lambda r: r.symbols["attrs"][na] - r.symbols["attrs"][nc] > k,
        )
    if kind == 4:
        k = max(0, round(100 - 200 * q))
        return (
            f"not attrs.b{a} and attrs.i{c % 2} >= {k}",
            lambda r, ic=f"i{c % 2}": not r.symbols["attrs"][ba] and r.symbols["attrs"][ic] >= k,
        )
    if kind == 5:
        word = rng.choice(WORDS)
        k = round(100 * (1 - 8 * q), 2)
        return (
            f'description =~~ "{word}" and attrs.n{a} > {k}',
            lambda r: word in r.symbols["description"] and r.symbols["attrs"][na] > k,
        )
    if kind == 6:
        days = max(1, round(100 * (1 - q)))
        span = timedelta(days=days)
        return (
            f'reported_at - attrs.t0 > t"P{days}D"',
            lambda r: r.symbols["reported_at"] - r.symbols["attrs"]["t0"] > span,
        )
    if kind == 7:
        tag = rng.choice(TAGS)
        k = round(100 * (1 - 10 * q), 2)
        return (
            f'"{tag}" in attrs.tags and attrs.n{a} > {k}',
            lambda r: tag in r.symbols["attrs"]["tags"] and r.symbols["attrs"][na] > k,
        )
    if kind == 8:
        k = max(1, round(20 * (1 - 2 * q)))
        return (
            f'attrs.i{a % 2} >= {k * 5} and status != "closed"',
            lambda r: r.symbols["attrs"][ia] >= k * 5 and r.symbols["status"] != "closed",
        )
    k = round(100 * (1 - 2 * q), 2)
    return (
        f"(attrs.b{a} or attrs.b{c}) and attrs.n{a} * 2 > {2 * k}",
        lambda r: (r.symbols["attrs"][ba] or r.symbols["attrs"][bc]) and r.symbols["attrs"][na] * 2 > 2 * k,
    )


#: The alert-heavy profile: each category rule fires on about 19% of the "hot" records and a
#: sixth of the records are quiet (nothing fires), so that about three quarters of the
#: records alert with four to five findings each, as in a busy city's reports.
HEAVY_FIRING = 0.19
HEAVY_QUIET = 0.18


def generate_rules(rules: int, categories: int, seed: int = 1, firing: float | None = None) -> list[RuleSpec]:
    """``rules`` category rules spread evenly over ``categories``, plus five general rules.

    ``firing`` is the probability that one category rule fires on a record; by default it is
    chosen so that about a third of the records alert.
    """
    rng = random.Random(seed)
    names = [f"cat_{i:03d}" for i in range(categories)]
    per_category = max(1, rules // categories)
    # each rule fires with probability q, so that about a third of records alert
    q = firing if firing is not None else 1 - (2 / 3) ** (1 / (per_category + GENERAL_RULES))
    specs: list[RuleSpec] = []
    for index in range(rules):
        category = names[index % categories]
        when, predicate = _template(rng, q)
        unless = 'status == "closed"' if rng.random() < 0.2 else None
        specs.append(RuleSpec(f"R-{index:05d}", category, when, unless, predicate))
    for index in range(GENERAL_RULES):
        k = 3 + index
        specs.append(
            RuleSpec(
                f"G-{index:03d}",
                None,
                f"history.reports_7d >= {k + 3}",
                None,
                lambda r, k=k: r.symbols["history"]["reports_7d"] >= k + 3,
            )
        )
    return specs


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def write_packs(specs: list[RuleSpec], folder: Path) -> list[Path]:
    """One pack per category (declaring its attributes) and one general pack."""
    folder.mkdir(parents=True, exist_ok=True)
    by_category: dict[str | None, list[RuleSpec]] = {}
    for spec in specs:
        by_category.setdefault(spec.category, []).append(spec)
    paths = []
    for category, group in sorted(by_category.items(), key=lambda item: item[0] or ""):
        name = category or "general_bench"
        lines = [f"pack: {name}", "version: 1.0.0"]
        if category is not None:
            lines += [f"applies_to: [{category}]", "categories:", f"  {category}:", "    attrs:"]
            lines += [f"      {attr}: {kind}" for attr, kind in ATTRIBUTES.items()]
        lines.append("rules:")
        for spec in group:
            lines += [
                f"  - id: {spec.id}",
                f"    title: 基准规则 {spec.id}",
                f"    when: {_yaml_string(spec.when)}",
            ]
            if spec.unless:
                lines.append(f"    unless: {_yaml_string(spec.unless)}")
            lines += [
                "    severity: medium",
                f'    message: "{{location.village}}：规则 {spec.id} 命中"',
            ]
        path = folder / f"{name}.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def _quiet_attrs(reported: datetime) -> dict[str, Any]:
    """Attribute values no generated rule fires on: low numbers, false flags, no tags."""
    attrs: dict[str, Any] = {}
    for name, kind in ATTRIBUTES.items():
        if kind == "bool":
            attrs[name] = False
        elif kind in ("float", "int"):
            attrs[name] = 0
        elif kind == "string":
            attrs[name] = "quiet"
        elif kind == "datetime":
            attrs[name] = reported.isoformat()
        else:
            attrs[name] = []
    return attrs


def observations(count: int, categories: int, seed: int = 2, quiet: float = 0.0) -> Iterator[dict[str, Any]]:
    """``count`` observations, spread evenly over the categories; 5% of attributes absent.

    A share ``quiet`` of the records have values no rule fires on (and no earlier reports).
    """
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=TZ)
    villages = ["东村", "西村", "李家庄", "王庄", "河湾村", "张庄"]
    for index in range(count):
        reported = start + timedelta(seconds=rng.randrange(300 * 86400))
        calm = quiet > 0 and rng.random() < quiet
        attrs: dict[str, Any] = _quiet_attrs(reported) if calm else {}
        for name, kind in ATTRIBUTES.items():
            if calm or rng.random() < 0.05:
                continue
            if kind == "bool":
                attrs[name] = rng.random() < 0.5
            elif kind == "float":
                attrs[name] = round(rng.uniform(0, 100), 1)
            elif kind == "int":
                attrs[name] = rng.randrange(100)
            elif kind == "string":
                attrs[name] = rng.choice(VOCABULARY)
            elif kind == "datetime":
                attrs[name] = (reported - timedelta(days=rng.uniform(0, 100))).isoformat()
            else:
                attrs[name] = rng.sample(TAGS, rng.randrange(3))
        words = "".join(w for w in WORDS if rng.random() < 0.05 and not calm)
        village = rng.choice(villages)
        yield {
            "id": f"obs-{index:07d}",
            "kind": rng.choice(["patrol", "incident", "complaint", "inspection"]),
            "category": f"cat_{index % categories:03d}",
            "reported_at": reported.isoformat(),
            "location": {"district": "北管区", "village": village, "address": f"{village}路{index % 97}号"},
            "reporter": {"role": "grid_worker", "id": f"gw-{index % 40}"},
            "description": f"网格员巡查发现{village}现场情况{words}。",
            "status": rng.choice(["new", "new", "in_progress", "closed"]),
            "attrs": attrs,
            "history": {
                "reports_7d": 0 if calm else rng.randrange(10),
                "reports_30d": 0 if calm else rng.randrange(20),
            },
        }


def write_observations(path: Path, count: int, categories: int, seed: int = 2, quiet: float = 0.0) -> Path:
    """The observations as JSON Lines."""
    with path.open("w", encoding="utf-8") as out:
        for item in observations(count, categories, seed, quiet):
            out.write(json.dumps(item, ensure_ascii=False))
            out.write("\n")
    return path


def main() -> None:
    """Write a workload to a folder: ``packs/`` and ``observations.jsonl``."""
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--rules", type=int, default=200)
    parser.add_argument("--categories", type=int, default=10)
    parser.add_argument("--observations", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--alert-heavy", action="store_true", help="about 77%% of records alert, ~4.7 findings each"
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    firing, quiet = (HEAVY_FIRING, HEAVY_QUIET) if args.alert_heavy else (None, 0.0)
    write_packs(generate_rules(args.rules, args.categories, args.seed, firing), args.out / "packs")
    write_observations(
        args.out / "observations.jsonl", args.observations, args.categories, args.seed + 1, quiet
    )


if __name__ == "__main__":
    main()
