"""Whatever a change does to which packs, the one-screening shortcut gives the two-screening result."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import riskscreen
from riskscreen.diffing.aggregate import DiffPartial
from riskscreen.diffing.bundle import RuleBundle
from riskscreen.diffing.execute import run
from riskscreen.diffing.tasks import DiffTask
from riskscreen.settings import Settings

from .test_shortcut import _archive, _pack

CATEGORIES = ("alpha", "beta", "gamma")

# what a change may do to one category's pack, and what a local tuning pack may add
edits = st.fixed_dictionaries(
    {
        "threshold": st.sampled_from([100, 100, 150]),
        "zones": st.sampled_from([["甲"], ["甲"], ["甲", "乙"]]),
    }
)
overrides = st.lists(
    st.sampled_from(
        [
            "  - id: ALPHA-1\n    enabled: false\n",
            "  - id: BETA-2\n    severity: critical\n",
            "  - id: GAMMA-1\n    score: 90\n",
        ]
    ),
    max_size=2,
    unique=True,
)


def _write(folder: Path, packs: dict[str, dict[str, object]], tuning: list[str]) -> Path:
    folder.mkdir()
    for category, edit in packs.items():
        text = _pack(category, edit["threshold"], edit["zones"])  # type: ignore[arg-type]
        (folder / f"{category}.yaml").write_text(text, encoding="utf-8")
    if tuning:
        body = "pack: local_tuning\nversion: 1.0.0\noverrides:\n" + "".join(tuning)
        (folder / "local_tuning.yaml").write_text(body, encoding="utf-8")
    return folder


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.fixed_dictionaries({c: edits for c in CATEGORIES}),
    st.fixed_dictionaries({c: edits for c in CATEGORIES}),
    overrides,
    overrides,
)
def test_the_shortcut_never_changes_the_result(
    before: dict[str, dict[str, object]],
    after: dict[str, dict[str, object]],
    tuning_before: list[str],
    tuning_after: list[str],
) -> None:
    with tempfile.TemporaryDirectory() as name:
        root = Path(name)
        base = _write(root / "base", before, tuning_before)
        head = _write(root / "head", after, tuning_after)
        archive = _archive(root / "archive.jsonl", 240)
        fast = riskscreen.diff(archive, base=base, head=head, builtin=False, partition=60)
        bundles = [RuleBundle.from_paths([p], builtin=False, settings=Settings()) for p in (base, head)]
        lines = archive.read_text(encoding="utf-8").splitlines()
        items = [(0, number, line) for number, line in enumerate(lines, 1)]
        full = run(DiffTask(bundles[0], bundles[1], frozenset()), items, DiffPartial(), partition=60)
    assert {r.rule_id: (r.base, r.head, r.gained, r.lost) for r in fast.rules if r.base or r.head} == {
        rule: (full.base_fired[rule], full.head_fired[rule], full.gained[rule], full.lost[rule])
        for rule in set(full.base_fired) | set(full.head_fired)
    }
    moved = {f"{a}->{b}": n for a, row in fast.transitions.items() for b, n in row.items() if n}
    assert moved == dict(full.transitions)
    assert (fast.undecided.base, fast.undecided.head, fast.undecided.newly) == (
        full.base_undecided,
        full.head_undecided,
        full.newly_undecided,
    )
    assert json.dumps(fast.transition_examples, sort_keys=True) == json.dumps(
        {k: [i for _, i in v] for k, v in sorted(full.examples.items()) if "->" in k and v}, sort_keys=True
    )
