"""Which pack files a load reads: folders searched, each pack once, and how paths are shown.

A pack is identified by its resolved file and by its content, never by the path as
written: a file named twice (or through a link) is read once, and a byte-for-byte copy of
an earlier pack (a rules repository's ``./rules/flood.yaml`` copied from the shipped
packs) is the same pack, left out and reported by :func:`pack_copies`.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from .._paths import builtin_rules_dir
from ..errors import Problem, SourceLocation
from .files import is_catalogue_file, is_test_file, yaml_files

__all__ = ["MAX_PACK_BYTES", "discover_pack_files", "discover_packs", "display_path", "pack_copies"]

#: Largest pack file read, in bytes; a bigger one is reported, not parsed.
MAX_PACK_BYTES = 5 * 1024 * 1024


def discover_pack_files(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[Problem]]:
    """Pack files named by ``paths``: files as given, folders searched recursively, sorted.

    A pack is identified by its resolved file and by its content: a file named twice (by
    two paths, or through a symbolic link) and a byte-for-byte copy of an earlier pack
    (a local ``rules/flood.yaml`` copied from the shipped packs) are the same pack, loaded
    once. :func:`pack_copies` says which files were left out as copies.
    """
    files, problems, _ = discover_packs(paths)
    return files, problems


def pack_copies(paths: Iterable[str | os.PathLike[str]]) -> list[tuple[Path, Path]]:
    """``(copy, original)`` for every pack file left out because an earlier file has its content."""
    return discover_packs(paths)[2]


def discover_packs(
    paths: Iterable[str | os.PathLike[str]],
) -> tuple[list[Path], list[Problem], list[tuple[Path, Path]]]:
    """The pack files to load, the paths that do not exist, and the ``(copy, original)`` left out."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(p for p in yaml_files(path) if not (is_test_file(p) or is_catalogue_file(p)))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(SourceLocation(str(path)), "no such file or folder", "RS104"))
    unique: list[Path] = []
    copies: list[tuple[Path, Path]] = []
    seen: set[Path] = set()
    by_content: dict[bytes, Path] = {}
    for f in files:
        key = f.resolve()
        if key in seen:
            continue
        seen.add(key)
        digest = _content_digest(f)
        if digest is not None and digest in by_content:
            copies.append((f, by_content[digest]))
            continue
        if digest is not None:
            by_content[digest] = f
        unique.append(f)
    return unique, problems, copies


def _content_digest(path: Path) -> bytes | None:
    """SHA-256 of a pack file's bytes; None when it is unreadable or too large (the loader says why)."""
    try:
        if path.stat().st_size > MAX_PACK_BYTES:
            return None
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return None


@functools.lru_cache(maxsize=8)
def _places(search_path: tuple[str, ...], cwd: str) -> tuple[Path, tuple[Path, ...]]:
    """The shipped packs' folder and the ``sys.path`` folders (longest first, not the cwd), resolved.

    Resolving them takes a system call per folder and path part: done once for all the
    files of a load (and again only when ``sys.path`` or the working directory changes).
    """
    here = Path(cwd).resolve()
    entries = sorted((Path(p).resolve() for p in search_path if p), key=lambda p: -len(p.parts))
    return builtin_rules_dir().resolve(), tuple(entry for entry in entries if entry != here)


def display_path(path: Path) -> str:
    """How a pack file is named in messages and finding sources, independent of the cwd.

    Shipped packs are ``rules/<file>``; packs inside an installed package (a plugin's)
    are named from the package folder on; other packs keep the path the caller gave, even
    when they sit under a folder on ``sys.path`` (a script's own folder is one).
    """
    resolved = path.resolve()
    root, entries = _places(tuple(sys.path), os.getcwd())
    if resolved.is_relative_to(root):
        return "rules/" + resolved.relative_to(root).as_posix()
    for entry in entries:
        if resolved.is_relative_to(entry) and entry.is_dir():
            inside = resolved.relative_to(entry)
            # only a package's own files: a script's folder is on sys.path too
            if len(inside.parts) > 1 and (entry / inside.parts[0] / "__init__.py").is_file():
                return inside.as_posix()
    shown = path.as_posix()
    # a local folder named rules/ must not read like the shipped packs in a message
    return "./" + shown if shown.startswith("rules/") else shown
