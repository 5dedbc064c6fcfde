"""Finding YAML files under a folder, the way rule authors expect.

Hidden folders (``.git``, ``.venv``), caches and virtual environments are never searched,
so ``riskscreen lint .`` at a repository root looks at the repository, not at its tools.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

__all__ = ["is_catalogue_file", "is_test_file", "yaml_files"]

_SKIPPED_NAMES = frozenset({"__pycache__", "node_modules", "site-packages"})


def is_test_file(path: Path) -> bool:
    """Whether ``path`` holds regression cases rather than a pack."""
    return path.name.endswith((".test.yaml", ".test.yml"))


def is_catalogue_file(path: Path) -> bool:
    """Whether ``path`` is a rule author's law catalogue (``laws.yaml``) rather than a pack."""
    return path.name in ("laws.yaml", "laws.yml")


def _skipped(name: str, files: list[str]) -> bool:
    return (
        (name.startswith(".") and name not in (".", "..")) or name in _SKIPPED_NAMES or "pyvenv.cfg" in files
    )


def yaml_files(root: Path) -> Iterator[Path]:
    """Every ``*.yaml``/``*.yml`` file under ``root``, sorted, skipping tool folders."""
    found: list[Path] = []
    for folder, folders, files in os.walk(root):
        if Path(folder) != root and _skipped(os.path.basename(folder), files):
            folders[:] = []
            continue
        folders[:] = [d for d in folders if not _skipped(d, [])]
        found.extend(Path(folder) / f for f in files if f.endswith((".yaml", ".yml")))
    yield from sorted(found)
