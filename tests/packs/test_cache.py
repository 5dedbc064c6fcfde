"""The rule-set cache: identical results, invalidated by any change, safe between processes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from riskscreen import Screener
from riskscreen.engine.compiler import source_of
from riskscreen.engine.evaluator import Interpreter
from riskscreen.engine.record import Record
from riskscreen.packs.cache import CACHE_DIR_ENV, CACHE_ENV, LazyRule
from riskscreen.readers import read_records
from tests.helpers import WritePack, observation

PACK = """
pack: p
version: 1.0.0
applies_to: [well_drilling]
categories:
  well_drilling:
    attrs: {depth_m: float, has_permit: bool, note: string}
lists:
  deep_words: [深井, 机井]
macros:
  unpermitted: not attrs.has_permit
rules:
  - id: R-1
    title: 无证打井
    when: unpermitted and attrs.depth_m > {threshold}
    unless: status == "closed"
  - id: R-2
    title: 描述
    when: attrs.note in deep_words or mentions(description, ["打井"], [], [])
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    directory = tmp_path / "cache"
    monkeypatch.setenv(CACHE_DIR_ENV, str(directory))
    monkeypatch.delenv(CACHE_ENV, raising=False)
    yield directory


def _entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.pickle")) if directory.exists() else []


def _records() -> list[dict[str, object]]:
    return [
        observation(attrs={"depth_m": 30, "has_permit": False}),
        observation(attrs={"depth_m": 30, "has_permit": False}, status="closed"),
        observation(attrs={"note": "深井"}, description="发现有人打井"),
        observation(attrs={"depth_m": "deep"}),
    ]


def test_a_cached_load_screens_exactly_like_a_fresh_one(cache: Path, write_pack: WritePack) -> None:
    path = write_pack(PACK.replace("{threshold}", "10"))
    first = Screener([path])
    assert len(_entries(cache)) == 1
    second = Screener([path])
    assert second.ruleset.digest == first.ruleset.digest
    records = [*_records(), *(r for r in read_records("examples/observations.jsonl"))]
    assert second.screen_many(records).model_dump_json() == first.screen_many(records).model_dump_json()
    rule = second.ruleset.rule("R-1")
    assert rule is not None and source_of(rule.when_predicate) is not None
    # rule-engine's tree is parsed again only when asked for
    assert isinstance(rule.when.rule, LazyRule)
    assert rule.when.rule.statement.expression is not None
    assert rule.when.rule.matches(Record({"attrs": {"depth_m": 30, "has_permit": False}}))


def test_any_change_to_a_pack_is_a_new_entry(cache: Path, write_pack: WritePack) -> None:
    path = write_pack(PACK.replace("{threshold}", "10"))
    assert Screener([path]).screen(_records()[0]).alert is not None
    path.write_text(path.read_text(encoding="utf-8").replace("> 10", "> 50"), encoding="utf-8")
    assert Screener([path]).screen(_records()[0]).alert is None
    assert len(_entries(cache)) == 2


def test_broken_entries_are_ignored_and_replaced(cache: Path, write_pack: WritePack) -> None:
    path = write_pack(PACK.replace("{threshold}", "10"))
    Screener([path])
    (entry,) = _entries(cache)
    entry.write_bytes(b"not a pickle")
    assert Screener([path]).screen(_records()[0]).alert is not None
    assert entry.read_bytes() != b"not a pickle"


def test_the_cache_can_be_turned_off(
    cache: Path, write_pack: WritePack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, "off")
    Screener([write_pack(PACK.replace("{threshold}", "10"))])
    assert _entries(cache) == []


def test_only_compiled_loads_are_cached(cache: Path, write_pack: WritePack) -> None:
    Screener([write_pack(PACK.replace("{threshold}", "10"))], evaluator=Interpreter())
    assert _entries(cache) == []


def test_entries_others_could_have_written_are_not_read(cache: Path, write_pack: WritePack) -> None:
    path = write_pack(PACK.replace("{threshold}", "10"))
    Screener([path])
    (entry,) = _entries(cache)
    cache.chmod(0o777)
    try:
        entry.write_bytes(b"tampered")
        assert Screener([path]).screen(_records()[0]).alert is not None
        assert entry.read_bytes() == b"tampered"  # neither read nor rewritten
    finally:
        cache.chmod(0o700)


_LOAD = """
import sys
from riskscreen import Screener
screener = Screener([sys.argv[1]])
print(screener.ruleset.digest, len(screener.ruleset.rules))
"""


def test_processes_share_entries(cache: Path, write_pack: WritePack) -> None:
    path = write_pack(PACK.replace("{threshold}", "10"))
    env = {**os.environ, CACHE_DIR_ENV: str(cache)}
    runs = [
        subprocess.Popen([sys.executable, "-c", _LOAD, str(path)], stdout=subprocess.PIPE, text=True, env=env)
        for _ in range(3)
    ]
    outputs = {run.communicate(timeout=120)[0] for run in runs}
    assert all(run.returncode == 0 for run in runs)
    assert len(outputs) == 1 and len(_entries(cache)) == 1
    # a process loading from the entry the others wrote
    again = subprocess.run(
        [sys.executable, "-c", _LOAD, str(path)], capture_output=True, text=True, env=env, check=True
    )
    assert again.stdout in outputs
    assert Screener([path]).ruleset.digest == again.stdout.split()[0]
