"""Shared fixtures: write packs into a temporary folder and build screeners from them."""

from __future__ import annotations

import os
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from riskscreen import Screener

WritePack = Callable[..., Path]


def pytest_configure(config: pytest.Config) -> None:
    """Keep the rule-set cache of a test session out of the user's own cache folder; English messages."""
    # messages are Chinese by default; the library's tests read the English ones, and the
    # tests of the default language (tests/test_i18n.py) clear this themselves
    os.environ.setdefault("RISKSCREEN_LANG", "en")
    if "RISKSCREEN_CACHE_DIR" not in os.environ:
        os.environ["RISKSCREEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="riskscreen-test-cache-")


@pytest.fixture
def write_pack(tmp_path: Path) -> WritePack:
    """Write YAML text (dedented) to ``tmp_path/name`` and return its path."""

    def write(text: str, name: str = "pack.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture
def screener_from(write_pack: WritePack) -> Callable[..., Screener]:
    """A screener with only the given pack text loaded."""

    def build(text: str, **kwargs: Any) -> Screener:
        return Screener([write_pack(text)], builtin=False, **kwargs)

    return build


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
