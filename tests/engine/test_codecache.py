"""Compiled generated code kept on disk: the same code back, never a stale or foreign entry.

Screening with fused functions read back from the cache gives the same results as
compiling them (tests/test_startup.py screens the same records in two fresh processes).
"""

from __future__ import annotations

import marshal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from riskscreen.cachedir import CACHE_DIR_ENV, CACHE_ENV
from riskscreen.engine import codecache

SOURCE = "def fused(record):\n    out = []\n    if record['a'] > 1:\n        out.append(0)\n    return out\n"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(CACHE_ENV, raising=False)
    yield tmp_path / "cache" / "code"


def _run(code: Any, record: dict[str, int]) -> Any:
    names: dict[str, Any] = {}
    exec(code, names)
    return names["fused"](record)


def _no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*arguments: Any) -> Any:
        raise AssertionError("compiled again")

    monkeypatch.setattr(codecache, "compile", refuse, raising=False)


def test_a_second_process_reads_the_code_back(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = codecache.compiled(SOURCE, "<riskscreen fused 1 rules: R-1>")
    (entry,) = cache.glob("*.code")
    _no_compiling(monkeypatch)
    again = codecache.compiled(SOURCE, "<riskscreen fused 1 rules: R-1>")
    assert again == first and again.co_filename == "<riskscreen fused 1 rules: R-1>"
    assert _run(again, {"a": 2}) == [0] and _run(again, {"a": 0}) == []
    assert list(cache.glob("*.code")) == [entry]


def test_other_source_or_file_name_is_another_entry(cache: Path) -> None:
    codecache.compiled(SOURCE, "<a>")
    codecache.compiled(SOURCE, "<b>")
    changed = codecache.compiled(SOURCE.replace("> 1", "> 5"), "<a>")
    assert len(list(cache.glob("*.code"))) == 3
    assert _run(changed, {"a": 2}) == []


def test_a_broken_entry_is_compiled_again_and_replaced(cache: Path) -> None:
    codecache.compiled(SOURCE, "<a>")
    (entry,) = cache.glob("*.code")
    entry.write_bytes(b"not bytecode")
    assert _run(codecache.compiled(SOURCE, "<a>"), {"a": 2}) == [0]
    assert entry.read_bytes() != b"not bytecode"


def test_entries_others_could_write_are_not_read(cache: Path) -> None:
    codecache.compiled(SOURCE, "<a>")
    (entry,) = cache.glob("*.code")
    other = compile("def fused(record):\n    return ['tampered']\n", "<a>", "exec")
    entry.write_bytes(marshal.dumps(other))
    cache.chmod(0o777)
    try:
        assert _run(codecache.compiled(SOURCE, "<a>"), {"a": 2}) == [0]
    finally:
        cache.chmod(0o700)


def test_the_cache_can_be_turned_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, "off")
    assert _run(codecache.compiled(SOURCE, "<a>"), {"a": 2}) == [0]
    assert not cache.exists()
