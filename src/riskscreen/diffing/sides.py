"""The two rule sets a diff compares: the base (a git ref or a folder) and the head.

The base from a git ref is read with git (``git ls-tree`` and ``git archive``) into a
temporary folder, the same pack paths as the head at that commit; the working tree is
never touched. Every failure names the side (base or head) and where it looked, and is
raised as :class:`SideError` (the command line's exit 2).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RiskscreenError, RuleLoadError
from ..packs.files import is_test_file
from ..packs.loader import discover_pack_files
from ..screener import Screener
from ..settings import Settings

__all__ = ["RuleSide", "SideError", "git_paths", "load_side", "resolve_base"]


class SideError(RiskscreenError):
    """One side's rule set could not be found or loaded: which side, where, and why."""

    def __init__(self, side: str, where: str, message: str, problems: Sequence[str] = ()) -> None:
        self.side, self.where, self.problems = side, where, list(problems)
        super().__init__(f"{side}: {where}: {message}")


@dataclass(frozen=True)
class RuleSide:
    """Where one side's packs are: the paths to load and a label people recognise."""

    name: str  # "base" or "head"
    label: str  # the git ref, the folder, or "working tree"
    paths: tuple[Path, ...]
    #: A prefix of ``paths`` to show as ``label:`` in messages (the temporary checkout).
    shown_as: tuple[str, str] | None = field(default=None)


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)


def _repository_root(start: Path) -> Path | None:
    done = _git(start, "rev-parse", "--show-toplevel")
    return Path(done.stdout.decode().strip()).resolve() if done.returncode == 0 else None


def git_paths(ref: str, paths: Sequence[Path], into: Path, *, side: str = "base") -> list[Path]:
    """The pack files under ``paths`` as they were at ``ref``, written below ``into``.

    Paths are taken relative to the git repository holding the first of them (or the
    current folder). Raises :class:`SideError` for a ref that does not exist, a path
    outside the repository, or a ref at which none of the paths holds a pack.
    """
    start = paths[0].resolve() if paths else Path.cwd()
    root = _repository_root(start if start.is_dir() else start.parent)
    if root is None:
        raise SideError(side, ref, f"not a folder, and {start} is not inside a git repository")
    verified = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if verified.returncode != 0:
        raise SideError(side, ref, f"no such folder, and no such git ref in {root}")
    commit = verified.stdout.decode().strip()
    relative: list[str] = []
    for path in paths:
        try:
            relative.append(path.resolve().relative_to(root).as_posix() or ".")
        except ValueError:
            raise SideError(side, f"{ref}:{path}", f"outside the git repository {root}") from None
    listed = _git(root, "ls-tree", "-r", "--name-only", "-z", commit, "--", *relative)
    names = [
        n
        for n in listed.stdout.decode().split("\0")
        if n.endswith((".yaml", ".yml")) and not is_test_file(Path(n))
    ]
    if listed.returncode != 0 or not names:
        raise SideError(side, f"{ref}:{' '.join(relative)}", "no rule packs (*.yaml) at this ref")
    archive = _git(root, "archive", "--format=tar", commit, "--", *names)
    if archive.returncode != 0:
        raise SideError(side, ref, archive.stderr.decode().strip() or "git archive failed")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(into, filter="data")
        else:  # pragma: no cover - Python without extraction filters; git wrote the names itself
            tar.extractall(into)
    # the same paths as given, now below ``into``; those absent at the ref are new files
    return [into / rel for rel in relative if (into / rel).exists()]


@contextlib.contextmanager
def resolve_base(base: str, head_paths: Sequence[Path]) -> Iterator[RuleSide]:
    """The base side: ``base`` as a folder or file when it exists, else as a git ref.

    A git ref is read into a temporary folder that is removed afterwards.
    """
    if Path(base).exists():
        yield RuleSide("base", base, (Path(base),))
        return
    with tempfile.TemporaryDirectory(prefix="riskscreen-base-") as folder:
        paths = git_paths(base, head_paths, Path(folder))
        yield RuleSide("base", base, tuple(paths), shown_as=(folder + os.sep, f"{base}:"))


def _shown(side: RuleSide, text: str) -> str:
    if side.shown_as is None:
        return text
    return text.replace(side.shown_as[0], side.shown_as[1])


def load_side(
    side: RuleSide, *, builtin: bool, settings: Settings, disable_plugins: Sequence[str] = ()
) -> Screener:
    """The screener of one side; :class:`SideError` when it has no packs or they do not load."""
    files, problems = discover_pack_files(side.paths)
    where = ", ".join(_shown(side, str(p)) for p in side.paths) or side.label
    if problems:
        raise SideError(side.name, where, "no such file or folder")
    if not files:
        raise SideError(side.name, where, "no rule packs (*.yaml) here")
    try:
        return Screener(side.paths, builtin=builtin, settings=settings, disable_plugins=disable_plugins)
    except RuleLoadError as exc:
        count = len(exc.problems)
        raise SideError(
            side.name,
            where,
            f"rule set not loaded: {count} problem{'s' if count != 1 else ''}",
            [_shown(side, str(p)) for p in exc.problems],
        ) from None
