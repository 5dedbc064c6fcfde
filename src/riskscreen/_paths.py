"""Where the shipped rule packs live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

__all__ = ["builtin_rules_dir"]


def builtin_rules_dir() -> Path:
    """The folder of shipped packs: inside the wheel, or ``rules/`` of a source checkout."""
    packaged = Path(__file__).resolve().parent / "_rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"
