"""The fast path's canary verdict is kept on disk, keyed by what decides it, and reused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from riskscreen import Screener
from riskscreen.fastpath import FastValidator
from riskscreen.settings import Settings

PACK = """\
pack: quarry
version: 1.0.0
categories:
  quarry:
    attrs:
      has_permit: bool
      volume_m3: float
      opened_at: datetime
      equipment: list[string]
rules:
  - id: Q-001
    title: 无证采石
    when: not attrs.has_permit and attrs.volume_m3 > 100
    severity: high
    message: 无证采石{attrs.volume_m3}立方米
"""

RECORD = {
    "id": "q-1",
    "category": "quarry",
    "reported_at": "2026-07-01T09:00:00+08:00",
    "attrs": {"has_permit": False, "volume_m3": 250.5, "equipment": ["挖掘机"]},
}


@pytest.fixture
def pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RISKSCREEN_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "quarry.yaml").write_text(PACK, encoding="utf-8")
    return tmp_path / "quarry.yaml"


@pytest.fixture
def comparisons(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times screeners compared the canaries with the full validator."""
    calls: list[int] = []
    original = FastValidator.check

    def counted(self: FastValidator, *arguments: Any, **options: Any) -> bool:
        calls.append(1)
        return original(self, *arguments, **options)

    monkeypatch.setattr(FastValidator, "check", counted)
    return calls


def _verdicts(pack: Path) -> list[Path]:
    return sorted((pack.parent / "cache").glob("fastpath-*.verdict"))


def test_a_second_screener_takes_the_verdict_and_screens_the_same(pack: Path, comparisons: list[int]) -> None:
    first = Screener([pack], builtin=False)
    assert comparisons == [1] and len(_verdicts(pack)) == 1
    second = Screener([pack], builtin=False)
    assert comparisons == [1]  # not compared again
    assert first._fast.enabled and second._fast.enabled
    assert second.validate(RECORD) == first._validator.validate(RECORD)
    assert second.screen(RECORD).model_dump_json() == first.screen(RECORD).model_dump_json()


def test_a_verdict_of_disagreement_switches_the_fast_path_off(pack: Path, comparisons: list[int]) -> None:
    Screener([pack], builtin=False)
    (verdict,) = _verdicts(pack)
    verdict.write_bytes(b"off")
    screener = Screener([pack], builtin=False)
    assert comparisons == [1] and not screener._fast.enabled
    # the full validator decides every record then, with the same observation
    assert screener._fast.validate(RECORD) is None
    assert screener.validate(RECORD) == screener._validator.validate(RECORD)


def test_anything_else_in_the_file_means_comparing_again(pack: Path, comparisons: list[int]) -> None:
    Screener([pack], builtin=False)
    (verdict,) = _verdicts(pack)
    verdict.write_bytes(b"maybe")
    assert Screener([pack], builtin=False)._fast.enabled
    assert comparisons == [1, 1] and verdict.read_bytes() == b"on"


def test_other_settings_or_packs_are_compared_anew(pack: Path, comparisons: list[int]) -> None:
    Screener([pack], builtin=False)
    Screener([pack], builtin=False, settings=Settings(default_timezone="Asia/Shanghai"))
    assert comparisons == [1, 1]
    pack.write_text(PACK.replace("equipment: list[string]", "equipment: list[string]\n      depth_m: int"))
    Screener([pack], builtin=False)
    assert comparisons == [1, 1, 1] and len(_verdicts(pack)) == 3


def test_without_the_cache_the_canaries_are_compared_every_time(
    pack: Path, comparisons: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RISKSCREEN_CACHE", "off")
    Screener([pack], builtin=False)
    Screener([pack], builtin=False)
    assert comparisons == [1, 1] and not _verdicts(pack)
