"""Where riskscreen keeps what it computed once and may reuse: loaded rule sets, compiled code.

Both :mod:`riskscreen.packs.cache` (rule sets) and :mod:`riskscreen.engine.codecache`
(the bytecode of generated functions) keep their entries under one directory:
``$RISKSCREEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/riskscreen``, else
``~/.cache/riskscreen``. ``RISKSCREEN_CACHE=off`` turns both off. Entries are only read
from a directory owned by the current user and not writable by others (they are pickles
and bytecode), and written to a temporary file renamed into place, so processes may share
the directory and a reader never sees half an entry.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

__all__ = ["CACHE_DIR_ENV", "CACHE_ENV", "cache_dir", "cache_enabled", "private", "write_entry"]

#: Set to ``off`` (or ``0``, ``no``, ``false``) to load without the cache.
CACHE_ENV = "RISKSCREEN_CACHE"
#: Where entries are kept (default: ``$XDG_CACHE_HOME/riskscreen`` or ``~/.cache/riskscreen``).
CACHE_DIR_ENV = "RISKSCREEN_CACHE_DIR"


def cache_enabled() -> bool:
    """Whether the cache is used (``RISKSCREEN_CACHE`` is not ``off``)."""
    return os.environ.get(CACHE_ENV, "").strip().lower() not in ("0", "off", "no", "false")


def cache_dir() -> Path:
    """The directory entries are kept in."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "riskscreen"


def private(directory: Path) -> bool:
    """Whether entries in ``directory`` can be trusted (ours, not writable by others)."""
    try:
        info = directory.stat()
    except OSError:
        return False
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    return not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def write_entry(directory: Path, path: Path, data: bytes, *, kept: int, pattern: str) -> None:
    """Write ``data`` to ``path`` in ``directory`` whole or not at all; keep the ``kept`` newest entries.

    The directory is made private when it is created; nothing is written to one that is
    not (see :func:`private`). ``pattern`` globs the entries that count towards ``kept``.
    """
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not private(directory):
        return
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    entries = sorted(directory.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[kept:]:
        old.unlink(missing_ok=True)
