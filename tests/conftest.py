"""Shared fixtures: packs written to a temporary folder, screeners built from them, the shipped screener.

Plain helpers (``observation``, ``WritePack``) are in :mod:`tests.helpers`.
"""

from __future__ import annotations

import os
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from riskscreen import Screener
from tests.helpers import WritePack, shipped_screener


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


@pytest.fixture(scope="session")
def shipped() -> Screener:
    """The screener with the shipped packs and plugins, shared by the whole session."""
    return shipped_screener()
