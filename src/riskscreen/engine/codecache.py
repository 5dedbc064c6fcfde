"""Generated source compiled once: its bytecode is kept on disk for the next process.

A category's fused function (:func:`riskscreen.engine.plan.fuse`) is generated the first
time one of its records is screened: a few hundred lines, which CPython compiles in about
4 ms, so a command meeting ten categories spent about 40 ms compiling before it had
screened ten records, in every process (each ``--jobs`` worker too). What source compiles
to depends only on the source, the file name it is compiled under and the interpreter, so
:func:`compiled` keeps the bytecode as CPython keeps a module's in ``__pycache__``: keyed
by a SHA-256 of the three, in the ``code`` folder of riskscreen's cache directory
(:mod:`riskscreen.cachedir`), with the rule-set cache's safety: written whole or not at
all, read only from a private folder, an unreadable entry compiled again and rewritten.
``RISKSCREEN_CACHE=off`` compiles every time.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
from types import CodeType

from ..cachedir import cache_dir, cache_enabled, private, write_entry

__all__ = ["compiled"]

#: How many compiled functions are kept (the most recently written).
_KEPT = 512


def compiled(source: str, filename: str) -> CodeType:
    """``compile(source, filename, "exec")``, read from the cache when an earlier process compiled it."""
    if not cache_enabled():
        return compile(source, filename, "exec")
    directory = cache_dir() / "code"
    digest = hashlib.sha256(importlib.util.MAGIC_NUMBER)
    digest.update(filename.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(source.encode("utf-8", "surrogatepass"))
    path = directory / f"{digest.hexdigest()}.code"
    if directory.is_absolute() and path.exists() and private(directory):
        with contextlib.suppress(Exception):  # unreadable or foreign: compiled again below
            code = marshal.loads(path.read_bytes())
            if isinstance(code, CodeType) and code.co_filename == filename:
                return code
    code = compile(source, filename, "exec")
    if directory.is_absolute():
        with contextlib.suppress(Exception):  # not writable (or no room): simply not kept
            write_entry(directory, path, marshal.dumps(code), kept=_KEPT, pattern="*.code")
    return code
