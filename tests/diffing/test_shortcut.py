"""Records of categories a change does not touch are screened once, with exactly the two-screening result."""

from __future__ import annotations

import json
import random
import textwrap
from pathlib import Path
from typing import Any

import riskscreen
from riskscreen.diffing.aggregate import DiffPartial
from riskscreen.diffing.bundle import RuleBundle
from riskscreen.diffing.execute import run
from riskscreen.diffing.shortcut import unchanged_categories
from riskscreen.diffing.tasks import DiffTask
from riskscreen.settings import Settings


def _pack(category: str, threshold: int, zones: list[str]) -> str:
    return textwrap.dedent(
        f"""\
        pack: {category}
        version: 1.0.0
        applies_to: [{category}]
        categories:
          {category}:
            attrs: {{volume_m3: float, zone: string}}
        lists:
          zones: {json.dumps(zones, ensure_ascii=False)}
        rules:
          - id: {category.upper()}-1
            title: 超量
            when: attrs.volume_m3 > {threshold}
            severity: medium
            message: 超量
          - id: {category.upper()}-2
            title: 禁区
            when: attrs.zone in zones
            severity: high
            message: 禁区
        """
    )


def _write(folder: Path, packs: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in packs.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


def _archive(path: Path, count: int) -> Path:
    rng = random.Random(7)
    lines = []
    for index in range(count):
        attrs: dict[str, Any] = {"volume_m3": rng.randrange(200), "zone": rng.choice(["甲", "乙", "丙"])}
        if rng.random() < 0.1:
            del attrs["volume_m3"]
        record = {
            "id": f"r-{index}",
            "category": rng.choice(["alpha", "beta", "gamma", "unknown_kind"]),
            "reported_at": "2026-03-01T10:00:00+08:00",
            "attrs": attrs,
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_only_untouched_categories_take_the_shortcut_and_the_result_is_exact(tmp_path: Path) -> None:
    base = _write(
        tmp_path / "base",
        {
            "alpha": _pack("alpha", 100, ["甲"]),
            "beta": _pack("beta", 100, ["甲"]),
            "gamma": _pack("gamma", 100, ["甲"]),
        },
    )
    # alpha: a threshold; beta: only a list's contents (the expressions read the same); gamma untouched
    head = _write(
        tmp_path / "head",
        {
            "alpha": _pack("alpha", 150, ["甲"]),
            "beta": _pack("beta", 100, ["甲", "乙"]),
            "gamma": _pack("gamma", 100, ["甲"]),
        },
    )
    settings = Settings()
    screeners = [riskscreen.Screener([p], builtin=False, settings=settings) for p in (base, head)]
    unchanged = unchanged_categories(screeners[0], [base], screeners[1], [head])
    assert "gamma" in unchanged and not {"alpha", "beta"} & unchanged

    archive = _archive(tmp_path / "archive.jsonl", 600)
    fast = riskscreen.diff(archive, base=base, head=head, builtin=False)
    bundles = [RuleBundle.from_paths([p], builtin=False, settings=settings) for p in (base, head)]
    lines = archive.read_text(encoding="utf-8").splitlines()
    items = [(0, number, line) for number, line in enumerate(lines, 1)]
    full = run(DiffTask(bundles[0], bundles[1], frozenset()), items, DiffPartial(), partition=100)
    assert fast.records == full.records == 600
    assert {r.rule_id: (r.base, r.head) for r in fast.rules} == {
        rule: (full.base_fired[rule], full.head_fired[rule])
        for rule in set(full.base_fired) | set(full.head_fired)
    }
    assert {f"{a}->{b}": n for a, row in fast.transitions.items() for b, n in row.items() if n} == dict(
        full.transitions
    )
    assert fast.undecided.newly == full.newly_undecided
    assert fast.rules[0].rule_id == "ALPHA-1" and fast.rules[0].lost > 0  # the change shows
    assert next(r for r in fast.rules if r.rule_id == "BETA-2").gained > 0  # so does the list's


def test_the_same_packs_in_two_folders_are_unchanged_everywhere(tmp_path: Path) -> None:
    packs = {"alpha": _pack("alpha", 100, ["甲"])}
    base, head = _write(tmp_path / "a", packs), _write(tmp_path / "b", packs)
    screeners = [riskscreen.Screener([p], builtin=False) for p in (base, head)]
    assert "alpha" in unchanged_categories(screeners[0], [base], screeners[1], [head])
